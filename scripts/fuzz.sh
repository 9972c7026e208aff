#!/usr/bin/env bash
# make fuzz: runs each cargo-fuzz target (fuzz/fuzz_targets/) for SECONDS, seeded from the
# sample report, the test fixtures and the kept regressions. cargo-fuzz needs unstable
# compiler flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them. No sanitizer:
# the code is safe Rust, and the invariant (no panic, no hang, well-formed parts) is checked
# by fuzz/harness.rs itself. A crash is saved in fuzz/artifacts/TARGET/; once fixed, copy
# it to fuzz/regressions/TARGET/, which `cargo test` runs.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
targets=${TARGETS:-section data indicators formula report style textconv}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
cargo fuzz build -s none
seed() {
    local target=$1 corpus=fuzz/corpus/$1
    mkdir -p "$corpus"
    cp fuzz/regressions/"$target"/* "$corpus"/
    case $target in
        section) cp content/*.md tests/fixtures/seed-verbatim/*.md "$corpus"/ ;;
        data) cp content/data.yaml "$corpus"/content-data.yaml
              cp tests/fixtures/seed-verbatim/data.yaml "$corpus"/seed-data.yaml ;;
        indicators) cp content/indicators.yaml "$corpus"/content-indicators.yaml ;;
        formula) sed -n 's/^ *公式: *//p' content/indicators.yaml | split -l 1 - "$corpus"/content- ;;
        report) cp content/report.yaml "$corpus"/content-report.yaml ;;
        style) cp styles/*.yaml "$corpus"/ ;;
        textconv) cargo run --quiet -- build content -o "$corpus"/content.docx >/dev/null ;;
    esac
}
for target in $targets; do
    seed "$target"
    mkdir -p fuzz/artifacts/"$target"
    echo "== $target: ${seconds} s"
    cargo fuzz run -s none "$target" fuzz/corpus/"$target" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -artifact_prefix=fuzz/artifacts/"$target"/ -print_final_stats=1 2>&1 |
        grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|.*(panicked|Test unit written))' || true
done
