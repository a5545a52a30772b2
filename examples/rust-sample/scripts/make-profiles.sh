#!/usr/bin/env bash
# make-profiles.sh — re-profiles the sample and rewrites examples/rust-sample/profiles/.
#
# Usage (from anywhere):
#   FLAMEGRAPH_DIR=/path/to/FlameGraph examples/rust-sample/scripts/make-profiles.sh
#
# Writes (each file stays well under 1 MB):
#   profiles/sample.perf      `perf script` of `perf record -e cpu-clock -F 299 -g` (frame pointers)
#   profiles/sample.folded    FlameGraph stackcollapse-perf.pl of sample.perf (weights: ns of cpu-clock)
#   profiles/flamegraph.svg   FlameGraph flamegraph.pl of sample.folded, <script> element removed
#   profiles/callgrind.out    valgrind --tool=callgrind --dump-instr=no, at --scale 5 (callgrind is ~50x slower)
#
# The sampling rate is 299 Hz rather than perf's usual 999 Hz so that the text export of a
# whole run (about 1.3 s, five threads) stays around half a megabyte.
#
# Requirements: cargo, perf (root, or kernel.perf_event_paranoid <= 1), valgrind, perl, and
# Brendan Gregg's FlameGraph scripts. FLAMEGRAPH_DIR must name a directory containing
# stackcollapse-perf.pl and flamegraph.pl; get them with
#   git clone https://github.com/brendangregg/FlameGraph /tmp/FlameGraph
# They are run from there and never copied into this repository. flamegraph.pl embeds its
# own JavaScript in the SVG; we strip that <script>…</script> element (perl one-liner
# below) so that no third-party code is committed. The SVG stays a valid, static image.
#
# Idempotent: every run rebuilds the release binary and overwrites all four files.
# Recordings are sampled, so figures differ slightly between runs; update
# OPTIMIZATION_PLAN.md if you re-profile.
set -euo pipefail

SAMPLE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
: "${FLAMEGRAPH_DIR:?set FLAMEGRAPH_DIR to a checkout of https://github.com/brendangregg/FlameGraph}"
for f in stackcollapse-perf.pl flamegraph.pl; do
  [ -f "$FLAMEGRAPH_DIR/$f" ] || { echo "$FLAMEGRAPH_DIR/$f not found" >&2; exit 1; }
done

cd "$SAMPLE"
CARGO_PROFILE_RELEASE_DEBUG=true RUSTFLAGS="-C force-frame-pointers=yes" cargo build --release --quiet
BIN="$SAMPLE/target/release/hotspot-sample"

WORK=$(mktemp -d /tmp/hotspot-sample-profiles.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
mkdir -p profiles

perf record -q -e cpu-clock -F 299 -g -o "$WORK/perf.data" -- "$BIN" >/dev/null
perf script -i "$WORK/perf.data" >profiles/sample.perf
perl "$FLAMEGRAPH_DIR/stackcollapse-perf.pl" profiles/sample.perf >profiles/sample.folded
perl "$FLAMEGRAPH_DIR/flamegraph.pl" --title="hotspot-sample (cpu-clock)" profiles/sample.folded >profiles/flamegraph.svg
# Remove flamegraph.pl's embedded JavaScript.
perl -0pi -e 's{<script\b[^>]*>.*?</script>\n?}{}gs' profiles/flamegraph.svg

valgrind --tool=callgrind --dump-instr=no --callgrind-out-file=profiles/callgrind.out -- "$BIN" --scale 5 \
  >/dev/null 2>"$WORK/valgrind.log" || { cat "$WORK/valgrind.log" >&2; exit 1; }

wc -c profiles/sample.perf profiles/sample.folded profiles/flamegraph.svg profiles/callgrind.out
