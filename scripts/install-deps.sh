#!/usr/bin/env bash
# Installs what the layout tests and `make pdf` need on a fresh Debian machine:
# LibreOffice (headless Writer) to render the .docx, poppler to measure the PDF, and free CJK
# fonts that styles/fonts/fonts.conf maps the official font names to; pandoc, whose .docx
# files the import tests read; then Python's venv
# and, in it, the Open XML validators the tests run (scripts/install-validator.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
packages=(libreoffice-writer-nogui poppler-utils fontconfig fonts-noto-cjk fonts-arphic-ukai
          fonts-arphic-uming fonts-liberation python3-venv pandoc)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "deps: all installed"
else
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "deps: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
bash scripts/install-validator.sh
