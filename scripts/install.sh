#!/usr/bin/env bash
# Builds AuthDoctor from this source tree and installs it like a desktop app, on Debian 12/13 or
# Ubuntu 22.04/24.04: the build tools (apt), a Rust toolchain from rustup when cargo is missing or
# older than the crate's rust-version, a release build, and the .deb of scripts/package-deb.sh
# installed with apt (menu entry, `authdoctor` on the PATH, reports and HAR logs open with a
# double-click). Then it opens the app.
# Usage: bash scripts/install.sh [--yes] [--no-open]
#   Run it as yourself (it asks sudo for the apt steps) or as root (e.g. in a container).
#   --yes      start at once, without the 10-second pause after the plan
#   --no-open  do not open the window at the end
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=$SECONDS

pause=yes
open_app=yes
for arg in "$@"; do
  case $arg in
    -y | --yes) pause=no ;;
    --no-open) open_app=no ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "install.sh: unknown argument $arg (see --help)" >&2; exit 2 ;;
  esac
done

say() { printf '\n==> %s\n' "$*" >&2; }
fail() {
  printf '\ninstall.sh: %s\n' "$*" >&2
  exit 1
}

[[ -f Cargo.toml && -f scripts/package-deb.sh ]] || fail "run me from an AuthDoctor source tree (scripts/install.sh)"
command -v apt-get >/dev/null 2>&1 || fail "this installer is for Debian and Ubuntu (apt-get was not found); see README.md for other systems"
sudo=()
if [[ $(id -u) != 0 ]]; then
  command -v sudo >/dev/null 2>&1 || fail "run me as root, or install sudo: the apt steps need it"
  sudo=(sudo)
fi
apt_get() { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get "$@"; }

rust_version=$(sed -n 's/^rust-version *= *"\(.*\)"/\1/p' Cargo.toml)
[[ -x $HOME/.cargo/bin/cargo ]] && export PATH="$HOME/.cargo/bin:$PATH"
cargo_version() { cargo --version 2>/dev/null | awk '{print $2}'; }
cargo_is_new_enough() {
  local version
  version=$(cargo_version)
  [[ -n $version ]] && dpkg --compare-versions "$version" ge "$rust_version"
}
need_rustup=no
cargo_is_new_enough || need_rustup=yes

# What is going to happen, before anything does.
system=$(sed -n 's/^PRETTY_NAME=//p' /etc/os-release 2>/dev/null | tr -d '"')
cat >&2 <<EOF
AuthDoctor installer (${system:-this system}, $(nproc) cores)

It will download and install:
  - from your distribution, with apt: a C compiler (gcc, libc6-dev), dpkg-dev, curl and
    ca-certificates, then the libraries the window needs (OpenGL, X11/Wayland) and, recommended
    for the file dialogs, xdg-desktop-portal-gtk (about 165 MB on a minimal system, far less on a desktop)
EOF
if [[ $need_rustup == yes ]]; then
  if [[ -n $(cargo_version) ]]; then
    echo "  - the Rust toolchain from rustup (sh.rustup.rs, about 100 MB): your cargo $(cargo_version) is older than the $rust_version this needs" >&2
  else
    echo "  - the Rust toolchain from rustup (sh.rustup.rs, about 100 MB) into ~/.rustup and ~/.cargo" >&2
  fi
else
  echo "  - no Rust toolchain: cargo $(cargo_version) is here (this needs $rust_version or newer)" >&2
fi
cat >&2 <<EOF
  - about 370 Rust crates from crates.io (about 45 MB) into ~/.cargo/registry

Then it builds AuthDoctor (about 7 minutes on 2 cores; target/ takes about 1.2 GB, and can be
deleted afterwards), installs the package target/debian/authdoctor_*.deb and opens the app.
EOF
if [[ $pause == yes && -t 0 ]]; then
  echo "Starting in 10 seconds (Ctrl+C to stop; --yes skips this pause)..." >&2
  sleep 10
fi

say "Installing the build tools with apt"
apt_get update -qq
apt_get install -y -qq --no-install-recommends gcc libc6-dev dpkg-dev binutils ca-certificates curl >/dev/null

if [[ $need_rustup == yes ]]; then
  if command -v rustup >/dev/null 2>&1; then
    say "Installing the current stable Rust toolchain with rustup"
    rustup toolchain install stable --profile minimal
    export RUSTUP_TOOLCHAIN=stable
  else
    say "Installing Rust with rustup (sh.rustup.rs)"
    # -y: no questions (also when a distribution's older cargo is present: rustup's comes first
    # on the PATH it sets up in ~/.profile, and in this script).
    curl --proto '=https' --tlsv1.2 -sSf https://sh.rustup.rs |
      sh -s -- -y --profile minimal --default-toolchain stable ||
      fail "could not install Rust with rustup (is sh.rustup.rs reachable from here?). Install Rust $rust_version or newer yourself (https://rustup.rs), then run me again."
    export PATH="$HOME/.cargo/bin:$PATH"
  fi
  cargo_is_new_enough || fail "cargo $(cargo_version) is still older than $rust_version after rustup"
fi

say "Building AuthDoctor (cargo $(cargo_version), release; about 7 minutes on 2 cores)"
build_started=$SECONDS
cargo build --release --locked
echo "built in $(((SECONDS - build_started) / 60)) min $(((SECONDS - build_started) % 60)) s" >&2

say "Making the package"
deb=$(bash scripts/package-deb.sh --no-build)

say "Installing $deb with apt"
# apt resolves the package's Depends and Recommends from the distribution.
apt_get install -y -qq "$(realpath "$deb")" >/dev/null
command -v authdoctor >/dev/null 2>&1 || fail "the package installed, but authdoctor is not on the PATH"

remove="apt remove authdoctor"
((${#sudo[@]})) && remove="sudo $remove"
cat >&2 <<EOF

AuthDoctor $(authdoctor --version | awk '{print $2}') is installed (in $(((SECONDS - started) / 60)) min):
  - start it from the applications menu (AuthDoctor, or "Practice lab" on its right-click menu),
  - double-click a saved report (.authdoctor.json) or a browser's HAR network log,
  - or run: authdoctor          (authdoctor --help for the command line; man authdoctor)
To remove it: $remove
EOF
if [[ $open_app == no ]]; then
  exit 0
fi
if [[ -n ${DISPLAY:-} || -n ${WAYLAND_DISPLAY:-} ]]; then
  echo "Opening AuthDoctor..." >&2
  nohup authdoctor >/dev/null 2>&1 &
  disown
else
  echo "(No display here to open the window on: start it from your desktop, or check from the terminal with authdoctor check URL.)" >&2
fi
