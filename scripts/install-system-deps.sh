#!/usr/bin/env bash
# Installs the Debian packages the tests need, all at once, before any test stage
# runs (so every stage sees the same machine: an install halfway through can
# upgrade packages, perl among them, under the stages that already ran):
#   chromium                the browser the UI check drives (Playwright, executablePath)
#   libkrb5-dev             code-server's `kerberos` native module builds from source offline
#   ripgrep                 seeds @vscode/ripgrep's download cache (code-server 4.100 install)
#   linux-perf              perf record / perf script for the perf.data importer test
#   gcc, libc6-dev          builds the C program that test records with perf
#   fonts-noto-color-emoji  the 🔥 in CodeLens titles renders in the UI screenshots
#   valgrind                Record Profile's callgrind recordings (test/unit/record/, the record suite)
#   cargo                   Debian's cargo and rustc (/usr/bin/cargo): the record tests' Rust build;
#                           rustup's cargo in ~/.cargo does not work under CI's throwaway HOME
#   golang-go               Record Profile's go recordings (go test -cpuprofile, test/unit/record/)
# Idempotent: installs only what is missing. Needs root (CI runs as root); otherwise
# prints the apt-get command to run and exits 1.
set -euo pipefail
log() { printf '[install-system-deps] %s\n' "$*"; }

need=()
command -v chromium >/dev/null || need+=(chromium)
[ -e /usr/include/gssapi/gssapi.h ] || need+=(libkrb5-dev)
command -v rg >/dev/null || need+=(ripgrep)
command -v perf >/dev/null || need+=(linux-perf)
command -v cc >/dev/null || need+=(gcc)
[ -e /usr/include/stdio.h ] || need+=(libc6-dev)
[ -e /usr/share/fonts/truetype/noto/NotoColorEmoji.ttf ] || need+=(fonts-noto-color-emoji)
command -v valgrind >/dev/null || need+=(valgrind)
[ -x /usr/bin/cargo ] || need+=(cargo)
command -v go >/dev/null || need+=(golang-go)

if [ "${#need[@]}" -eq 0 ]; then
  log "all present"
  exit 0
fi
if [ "$(id -u)" != 0 ]; then
  log "missing Debian packages: ${need[*]} — install them with: sudo apt-get install -y ${need[*]}"
  exit 1
fi
log "apt-get install ${need[*]}"
apt-get update -qq
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
log "installed ${need[*]}"
