#!/usr/bin/env bash
# Checks (and as root installs) the system packages docgen needs:
#   libreoffice-writer-nogui  DOCX → PDF (headless)
#   fonts-liberation2         metric-compatible Times New Roman with every Vietnamese letter
#   poppler-utils             pdftoppm (page images in tests)
#   cups, cups-client, printer-driver-cups-pdf   lp and a virtual PDF printer (print tests)
#   chromium                  the headless browser of the web app's end-to-end tests
#   tesseract-ocr, tesseract-ocr-vie   OCR of scanned old papers (docgen import)
set -euo pipefail
PKGS="libreoffice-writer-nogui python3-uno fonts-liberation2 poppler-utils cups cups-client printer-driver-cups-pdf chromium tesseract-ocr tesseract-ocr-vie"

missing=()
command -v soffice >/dev/null 2>&1 || missing+=(libreoffice-writer-nogui)
/usr/bin/python3 -c "import uno" >/dev/null 2>&1 || missing+=(python3-uno)
command -v pdftoppm >/dev/null 2>&1 || missing+=(poppler-utils)
command -v lp >/dev/null 2>&1 || missing+=(cups-client)
command -v cupsd >/dev/null 2>&1 || missing+=(cups)
[[ -d /usr/lib/cups/backend && -e /usr/lib/cups/backend/cups-pdf ]] || missing+=(printer-driver-cups-pdf)
[[ -x /usr/bin/chromium ]] || missing+=(chromium)
command -v tesseract >/dev/null 2>&1 || missing+=(tesseract-ocr)
{ command -v tesseract >/dev/null 2>&1 && tesseract --list-langs 2>/dev/null | grep -qx vie; } || missing+=(tesseract-ocr-vie)
fonts=$(fc-list 2>/dev/null || true)
if [[ "$fonts" != *liberation2/LiberationSerif-Regular.ttf* ]]; then
  missing+=(fonts-liberation2)
fi

if ((${#missing[@]})); then
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null 2>&1; then
    echo "docgen: cài gói hệ thống / installing system packages: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends $PKGS >/dev/null
  else
    echo "docgen: thiếu gói hệ thống / missing system packages: ${missing[*]}" >&2
    echo "Chạy / run:  sudo apt-get update && sudo apt-get install -y --no-install-recommends $PKGS" >&2
    exit 1
  fi
fi

font=$(fc-match -f '%{family[0]}' "Times New Roman" 2>/dev/null || true)
if [[ "$font" != "Liberation Serif" ]]; then
  echo "docgen: fontconfig maps \"Times New Roman\" to \"$font\", expected \"Liberation Serif\"." >&2
  echo "Install fonts-liberation2 (or Microsoft's Times New Roman) and run fc-cache -f." >&2
  exit 1
fi
