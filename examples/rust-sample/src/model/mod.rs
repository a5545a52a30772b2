//! Data model: the dynamic [`value::Value`] tree and a deterministic document generator.

pub mod generate;
pub mod value;
