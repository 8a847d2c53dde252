#!/usr/bin/env bash
# Installs what the tests need (only what is missing), then runs rustfmt, clippy and every test target.
# Usage: scripts/test.sh [extra arguments for `cargo test`, e.g. a test name filter]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Real servers the integration tests start (Apache, nginx, dnsmasq), curl, the libraries the GUI tests
# need under Xvfb, a screen-reader client (AT-SPI) for tests/atspi.rs, and a C toolchain for crates
# with build scripts.
packages=(
  ca-certificates
  apache2 apache2-utils nginx-light dnsmasq-base curl
  xvfb libegl1 libegl-mesa0 libgl1 libgl1-mesa-dri libxkbcommon-x11-0 libxcursor1 libxi6
  dbus-daemon at-spi2-core python3-pyatspi xdotool
  gcc g++ libc6-dev pkg-config
)

install_missing_packages() {
  if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "test.sh: no dpkg here; install these yourself if tests say so: ${packages[*]}" >&2
    return 0
  fi
  local missing=() package
  for package in "${packages[@]}"; do
    if [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null)" != ii* ]]; then
      missing+=("$package")
    fi
  done
  if ((${#missing[@]} == 0)); then
    return 0
  fi

  sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    if ! command -v sudo >/dev/null 2>&1; then
      echo "test.sh: missing packages (${missing[*]}) and neither root nor sudo to install them" >&2
      exit 1
    fi
    sudo=(sudo)
  fi

  echo "test.sh: installing ${missing[*]}" >&2
  # Keep the packaged services from starting during the install (Debian's policy-rc.d convention):
  # tests start their own servers on loopback and need nothing on port 80.
  if [[ ! -e /usr/sbin/policy-rc.d ]]; then
    printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee /usr/sbin/policy-rc.d >/dev/null
    "${sudo[@]}" chmod 755 /usr/sbin/policy-rc.d
    # Removed again however the install ends.
    trap '"${sudo[@]}" rm -f /usr/sbin/policy-rc.d' EXIT
  fi
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  if [[ "$(trap -p EXIT)" ]]; then
    "${sudo[@]}" rm -f /usr/sbin/policy-rc.d
    trap - EXIT
  fi
  # In case an install started them anyway: the tests never use the system-wide servers.
  local service
  for service in apache2 nginx dnsmasq; do
    "${sudo[@]}" service "$service" stop >/dev/null 2>&1 || true
  done
}

install_missing_packages

# One build profile (dev) for clippy and the tests.
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo test --all-targets "$@"

# A short fuzzing run of every parser of outside input (CI sets AUTHDOCTOR_FUZZ_SECONDS).
fuzz_seconds=${AUTHDOCTOR_FUZZ_SECONDS:-0}
if ((fuzz_seconds > 0)); then
  bash scripts/fuzz.sh "$fuzz_seconds"
fi
