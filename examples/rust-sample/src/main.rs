//! `hotspot-sample [--scale PERCENT] [PHASE...]` — runs the sample workload.
//!
//! PHASE is one of `evaluate`, `index`, `report`, `pool` (default: all of them).
//! `--scale 100` (the default) takes about 1–2 s in a release build.

use hotspot_sample::workload::{run, Phase};
use std::process::ExitCode;

fn main() -> ExitCode {
    let mut scale = 100u64;
    let mut phases = Vec::new();
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--scale" {
            match args.next().and_then(|s| s.parse().ok()) {
                Some(s) => scale = s,
                None => {
                    eprintln!("--scale needs a number (percent)");
                    return ExitCode::from(2);
                }
            }
        } else if let Some(p) = Phase::parse(&arg) {
            phases.push(p);
        } else {
            eprintln!("unknown argument {arg:?}; phases: evaluate index report pool");
            return ExitCode::from(2);
        }
    }
    if phases.is_empty() {
        phases.extend(Phase::ALL);
    }
    let checksum = run(&phases, scale);
    println!("checksum {checksum}");
    ExitCode::SUCCESS
}
