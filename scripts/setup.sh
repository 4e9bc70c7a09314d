#!/usr/bin/env bash
# Installs the Debian packages ocoptrace builds and tests with. Safe to run again: it asks apt only
# when something is missing.
set -euo pipefail

packages=(
  pkg-config
  libsqlite3-dev   # the registry (GRDB)
  libqrencode-dev  # QR symbols
  libpng-dev       # stamp PNGs
  libzbar-dev      # verify --image reads QR codes in photos
  libturbojpeg0-dev # ... and JPEG photos
  zbar-tools       # tests decode every stamp PNG with zbarimg
  libjpeg-turbo-progs # tests make JPEG photos with cjpeg
  libexpat1-dev    # Excel sheets, read as a stream
  libcairo2-dev    # label sheets (PDF)
  libxlsxwriter-dev # marketplace bulk-upload workbooks
  fonts-dejavu-core # ... with Vietnamese text, found through fontconfig
  poppler-utils    # tests rasterise label PDFs (pdftoppm) and read their text (pdftotext)
  qrencode         # ocoptrace-bench issue compares with the qrencode command
  libreoffice-calc # tests open report.csv as a spreadsheet (headless) to see formula-like cells arrive as text
  chromium         # tests render the verification page in a real browser (headless, 360 px wide)
  wrk              # ocoptrace-bench serve loads the server with HTTP requests
  postgresql       # the registry on PostgreSQL: tests and benchmarks start a throwaway cluster
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

# The tests check stamp URLs with a Python GS1 parser; bring Python along where there is none.
command -v python3 >/dev/null || missing+=(python3 python3-pip)

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Independent readers the tests check the output with: biip (GS1 Digital Link), openpyxl (xlsx),
# jsonschema (the resolver's linksets and description file, EPCIS documents, against GS1's schemas;
# rfc3987 and rfc3339_validator let it check "uri" and "date-time" formats: without them
# jsonschema skips those checks silently).
for module in biip openpyxl jsonschema rfc3987 rfc3339_validator; do
  if ! python3 -c "import $module" 2>/dev/null; then
    echo "setup: installing $module (PyPI)" >&2
    python3 -m pip install --quiet --disable-pip-version-check "$module" >/dev/null 2>&1 \
      || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages "$module" >/dev/null
  fi
done
