#!/usr/bin/env bash
# Regenerates the menu icons in packaging/icons/ (the sizes desktops look for in the hicolor theme)
# and packaging/windows/authdoctor.ico from assets/icon.png (256×256). Run it after changing the
# icon, and commit the results: scripts/package-deb.sh installs them as they are, so packaging
# needs no image tools.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if ! /usr/bin/convert -version 2>/dev/null | grep -q ImageMagick; then
  echo "make-icons.sh: needs ImageMagick: sudo apt-get install imagemagick" >&2
  exit 1
fi
for size in 16 22 24 32 48 64 128 512; do
  mkdir -p "packaging/icons/${size}x${size}"
  # -strip drops the time stamps, so an unchanged icon gives unchanged files.
  /usr/bin/convert assets/icon.png -filter Lanczos -resize "${size}x${size}" -strip \
    "PNG32:packaging/icons/${size}x${size}/authdoctor.png"
done
# Windows: one .ico with every size, for the installer and the program's own icon (README).
mkdir -p packaging/windows
/usr/bin/convert assets/icon.png -define icon:auto-resize=256,128,64,48,32,24,16 packaging/windows/authdoctor.ico
ls -l packaging/icons/*/authdoctor.png packaging/windows/authdoctor.ico
