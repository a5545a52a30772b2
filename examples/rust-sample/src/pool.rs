//! A worker pool of tiny tasks behind a single `Mutex<VecDeque<_>>`.
//!
//! Every task is a few hundred nanoseconds of work, so the workers spend much of their
//! time taking the lock (`std::sync::Mutex::lock`, futex waits) rather than working.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::thread;

/// A unit of work: checksum a small range of numbers.
#[derive(Clone, Copy, Debug)]
pub struct Task {
    pub start: u64,
    pub len: u64,
}

/// Runs `tasks` tiny tasks on `workers` threads (named `pool-worker-N`); returns the
/// combined checksum.
#[inline(never)]
pub fn run_pool(workers: usize, tasks: u64) -> u64 {
    let queue: Arc<Mutex<VecDeque<Task>>> =
        Arc::new(Mutex::new((0..tasks).map(|i| Task { start: i * 16, len: 16 }).collect()));
    let total = Arc::new(Mutex::new(0u64));
    let handles: Vec<_> = (0..workers)
        .map(|n| {
            let queue = Arc::clone(&queue);
            let total = Arc::clone(&total);
            thread::Builder::new()
                .name(format!("pool-worker-{n}"))
                .spawn(move || worker_loop(&queue, &total))
                .expect("spawn worker")
        })
        .collect();
    for h in handles {
        h.join().expect("worker panicked");
    }
    let sum = *total.lock().unwrap();
    sum
}

#[inline(never)]
fn worker_loop(queue: &Mutex<VecDeque<Task>>, total: &Mutex<u64>) {
    loop {
        let task = { queue.lock().unwrap().pop_front() };
        let task = if let Some(task) = task { task } else { break };
        let value = run_task(task);
        *total.lock().unwrap() += value;
    }
}

#[inline(never)]
fn run_task(task: Task) -> u64 {
    let mut acc = 0u64;
    for i in task.start..task.start + task.len {
        acc = acc.wrapping_mul(31).wrapping_add(i ^ (i >> 3));
    }
    acc
}
