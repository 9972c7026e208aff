#!/usr/bin/env bash
# Edit-to-PDF with `gongwen watch --pdf` on a copy of the sample, against a cold
# `gongwen build --pdf` between edits (README, Performance). Usage: benches/watch-pdf.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
gongwen=$PWD/target/release/gongwen
runs=${1:-8}
work=$(mktemp -d)
cp -r content "$work/report"
"$gongwen" watch "$work/report" -o "$work/out/report.docx" --pdf > "$work/watch.log" 2>&1 &
watch=$!
trap 'kill $watch; rm -rf "$work"' EXIT
start=$(date +%s.%N)
until grep -q 正在监视 "$work/watch.log"; do sleep 0.05; done
echo "first PDF: $(echo "$(date +%s.%N) - $start" | bc) s"
for i in $(seq "$runs"); do
  echo "测量第${i}段。" >> "$work/report/05-下一步拟改进措施.md"
  sleep 3
  start=$(date +%s.%N)
  "$gongwen" build "$work/report" -o "$work/cold/report.docx" --pdf > /dev/null
  echo "build --pdf: $(echo "$(date +%s.%N) - $start" | bc) s"
  sleep 1
done
grep 保存后 "$work/watch.log"
