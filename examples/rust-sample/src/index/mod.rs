//! Inverted index over document text.

pub mod term_index;
