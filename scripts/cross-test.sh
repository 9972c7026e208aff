#!/usr/bin/env bash
# Cross-builds gongwen and its tests for Windows x86_64 (mingw-w64, run under Wine) and Linux
# aarch64 (run under qemu-user), runs the tests there, and checks that the sample report comes
# out byte-identical from the three builds. Needs scripts/install-cross.sh first.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/cross-env.sh

# What cannot run there, and why (cargo lists the layout tests as ignored on its own).
# - git: Wine runs Windows programs, and the Linux git cannot be one of them.
windows_skip=(--skip diff_reads_git_revisions --skip diff_outside_git_says_so
  --skip review_commands_resolve_the_report_in_the_repository_whatever_the_spelling)

# Runs a command with a time limit; when it hangs (exit 124), says so and runs it once more.
guarded() {
  local status=0
  timeout --kill-after=30 1800 "$@" || status=$?
  if [ "$status" -eq 124 ] || [ "$status" -eq 137 ]; then
    echo "cross: still running after 30 minutes, stopped; once more: $*" >&2
    timeout --kill-after=30 1800 "$@"
  elif [ "$status" -ne 0 ]; then
    return "$status"
  fi
}

out=target/cross
mkdir -p "$out"
cargo build --locked
target/debug/gongwen build content -o "$out/x86_64-linux.docx"

echo "cross: aarch64-unknown-linux-gnu (qemu-user)"
# qemu-user now and then hangs a process that a multi-threaded one starts: the tests' helper
# then kills it after its deadline and starts it once more, with a warning (tests/common).
# A test binary that hangs as a whole is stopped here, and the suite run once more.
export GONGWEN_TEST_EMULATOR=qemu-user
guarded cargo test --locked --target aarch64-unknown-linux-gnu
unset GONGWEN_TEST_EMULATOR
cargo build --locked --target aarch64-unknown-linux-gnu
$CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER target/aarch64-unknown-linux-gnu/debug/gongwen \
  build content -o "$out/aarch64-linux.docx"

echo "cross: x86_64-pc-windows-gnu (Wine)"
wine_ready
# The tests name the repository by the absolute path they were compiled with; under Wine
# "/work/gongwen" means C:\work\gongwen, so that path on drive C leads back here.
mkdir -p "$WINEPREFIX/drive_c$(dirname "$PWD")"
ln -sfn "$PWD" "$WINEPREFIX/drive_c$PWD"
echo "cross: skipped under Wine (needs the Linux git): ${windows_skip[*]}"
# Wine's loader now and then fails to start one of the many programs a test starts
# (0xC0000142): the tests' helper starts it once more, with a warning (tests/common).
export GONGWEN_TEST_EMULATOR=wine
cargo test --locked --target x86_64-pc-windows-gnu -- "${windows_skip[@]}"
unset GONGWEN_TEST_EMULATOR
cargo build --locked --target x86_64-pc-windows-gnu
wine target/x86_64-pc-windows-gnu/debug/gongwen.exe build content -o "$out/x86_64-windows.docx"

sha256sum "$out"/*.docx "$out"/*.xlsx
# The report, and its 自评表 beside it as .docx and .xlsx.
for output in "" -自评表 ; do
  for other in aarch64-linux x86_64-windows; do
    cmp "$out/x86_64-linux$output.docx" "$out/$other$output.docx"
  done
done
for other in aarch64-linux x86_64-windows; do
  cmp "$out/x86_64-linux-自评表.xlsx" "$out/$other-自评表.xlsx"
done
echo "cross: the sample's three outputs are byte-identical on x86_64 Linux, aarch64 Linux and Windows"
