# Sourced by cross-test.sh and dist.sh: the linkers and runners of the other targets
# (Debian's mingw-w64 and aarch64 gcc, Wine and qemu-user; scripts/install-cross.sh).
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_RUNNER=wine
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_RUNNER="qemu-aarch64 -L /usr/aarch64-linux-gnu"
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_MUSL_LINKER=aarch64-linux-gnu-gcc
# The tests start gongwen (and themselves): binfmt_misc hands aarch64 programs to qemu, which
# finds their C library here.
export QEMU_LD_PREFIX=/usr/aarch64-linux-gnu
export WINEDEBUG=-all
export WINEPREFIX="${WINEPREFIX:-$PWD/target/wine}"

# A Wine prefix that runs Rust programs: Rust's std on Windows asks bcryptprimitives.dll for
# random bytes (ProcessPrng), which Wine's lacks; a small stand-in is built into the prefix.
wine_ready() {
  wineboot --init >/dev/null 2>&1 || true
  local system32="$WINEPREFIX/drive_c/windows/system32"
  if [ ! -e "$system32/bcryptprimitives.dll" ]; then
    x86_64-w64-mingw32-gcc -shared -O2 -o "$system32/bcryptprimitives.dll" \
      scripts/wine/bcryptprimitives.c -lbcrypt
  fi
}
