#!/usr/bin/env bash
# Installs what the layout tests and `make pdf` need on a fresh Debian machine:
# LibreOffice (headless Writer) to render the .docx, poppler to measure the PDF, and free CJK
# fonts that styles/fonts/fonts.conf maps the official font names to; then Python's venv
# and, in it, the Open XML validators the tests run (scripts/install-validator.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/apt-install.sh deps libreoffice-writer-nogui poppler-utils fontconfig \
  fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming fonts-liberation python3-venv
bash scripts/install-validator.sh
