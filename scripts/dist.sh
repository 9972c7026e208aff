#!/usr/bin/env bash
# make dist: ready-to-run archives for writers without a Rust toolchain, built with the dist
# profile (fat LTO) into target/archives/: Windows x86_64 (.zip with gongwen.exe), Linux x86_64
# and aarch64 (.tar.gz), each with the README, the guide (Markdown), the style files and the
# sample report.
# The Linux programs are static (musl): a glibc build from here would need glibc 2.34, newer
# than 统信 UOS 20 and 麒麟 V10 have. Needs scripts/install-cross.sh for the targets.
# Then each archive is checked as a writer would use it: unpacked, its program (under Wine,
# under qemu for aarch64) builds its content/, and the three .docx files are the same bytes.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/cross-env.sh
# Same sources, same archives: names sorted, dates, owners and modes fixed.
export TZ=UTC
umask 022

targets=(x86_64-unknown-linux-musl aarch64-unknown-linux-musl x86_64-pc-windows-gnu)
version=$(sed -n 's/^version = "\(.*\)"/\1/p' Cargo.toml | head -1)
# Not target/dist: cargo keeps the dist profile's build scripts and macros there.
dist=target/archives
rm -rf "$dist"
mkdir -p "$dist"
for target in "${targets[@]}"; do
  cargo build --locked --profile dist --target "$target"
  name="gongwen-$version-$target"
  stage="$dist/$name"
  mkdir -p "$stage"
  exe=gongwen
  [[ $target == *windows* ]] && exe=gongwen.exe
  cp "target/$target/dist/$exe" "$stage/"
  cp README.md "$stage/"
  # Where the README's links point: the writers' guide, readable as it is.
  mkdir -p "$stage/docs"
  cp -r docs/guide "$stage/docs/"
  cp -r styles content "$stage/"
  chmod -R u=rwX,go=rX "$stage"
  chmod 755 "$stage/$exe"
  find "$stage" -exec touch -h -d 2000-01-01T00:00:00Z {} +
  if [[ $target == *windows* ]]; then
    # Python's zipfile marks names as UTF-8 (Info-ZIP's zip does not), so Windows shows
    # the Chinese file names as they are, not in its local code page.
    python3 - "$dist" "$name" <<'PY'
import os, sys, zipfile
dist, name = sys.argv[1:]
entries = []
for root, dirs, files in os.walk(os.path.join(dist, name)):
    entries += [os.path.join(root, d) + "/" for d in dirs] + [os.path.join(root, f) for f in files]
with zipfile.ZipFile(os.path.join(dist, name + ".zip"), "w") as archive:
    for path in sorted(entries):
        info = zipfile.ZipInfo(os.path.relpath(path, dist) + ("/" if path.endswith("/") else ""),
                               (2000, 1, 1, 0, 0, 0))
        info.external_attr = (0o40755 if path.endswith("/") else os.stat(path).st_mode) << 16
        data = b"" if path.endswith("/") else open(path, "rb").read()
        archive.writestr(info, data, zipfile.ZIP_DEFLATED, 9)
PY
  else
    LC_ALL=C tar -C "$dist" --sort=name --owner=0 --group=0 --numeric-owner -c "$name" |
      gzip -n -9 >"$dist/$name.tar.gz"
  fi
  rm -rf "$stage"
done

wine_ready
check=$(mktemp -d)
trap 'rm -rf "$check"' EXIT
for target in "${targets[@]}"; do
  name="gongwen-$version-$target"
  case $target in
    *windows*) archive=$name.zip; run=(wine ./gongwen.exe) ;;
    aarch64*) archive=$name.tar.gz; run=(qemu-aarch64 ./gongwen) ;;
    *) archive=$name.tar.gz; run=(./gongwen) ;;
  esac
  if [[ $archive == *.zip ]]; then
    unzip -q -d "$check" "$dist/$archive"
  else
    tar -C "$check" -xzf "$dist/$archive"
  fi
  (cd "$check/$name" && "${run[@]}" build content -o "../$target.docx" >/dev/null)
  echo "dist: $archive, unpacked, builds its sample: $(sha256sum <"$check/$target.docx" | cut -c1-16)"
done
for target in "${targets[@]:1}"; do
  cmp "$check/${targets[0]}.docx" "$check/$target.docx"
done
echo "dist: the three archives' programs write the same .docx"
(cd "$dist" && sha256sum ./*)
