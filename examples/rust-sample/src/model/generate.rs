//! Deterministic generator of "encounter" documents (no `rand` crate: a small xorshift).

use super::value::Value;
use std::collections::BTreeMap;

/// A 64-bit xorshift generator; deterministic for a given seed.
pub struct XorShift(u64);

impl XorShift {
    /// Creates a generator; a zero seed is replaced by a fixed constant.
    pub fn new(seed: u64) -> Self {
        XorShift(if seed == 0 { 0x9E37_79B9_7F4A_7C15 } else { seed })
    }

    /// Next pseudo-random number.
    pub fn next_u64(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    /// Uniform-ish number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n
    }
}

const WORDS: &[&str] = &[
    "acute", "ward", "icu", "discharge", "transfer", "admission", "emergency", "observation",
    "surgery", "cardiology", "renal", "neurology", "outpatient", "followup", "imaging", "lab",
];

const KINDS: &[&str] = &["Encounter", "Observation", "Patient", "Procedure", "Condition"];

/// Builds one document: a map with an id, a kind, a few tags and nested `entry` records.
#[inline(never)]
pub fn make_document(rng: &mut XorShift, id: usize) -> Value {
    let mut root = BTreeMap::new();
    root.insert("id".to_string(), Value::Int(id as i64));
    root.insert("resourceType".to_string(), Value::Str(KINDS[rng.below(KINDS.len() as u64) as usize].to_string()));
    let mut entries = Vec::new();
    for e in 0..(4 + rng.below(5)) {
        let mut entry = BTreeMap::new();
        entry.insert("seq".to_string(), Value::Int(e as i64));
        entry.insert("status".to_string(), Value::Str(WORDS[rng.below(WORDS.len() as u64) as usize].to_string()));
        let mut tags = Vec::new();
        for _ in 0..(2 + rng.below(4)) {
            tags.push(Value::Str(WORDS[rng.below(WORDS.len() as u64) as usize].to_string()));
        }
        entry.insert("tags".to_string(), Value::List(tags));
        let mut meta = BTreeMap::new();
        meta.insert("score".to_string(), Value::Int(rng.below(1000) as i64));
        meta.insert("active".to_string(), Value::Bool(rng.below(2) == 0));
        meta.insert("note".to_string(), Value::Str(format!("note-{id}-{e}")));
        entry.insert("meta".to_string(), Value::Map(meta));
        entries.push(Value::Map(entry));
    }
    root.insert("entry".to_string(), Value::List(entries));
    Value::Map(root)
}

/// Builds `count` documents from `seed`.
pub fn make_documents(seed: u64, count: usize) -> Vec<Value> {
    let mut rng = XorShift::new(seed);
    (0..count).map(|i| make_document(&mut rng, i)).collect()
}
