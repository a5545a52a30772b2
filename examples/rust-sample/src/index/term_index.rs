//! An inverted index from terms to document ids.
//!
//! Uses `std::collections::HashMap` with the default SipHash-1-3 hasher and allocates an
//! owned `String` key per lookup, so hashing shows up as a hotspot.

use crate::model::value::Value;
use std::collections::HashMap;

/// Term → sorted list of document ids.
#[derive(Default, Debug)]
pub struct TermIndex {
    postings: HashMap<String, Vec<u32>>,
}

impl TermIndex {
    /// Creates an empty index.
    pub fn new() -> Self {
        TermIndex::default()
    }

    /// Adds every string of `doc` (and of its n-grams) under document id `id`.
    #[inline(never)]
    pub fn add_document(&mut self, id: u32, doc: &Value) {
        let mut terms = Vec::new();
        collect_terms(doc, &mut terms);
        for term in terms {
            for gram in trigrams(&term) {
                self.insert_term(gram, id);
            }
            self.insert_term(term, id);
        }
    }

    #[inline(never)]
    fn insert_term(&mut self, term: String, id: u32) {
        let ids = self.postings.entry(term).or_default();
        if ids.last() != Some(&id) {
            ids.push(id);
        }
    }

    /// Number of documents containing every term of `query` (space separated).
    #[inline(never)]
    pub fn count_matching(&self, query: &str) -> usize {
        let mut result: Option<Vec<u32>> = None;
        for term in query.split_whitespace() {
            let ids = self.postings.get(&term.to_string()).cloned().unwrap_or_default();
            result = Some(match result {
                None => ids,
                Some(prev) => prev.into_iter().filter(|id| ids.contains(id)).collect(),
            });
        }
        result.map_or(0, |r| r.len())
    }

    /// Number of distinct terms.
    pub fn len(&self) -> usize {
        self.postings.len()
    }

    /// True when no term has been added.
    pub fn is_empty(&self) -> bool {
        self.postings.is_empty()
    }
}

fn collect_terms(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Str(s) => out.push(s.to_lowercase()),
        Value::List(items) => items.iter().for_each(|v| collect_terms(v, out)),
        Value::Map(map) => {
            for (k, v) in map {
                out.push(k.clone());
                collect_terms(v, out);
            }
        }
        _ => {}
    }
}

#[inline(never)]
fn trigrams(term: &str) -> Vec<String> {
    let chars: Vec<char> = term.chars().collect();
    chars.windows(3).map(|w| w.iter().collect()).collect()
}
