//! Path-expression evaluation over [`crate::model::value::Value`] documents.

pub mod context;
pub mod engine;
