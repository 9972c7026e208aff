#!/usr/bin/env bash
# Installs what the layout tests and `make pdf` need on a fresh Debian machine:
# LibreOffice (headless Writer) to render the .docx, poppler to measure the PDF, and free CJK
# fonts that styles/fonts/fonts.conf maps the official font names to.
set -euo pipefail
bash "$(dirname "$0")/apt-install.sh" deps libreoffice-writer-nogui poppler-utils fontconfig \
  fonts-noto-cjk fonts-arphic-ukai fonts-arphic-uming fonts-liberation
