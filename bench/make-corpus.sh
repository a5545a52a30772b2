#!/usr/bin/env bash
# make-corpus.sh — lays out the mapping corpus of bench/mapping-corpus.ts.
#
#   bench/make-corpus.sh <corpus-dir>
#
# For each project of bench/mapping-corpus.json: clones the public repository (git, over
# the network) and writes its tree at the listed commit (the commit that last added or changed
# the profile, so source and profile belong together) into <corpus-dir>/<name>/.
# Nothing of it is committed here: the projects' code stays in the corpus directory.
set -euo pipefail
OUT=${1:?usage: bench/make-corpus.sh <corpus-dir>}
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
mkdir -p "$OUT"
node -e 'for (const p of require(process.argv[1])) console.log(p.name, p.repo, p.commit)' "$HERE/mapping-corpus.json" |
  while read -r name repo commit; do
    [ -d "$OUT/$name" ] && { echo "$name: already there"; continue; }
    tmp=$(mktemp -d)
    git clone -q --filter=blob:none --no-checkout "https://github.com/$repo" "$tmp/repo"
    mkdir -p "$OUT/$name"
    git -C "$tmp/repo" archive "$commit" | tar -x -C "$OUT/$name"
    rm -rf "$tmp"
    echo "$name: $repo @ $commit"
  done
