#!/usr/bin/env bash
# Builds a Debian package (target/debian/authdoctor_*.deb) with the binary, a menu entry and the
# icon: install it with `sudo apt install ./target/debian/authdoctor_*.deb`, then start AuthDoctor
# from the applications menu.
set -euo pipefail
cd "$(dirname "$0")/.."
command -v cargo-deb >/dev/null || cargo install --locked cargo-deb
cargo deb
ls -l target/debian/*.deb
