#!/usr/bin/env bash
# The rendered-document tests (tests/documents/test_rendered.py) convert each kind of document with
# Debian's LibreOffice and read page one with pdftotext (poppler-utils). Installs them with apt when
# either is missing; does nothing when both are there. Without them those tests are skipped.
set -euo pipefail
if command -v soffice >/dev/null && command -v pdftotext >/dev/null; then
  exit 0
fi
echo "installing Debian's LibreOffice (Writer, no GUI) and poppler-utils for the rendered-document tests"
export DEBIAN_FRONTEND=noninteractive
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui poppler-utils fonts-liberation2 >/dev/null
soffice --version
