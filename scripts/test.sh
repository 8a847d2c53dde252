#!/usr/bin/env bash
# Installs what the tests need (only what is missing), then runs rustfmt, clippy and every test target.
# Usage: scripts/test.sh [extra arguments for `cargo test`, e.g. a test name filter]
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

# Real servers the integration tests start (Apache, nginx, dnsmasq, lighttpd, Caddy, Tomcat, squid, the
# Docker registry, php-cgi; libfaketime gives one a clock stuck in 1970), curl, the libraries the GUI
# tests need under Xvfb, a screen-reader client (AT-SPI) for tests/atspi.rs, and a C toolchain for
# crates with build scripts.
packages=(
  ca-certificates
  apache2 apache2-utils nginx-light dnsmasq-base curl
  lighttpd caddy tomcat10-common libtomcat10-java openjdk-17-jre-headless squid docker-registry php-cgi
  libfaketime
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

  # The system's own servers that already run are left alone, before and after the install.
  local service running_before=" "
  for service in apache2 nginx dnsmasq lighttpd caddy squid docker-registry; do
    if "${sudo[@]}" service "$service" status >/dev/null 2>&1; then
      running_before+="$service "
    fi
  done
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
  # In case the install started one anyway (the tests never use the system-wide servers): stop
  # only those that were not running before it.
  for service in apache2 nginx dnsmasq lighttpd caddy squid docker-registry; do
    if [[ $running_before != *" $service "* ]]; then
      "${sudo[@]}" service "$service" stop >/dev/null 2>&1 || true
    fi
  done
}

install_missing_packages

# The framework apps of tests/apps/ (Flask, Django REST framework, FastAPI, Express): their PyPI packages
# in a virtual environment and their npm packages, both under target/test-deps/ (never committed). Each
# is installed again only when its pinned list changed.
install_app_dependencies() {
  local venv=target/test-deps/venv requirements=tests/apps/requirements.txt
  if ! cmp -s "$requirements" "$venv/installed-requirements.txt"; then
    echo "test.sh: installing the Python packages of tests/apps" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/python" -m pip install --disable-pip-version-check --quiet -r "$requirements"
    cp "$requirements" "$venv/installed-requirements.txt"
  fi
  local node_deps=target/test-deps/node app=tests/apps/express-passport
  if ! cmp -s "$app/package-lock.json" "$node_deps/package-lock.json" ||
    [[ ! -d "$node_deps/node_modules" ]]; then
    echo "test.sh: installing the npm packages of tests/apps" >&2
    rm -rf "$node_deps"
    mkdir -p "$node_deps"
    cp "$app/package.json" "$app/package-lock.json" "$node_deps/"
    (cd "$node_deps" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}

install_app_dependencies

# One build profile (dev) for clippy and the tests.
cargo fmt --check
cargo clippy --all-targets -- -D warnings
cargo test --all-targets "$@"
# The .deb made from the binary just tested, installed and opened as a user would (whole runs only).
if (($# == 0)); then
  bash scripts/test-deb.sh
fi

# A short fuzzing run of every parser of outside input, when AUTHDOCTOR_FUZZ_SECONDS asks for one
# (CI does not: fuzzing is a second whole build; see .ci/run).
fuzz_seconds=${AUTHDOCTOR_FUZZ_SECONDS:-0}
if ((fuzz_seconds > 0)); then
  bash scripts/fuzz.sh "$fuzz_seconds"
fi
