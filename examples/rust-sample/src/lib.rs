//! `hotspot_sample`: a toy record-processing engine with deliberate performance problems.
//!
//! Each problem lives in its own module and its own non-inlined function so that a CPU
//! profile attributes time to it clearly:
//!
//! * [`model::value`] — a JSON-like [`model::value::Value`] tree that the evaluator deep-clones.
//! * [`evaluator::context`] — an [`evaluator::context::EvaluationContext`] whose `Arc`'d maps are
//!   copied for every child scope.
//! * [`evaluator::engine`] — path evaluation that clones the current value at every step.
//! * [`index::term_index`] — an inverted index on a `HashMap` with the default SipHash hasher.
//! * [`report::render`] — a report built with `to_string`/`format!` in a loop.
//! * [`pool`] — a worker pool of tiny tasks behind one `Mutex`.

pub mod evaluator;
pub mod index;
pub mod model;
pub mod pool;
pub mod report;
pub mod workload;
