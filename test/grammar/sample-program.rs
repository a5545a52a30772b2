// A std-only Rust program whose profile has the frames the grammar tests and hint
// rules care about: B-tree clones, hashing, formatting, a mutex. Built and profiled
// by make-samples.sh; its output is where the real lines of the *.test.* files come from.
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};
use std::thread;

fn clone_maps(m: &BTreeMap<u64, String>) -> usize {
    let mut n = 0;
    for _ in 0..200 { let c = m.clone(); n += c.len(); }
    n
}
fn hash_many() -> usize {
    let mut h = HashMap::new();
    for i in 0..2_000_000u64 { h.insert(i, i); }
    h.len()
}
fn fmt_many() -> usize {
    let mut n = 0;
    for i in 0..2_000_000u64 { let s = format!("{}-{}", i, i * 2); n += s.len(); }
    n
}
fn contend() -> u64 {
    let m = Arc::new(Mutex::new(0u64));
    let hs: Vec<_> = (0..4).map(|_| { let m = m.clone(); thread::spawn(move || { for _ in 0..500_000 { *m.lock().unwrap() += 1; } }) }).collect();
    for h in hs { h.join().unwrap(); }
    let v = *m.lock().unwrap(); v
}
fn main() {
    let mut m = BTreeMap::new();
    for i in 0..20_000u64 { m.insert(i, i.to_string()); }
    println!("{} {} {} {}", clone_maps(&m), hash_many(), fmt_many(), contend());
}
