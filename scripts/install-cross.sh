#!/usr/bin/env bash
# Installs what scripts/cross-test.sh and `make dist` need on a fresh Debian machine: Rust's
# Windows and aarch64 targets (and the static musl ones the Linux archives use), their
# linkers (mingw-w64, gcc for aarch64 with its C library), Wine to run the Windows tests,
# qemu-user to run the aarch64 ones (registered with binfmt_misc, as the tests start programs
# of their own), and Python (writes the .zip) and unzip (checks it).
set -euo pipefail
rustup target add x86_64-pc-windows-gnu aarch64-unknown-linux-gnu x86_64-unknown-linux-musl \
  aarch64-unknown-linux-musl
bash "$(dirname "$0")/apt-install.sh" cross gcc-mingw-w64-x86-64 gcc-aarch64-linux-gnu \
  libc6-dev-arm64-cross qemu-user qemu-user-binfmt wine wine64 unzip python3
binfmt=/proc/sys/fs/binfmt_misc
if [ ! -e "$binfmt/qemu-aarch64" ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  [ -e "$binfmt/register" ] || $SUDO mount -t binfmt_misc binfmt_misc "$binfmt"
  $SUDO /lib/systemd/systemd-binfmt /usr/lib/binfmt.d/qemu-aarch64.conf
fi
