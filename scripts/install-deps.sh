#!/usr/bin/env bash
# Installs what the layout tests and `make pdf` need on a fresh Debian machine:
# LibreOffice (headless Writer, and Calc to open the 自评表's .xlsx) to render the .docx,
# poppler to measure the PDF, and free CJK fonts that styles/fonts/fonts.conf maps the official
# font names to; python3-uno lets `gongwen watch --pdf` keep one LibreOffice running between
# previews; pandoc, whose .docx files the import tests read; Chromium, in which the
# `gongwen serve` test measures the preview page; then Python's venv and, in it,
# the Open XML validators the tests run (scripts/install-validator.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/apt-install.sh deps libreoffice-writer-nogui libreoffice-calc-nogui python3-uno \
  poppler-utils fontconfig fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming fonts-liberation \
  python3-venv pandoc chromium
bash scripts/install-validator.sh
