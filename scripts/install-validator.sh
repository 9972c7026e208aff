#!/usr/bin/env bash
# The Open XML validators the tests run (tests/common/validator.rs), pinned, in a virtual
# environment at .venv/: openxml-audit (a Python port of the Open XML SDK's validator: what
# Word checks) and ooxml-integrity (references, revisions, content types).
set -euo pipefail
cd "$(dirname "$0")/.."
pins=(openxml-audit==0.8.0 ooxml-integrity==0.8.4)
installed() {
  local pin
  for pin in "${pins[@]}"; do
    [ "$(.venv/bin/python -m pip show "${pin%%==*}" 2>/dev/null | sed -n 's/^Version: //p')" = "${pin##*==}" ] || return 1
  done
}
if [ -x .venv/bin/python ] && installed; then
  echo "validator: ${pins[*]} installed"
  exit 0
fi
python3 -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check "${pins[@]}"
echo "validator: installed ${pins[*]} in .venv"
# build.rs looks for the validator to decide whether its tests run; make it look again.
touch build.rs
