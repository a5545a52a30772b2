//! The whole workload, phase by phase, scaled by a percentage.

use crate::evaluator::engine::{evaluate, parse};
use crate::index::term_index::TermIndex;
use crate::model::generate::make_documents;
use crate::model::value::Value;
use crate::pool::run_pool;
use crate::report::render::render_report;

/// Which phases to run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Evaluate,
    Index,
    Report,
    Pool,
}

impl Phase {
    /// All phases, in the order the program runs them.
    pub const ALL: [Phase; 4] = [Phase::Evaluate, Phase::Index, Phase::Report, Phase::Pool];

    /// Parses `evaluate` / `index` / `report` / `pool`.
    pub fn parse(name: &str) -> Option<Phase> {
        match name {
            "evaluate" => Some(Phase::Evaluate),
            "index" => Some(Phase::Index),
            "report" => Some(Phase::Report),
            "pool" => Some(Phase::Pool),
            _ => None,
        }
    }
}

const EXPRESSIONS: &[&str] = &[
    "entry.where(status = 'icu').meta.score",
    "entry.where(tags = 'surgery').tags",
    "entry.meta.note",
    "entry.where(status = 'ward').count()",
];

/// Runs the phases; `scale` is a percentage of the default amount of work (100 ≈ 1–2 s).
/// Returns a checksum so nothing is optimised away.
pub fn run(phases: &[Phase], scale: u64) -> u64 {
    let docs = make_documents(42, (600 * scale / 100).max(1) as usize);
    let mut checksum = 0u64;
    for phase in phases {
        checksum = checksum.wrapping_add(match phase {
            Phase::Evaluate => evaluate_phase(&docs, scale),
            Phase::Index => index_phase(&docs, scale),
            Phase::Report => report_phase(&docs, scale),
            Phase::Pool => run_pool(4, 3_000_000 * scale / 100),
        });
    }
    checksum
}

#[inline(never)]
fn evaluate_phase(docs: &[Value], scale: u64) -> u64 {
    let programs: Vec<_> = EXPRESSIONS.iter().map(|e| parse(e)).collect();
    let rounds = (7 * scale / 100).max(1);
    let mut sum = 0u64;
    for _ in 0..rounds {
        for doc in docs {
            for program in &programs {
                for v in evaluate(doc, program) {
                    sum = sum.wrapping_add(v.node_count() as u64);
                }
            }
        }
    }
    sum
}

#[inline(never)]
fn index_phase(docs: &[Value], scale: u64) -> u64 {
    let mut sum = 0u64;
    for _ in 0..(12 * scale / 100).max(1) {
        let mut index = TermIndex::new();
        for (i, doc) in docs.iter().enumerate() {
            index.add_document(i as u32, doc);
        }
        for q in ["icu", "surgery ward", "acu dis", "note entry", "tra ion"] {
            sum = sum.wrapping_add(index.count_matching(q) as u64);
        }
        sum = sum.wrapping_add(index.len() as u64);
    }
    sum
}

#[inline(never)]
fn report_phase(docs: &[Value], scale: u64) -> u64 {
    let mut sum = 0u64;
    for _ in 0..(80 * scale / 100).max(1) {
        sum = sum.wrapping_add(render_report(docs).len() as u64);
    }
    sum
}
