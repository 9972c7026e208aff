#!/usr/bin/env bash
# Prints the Rust target the release binary is built for: the host's musl twin on Linux with
# glibc (added with rustup if missing; src/platform.rs says why), else the host itself.
# Messages go to stderr; the target alone to stdout.
set -uo pipefail
host=$(rustc -vV | sed -n 's/^host: //p')
musl=${host/linux-gnu/linux-musl}
if [ "$musl" = "$host" ]; then
  echo "$host"
elif [ -d "$(rustc --print sysroot)/lib/rustlib/$musl" ]; then
  echo "$musl"
else
  echo "make: adding Rust's $musl target for the release binary (rustup target add)" >&2
  if rustup target add "$musl" >/dev/null; then
    echo "$musl"
  else
    echo "make: no $musl target; building on glibc, which starts slower" >&2
    echo "$host"
  fi
fi
