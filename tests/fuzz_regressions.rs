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

/// The class of W001's panic (a search that started inside a character when ASCII stood
/// before the word): every rule on prose that mixes one-byte and three-byte characters with
/// the words, marks and figures the rules look for, at any offsets, holds the invariant.
mod mixed_widths {
    use super::harness;
    use proptest::prelude::*;

    const PIECES: [&str; 24] = [
        "截止",
        "未到了",
        "未达到了",
        "三公经费",
        "“三公”经费",
        "舆情检测",
        "的的",
        "一是",
        "三是",
        "1",
        "2.5",
        "90.54%",
        ",",
        ";",
        "(",
        ")",
        "a",
        " ",
        "。",
        "，",
        "万元",
        "元",
        "——",
        "--",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]
        #[test]
        fn the_rules_hold_on_text_of_mixed_widths(
            pieces in prop::collection::vec(prop::sample::select(PIECES.to_vec()), 1..40),
        ) {
            let section = format!("# 情况\n\n{}\n", pieces.concat());
            harness::run("section", section.as_bytes());
        }
    }
}
