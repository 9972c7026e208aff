//! The inputs `make fuzz` found, and the hostile inputs its targets were written for, kept in
//! fuzz/regressions/<target>/: each must hold the fuzz invariant (fuzz/harness.rs) on every
//! `cargo test`, without cargo-fuzz or a nightly toolchain.

#[path = "../fuzz/harness.rs"]
mod harness;

use std::path::PathBuf;

#[test]
fn every_kept_input_holds_the_invariant() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut ran = 0;
    for target in harness::TARGETS {
        let dir = root.join(target);
        let mut inputs: Vec<PathBuf> = std::fs::read_dir(&dir)
            .unwrap_or_else(|err| panic!("{}: {err}", dir.display()))
            .map(|entry| entry.unwrap().path())
            .collect();
        inputs.sort();
        assert!(!inputs.is_empty(), "{} has no inputs", dir.display());
        for input in inputs {
            let bytes = std::fs::read(&input).unwrap();
            eprintln!("{}", input.display());
            harness::run(target, &bytes);
            ran += 1;
        }
    }
    assert!(ran >= harness::TARGETS.len());
}
