#!/usr/bin/env bash
# Installs the Debian packages ocoptrace builds and tests with. Safe to run again: it asks apt only
# when something is missing.
set -euo pipefail

packages=(
  pkg-config
  libsqlite3-dev   # the registry (GRDB)
  libqrencode-dev  # QR symbols
  libpng-dev       # stamp PNGs
  zbar-tools       # tests decode every stamp PNG with zbarimg
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if [ ${#missing[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing ${missing[*]}" >&2
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
