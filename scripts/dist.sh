#!/usr/bin/env bash
# make dist: ready-to-run archives for writers without a Rust toolchain, built with the dist
# profile (fat LTO) into target/dist/: Windows x86_64 (.zip with gongwen.exe), Linux x86_64
# and aarch64 (.tar.gz), each with the README, the style files and the sample report.
# The Linux programs are static (musl): a glibc build from here would need glibc 2.34, newer
# than 统信 UOS 20 and 麒麟 V10 have. Needs scripts/install-cross.sh for the targets.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cross-env.sh

version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
dist=target/dist
rm -rf "$dist"
mkdir -p "$dist"
for target in x86_64-unknown-linux-musl aarch64-unknown-linux-musl x86_64-pc-windows-gnu; do
  cargo build --locked --profile dist --target "$target"
  name="gongwen-$version-$target"
  stage="$dist/$name"
  mkdir -p "$stage"
  exe=gongwen
  [[ $target == *windows* ]] && exe=gongwen.exe
  cp "target/$target/dist/$exe" "$stage/"
  cp README.md "$stage/"
  cp -r styles content "$stage/"
  # Same sources, same archive: sorted names, fixed dates and owners.
  find "$stage" -exec touch -h -d 2000-01-01T00:00:00Z {} +
  if [[ $target == *windows* ]]; then
    (cd "$dist" && find "$name" | LC_ALL=C sort | zip -q -X "$name.zip" -@)
  else
    tar -C "$dist" --sort=name --owner=0 --group=0 --numeric-owner -c "$name" |
      gzip -n -9 >"$dist/$name.tar.gz"
  fi
  rm -rf "$stage"
done
ls -l "$dist"
