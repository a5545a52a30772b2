//! Text report of evaluation results.

pub mod render;
