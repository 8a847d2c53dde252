#!/usr/bin/env bash
# Screenshots of every wizard step against a loopback 401 server, for the README and for looking
# at what a user sees. Usage: scripts/screenshots.sh [OUT_DIR]
# Builds and uses the release binary, or the one named by AUTHDOCTOR_BIN.
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-docs/screenshots}
mkdir -p "$out"
bin=${AUTHDOCTOR_BIN:-}
if [[ -z $bin ]]; then
  cargo build --release --quiet
  bin=./target/release/authdoctor
fi
port_file=$(mktemp)
python3 scripts/demo_server.py > "$port_file" & server=$!
trap 'kill $server 2>/dev/null || true; rm -f "$port_file"' EXIT
for _ in $(seq 50); do [[ -s $port_file ]] && break; sleep 0.1; done
port=$(head -n1 "$port_file")
url="http://127.0.0.1:$port/old"
shot=../shared/tools/screenshot.sh
[[ -x $shot ]] || shot=scripts/xvfb_screenshot.sh
bash "$shot" "$out/0-start.png" 3 -- "$bin"
bash "$shot" "$out/0-practice-lab.png" 4 -- "$bin" gui --lab
names=(x 1-address 2-cookies-cache 3-dns 4-headers 5-diagnosis)
for step in 1 2 3 4 5; do
  bash "$shot" "$out/${names[$step]}.png" 4 -- "$bin" gui "$url" --step "$step"
done
echo "screenshots in $out"
