#!/usr/bin/env bash
# Installs what scripts/cross-test.sh needs on a fresh Debian machine: Rust's Windows and
# aarch64 targets, their linkers (mingw-w64, gcc for aarch64 with its C library), Wine to
# run the Windows tests and qemu-user to run the aarch64 ones; zip for `make dist`.
set -euo pipefail
rustup target add x86_64-pc-windows-gnu aarch64-unknown-linux-gnu
bash "$(dirname "$0")/apt-install.sh" cross gcc-mingw-w64-x86-64 gcc-aarch64-linux-gnu \
  libc6-dev-arm64-cross qemu-user wine wine64 zip
