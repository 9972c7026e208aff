#!/usr/bin/env bash
# make fuzz: runs every cargo-fuzz target (fuzz/fuzz_targets/) at once, SECONDS each, seeded
# from the sample report, the test fixtures and the kept regressions. cargo-fuzz needs
# unstable compiler flags; RUSTC_BOOTSTRAP=1 lets the stable toolchain accept them.
#
# Cheap executions: cargo-fuzz's release build with debug assertions and overflow checks,
# and no sanitizer (-s none): gongwen forbids unsafe code, so AddressSanitizer would only
# watch dependencies' unsafe code at about twice the cost; the invariant (no panic, no hang,
# every XML part well-formed) is checked by fuzz/harness.rs itself. Each target's -max_len
# fits the kind of file it reads. The runs are niced to 19 so that any other work on the
# machine comes first; -timeout is wide for the same reason (a starved input waits for the
# CPU), a real hang still ends there.
#
# A crash or hang is saved in fuzz/artifacts/TARGET/; once fixed, copy it to
# fuzz/regressions/TARGET/, which `cargo test` runs. Logs: fuzz/logs/TARGET.log, each ending
# with its executions and CPU time, summed up at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-300}
targets=${TARGETS:-section data indicators formula report style textconv import}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
export RUSTC_BOOTSTRAP=1
cargo fuzz build -s none
bin=fuzz/target/$(rustc -vV | sed -n 's/^host: //p')/release
declare -A max_len=([section]=20000 [data]=8192 [indicators]=12288 [formula]=1024
                    [report]=2048 [style]=8192 [textconv]=32768 [import]=32768)
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
        import) cargo run --quiet -- build content -o "$corpus"/content.docx >/dev/null
                pandoc -f markdown -t docx content/*.md -o "$corpus"/content-pandoc.docx ;;
    esac
}
mkdir -p fuzz/logs
for target in $targets; do
    seed "$target"
    mkdir -p fuzz/artifacts/"$target"
    (
        TIMEFORMAT="cpu: %U s user, %S s system, %R s wall"
        time nice -n 19 "$bin/$target" fuzz/corpus/"$target" -max_total_time="$seconds" \
            -timeout=30 -report_slow_units=30 -rss_limit_mb=1024 -max_len="${max_len[$target]}" \
            -artifact_prefix=fuzz/artifacts/"$target"/ -print_final_stats=1 || true
    ) >fuzz/logs/"$target".log 2>&1 &
done
echo "fuzzing ${targets// /, } for ${seconds} s each, at once (logs in fuzz/logs/)"
wait
status=0
for target in $targets; do
    log=fuzz/logs/$target.log
    runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    echo "== $target: ${runs:-?} executions; $(grep '^cpu:' "$log")"
    if grep -E 'panicked|Test unit written|SUMMARY' "$log"; then status=1; fi
done
exit $status
