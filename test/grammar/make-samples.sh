#!/bin/sh
# Prints real `perf script` and folded-stack lines of every shape the grammar tests
# cover, by profiling sample-program.rs here. The lines of perf-script.test.perf and
# folded-stacks.test.folded marked "captured" were taken from this output (addresses,
# pids and timestamps vary between runs); lines marked "shaped" follow the formats of
# tools/perf/builtin-script.c and FlameGraph's stackcollapse-perf.pl for cases this
# program does not produce (tracepoints, C++ symbols, JIT/inline annotations).
#
# Needs: rustc, perf (cpu-clock works without hardware counters), and for the folded
# lines stackcollapse-perf.pl on PATH or in $FLAMEGRAPH_DIR. Run as root or with
# kernel.perf_event_paranoid <= 1.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
rustc -O -g -C force-frame-pointers=yes "$here/sample-program.rs" -o prog
perf record -q -F 999 -g -o fp.data ./prog >/dev/null
perf record -q -F 499 --call-graph dwarf -o dwarf.data ./prog >/dev/null

echo '== perf script --header (comments, sample headers, frames)'
perf script -i fp.data --header 2>/dev/null | sed -n '1,3p;/^prog/{p;n;p;n;p;q}'
echo '== perf script -F comm,pid,tid,time,period,event,ip,sym,dso (pid/tid, no offset)'
perf script -i fp.data -F comm,pid,tid,time,period,event,ip,sym,dso 2>/dev/null | sed -n '1,3p'
echo '== perf script -G (no call graph: ip, symbol and dso on the header line)'
perf script -i fp.data -G 2>/dev/null | sed -n '1,2p'
echo '== perf script -F +srcline with DWARF call graphs (inlined frames, srclines)'
perf script -i dwarf.data -F +srcline 2>/dev/null | sed -n '1,14p'
echo '== frames with [unknown]'
perf script -i fp.data 2>/dev/null | grep -m2 '\[unknown\]'

collapse=$(command -v stackcollapse-perf.pl || true)
[ -z "$collapse" ] && [ -n "${FLAMEGRAPH_DIR:-}" ] && collapse="$FLAMEGRAPH_DIR/stackcollapse-perf.pl"
if [ -n "$collapse" ] && [ -f "$collapse" ]; then
  echo '== stackcollapse-perf.pl --kernel (folded stacks, _[k] annotations, weights in ns)'
  perf script -i fp.data 2>/dev/null | perl "$collapse" --kernel | sort -t' ' -k2 -nr | sed -n '1,3p'
  perf script -i fp.data 2>/dev/null | perl "$collapse" --kernel | grep -m2 '_\[k\]'
else
  echo '== stackcollapse-perf.pl not found: set FLAMEGRAPH_DIR for the folded lines'
fi
