#!/usr/bin/env bash
# make-before-after.sh — a real before/after pair for `hotspot-lens diff` (issue #14).
#
# Usage (from anywhere):
#   FLAMEGRAPH_DIR=/path/to/FlameGraph examples/rust-sample/scripts/make-before-after.sh
#
# What it does:
#   1. copies the sample (src/, Cargo.toml, Cargo.lock) twice into a scratch directory:
#      before/ as it is, after/ with one task of OPTIMIZATION_PLAN.md applied —
#      Phase 2's "Parent-linked EvaluationContext in src/evaluator/context.rs" (Priority 2,
#      "Share scopes instead of copying them"): EvaluationContext::child stops copying both
#      variable maps (the new src/evaluator/context.rs is written below); nothing else changes;
#   2. builds both the same way (release, debuginfo, frame pointers) and checks that they
#      print the same checksum (the evaluation gives the same results);
#   3. records both with perf under the same arguments
#      (`perf record -e cpu-clock -F 999 -g -- hotspot-sample`), and writes
#        profiles/before-after/before.perf, after.perf       `perf script` text
#        profiles/before-after/before.folded, after.folded   stackcollapse-perf.pl (weights: ns of cpu-clock)
#        profiles/before-after/before.svg, after.svg         flamegraph.pl of the folded files
#
# flamegraph.pl embeds its own JavaScript in the SVG; we strip that <script>…</script>
# element (perl one-liner below) so that no third-party code is committed. The SVGs stay
# valid, static images. FLAMEGRAPH_DIR must name a directory containing
# stackcollapse-perf.pl and flamegraph.pl (https://github.com/brendangregg/FlameGraph);
# they are run from there and never copied into this repository.
#
# Requirements: cargo, perf (root, or kernel.perf_event_paranoid <= 1), perl.
# 999 Hz (about 1,200 samples per run, 1.7 MB of perf script text) so that the changed
# function's drop is beyond sampling noise.
# Recordings are sampled: every run gives slightly different figures, and the tests in
# test/unit/compare/ read the committed files, not a fresh run.
set -euo pipefail

SAMPLE=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT="$SAMPLE/profiles/before-after"
: "${FLAMEGRAPH_DIR:?set FLAMEGRAPH_DIR to a checkout of https://github.com/brendangregg/FlameGraph}"
for f in stackcollapse-perf.pl flamegraph.pl; do
  [ -f "$FLAMEGRAPH_DIR/$f" ] || { echo "$FLAMEGRAPH_DIR/$f not found" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/hotspot-before-after.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
for side in before after; do
  mkdir -p "$WORK/$side"
  cp -r "$SAMPLE/src" "$SAMPLE/Cargo.toml" "$SAMPLE/Cargo.lock" "$WORK/$side/"
done

# The task: "Parent-linked `EvaluationContext` in src/evaluator/context.rs" (Phase 2 of the plan;
# "Priority 2: Share scopes instead of copying them": a child scope holds its parent and its
# one new binding, and the constants are shared, not copied). Nothing else changes.
cat >"$WORK/after/src/evaluator/context.rs" <<'RUST'
//! Evaluation scopes, parent-linked: a child scope holds an `Arc` of its parent and its one
//! new binding; the constants are shared by every scope.

use crate::model::value::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// Variables and settings visible while evaluating an expression.
#[derive(Clone, Debug)]
pub struct EvaluationContext {
    scope: Arc<Scope>,
    constants: Arc<BTreeMap<String, Value>>,
    depth: usize,
}

#[derive(Debug)]
struct Scope {
    parent: Option<Arc<Scope>>,
    variables: BTreeMap<String, Value>,
}

impl EvaluationContext {
    /// Creates a root scope holding `%resource` = `resource` and a few constants.
    pub fn new(resource: &Value) -> Self {
        let mut variables = BTreeMap::new();
        variables.insert("resource".to_string(), resource.clone());
        let mut constants = BTreeMap::new();
        for (i, name) in ["ucum", "sct", "loinc", "ward", "icu"].iter().enumerate() {
            constants.insert(name.to_string(), Value::Str(format!("http://example.org/{name}/{i}")));
        }
        EvaluationContext {
            scope: Arc::new(Scope { parent: None, variables }),
            constants: Arc::new(constants),
            depth: 0,
        }
    }

    /// Returns a nested scope in which `name` is bound to `value`; the parent is shared.
    #[inline(never)]
    pub fn child(&self, name: &str, value: Value) -> EvaluationContext {
        let mut variables = BTreeMap::new();
        variables.insert(name.to_string(), value);
        EvaluationContext {
            scope: Arc::new(Scope { parent: Some(Arc::clone(&self.scope)), variables }),
            constants: Arc::clone(&self.constants),
            depth: self.depth + 1,
        }
    }

    /// Looks a variable up in this scope, then in its parents, then in the constants.
    pub fn lookup(&self, name: &str) -> Option<&Value> {
        let mut scope: &Scope = &self.scope;
        loop {
            if let Some(v) = scope.variables.get(name) {
                return Some(v);
            }
            match &scope.parent {
                Some(parent) => scope = parent,
                None => return self.constants.get(name),
            }
        }
    }

    /// Nesting depth (0 for the root scope).
    pub fn depth(&self) -> usize {
        self.depth
    }
}
RUST

for side in before after; do
  (cd "$WORK/$side" && CARGO_TARGET_DIR="$WORK/$side/target" CARGO_PROFILE_RELEASE_DEBUG=true \
    RUSTFLAGS="-C force-frame-pointers=yes" cargo build --release --quiet)
done
B="$("$WORK/before/target/release/hotspot-sample")"
A="$("$WORK/after/target/release/hotspot-sample")"
[ "$B" = "$A" ] || { echo "the two builds disagree: before '$B', after '$A'" >&2; exit 1; }
echo "both print: $B"

mkdir -p "$OUT"
for side in before after; do
  perf record -q -e cpu-clock -F 999 -g -o "$WORK/$side.data" -- "$WORK/$side/target/release/hotspot-sample" >/dev/null
  perf script -i "$WORK/$side.data" >"$OUT/$side.perf"
  perl "$FLAMEGRAPH_DIR/stackcollapse-perf.pl" "$OUT/$side.perf" >"$OUT/$side.folded"
  perl "$FLAMEGRAPH_DIR/flamegraph.pl" --title="hotspot-sample $side (cpu-clock)" "$OUT/$side.folded" >"$OUT/$side.svg"
  # Remove flamegraph.pl's embedded JavaScript.
  perl -0pi -e 's{<script\b[^>]*>.*?</script>\n?}{}gs' "$OUT/$side.svg"
done

# perf's own count of the samples with EvaluationContext::child on the stack, for comparison
# with `hotspot-lens diff`.
for side in before after; do
  n=$(awk 'BEGIN{RS=""} /EvaluationContext::child/{n++} END{print n+0}' "$OUT/$side.perf")
  all=$(awk 'BEGIN{RS=""} /cpu-clock/{n++} END{print n+0}' "$OUT/$side.perf")
  echo "$side: $n of $all samples have EvaluationContext::child on the stack"
done
wc -c "$OUT"/*
