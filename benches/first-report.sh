#!/usr/bin/env bash
# The first `make report` a new user runs: clones this repository (its committed HEAD, or
# the revision given) into a temporary folder, with no target/ and no CARGO_TARGET_DIR, and
# times `make report` there, compile included. Prints wall and CPU time (user+sys) and the
# load average before and after, then deletes the clone. The crates are taken from cargo's
# download cache when they are in it (the time measured is compiling, not downloading).
# Usage: benches/first-report.sh [REVISION]; KEEP=FILE copies the program built there to FILE
# (to measure it: python3 benches/compare.py --gongwen FILE).
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
rev=${1:-HEAD}
work=$(mktemp -d /tmp/gongwen-first-report.XXXXXX)
trap 'rm -rf "$work"' EXIT
git clone --quiet --no-checkout "$repo" "$work/gongwen"
git -C "$work/gongwen" checkout --quiet --detach "$(git -C "$repo" rev-parse "$rev")"
cd "$work/gongwen"
unset CARGO_TARGET_DIR CARGO_BUILD_TARGET_DIR
cargo fetch --locked --quiet
echo "first-report: $(git log -1 --format='%h %s') on $(nproc) cores"
echo "first-report: load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
/usr/bin/time -f 'first-report: make report: %e s wall, %U s user + %S s sys' make report
echo "first-report: load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
test -s build/部门整体绩效自评报告.docx
if [ -n "${KEEP:-}" ]; then cp target/quick/gongwen "$KEEP"; fi
