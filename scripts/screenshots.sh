#!/usr/bin/env bash
# Screenshots of every page against a loopback 401 server, for the README and for looking at what a
# user sees: each page at the smallest window (560x420), the default (1000x760) and full HD
# (1920x1080), in helpdesk mode, and in the light and the dark theme.
# Usage: scripts/screenshots.sh [OUT_DIR]
# Uses the binary named by AUTHDOCTOR_BIN, or builds the release one.
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
home=$(mktemp -d)
python3 scripts/demo_server.py > "$port_file" & server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$port_file" "$home"' EXIT
for _ in $(seq 50); do [[ -s $port_file ]] && break; sleep 0.1; done
port=$(head -n1 "$port_file")
url="http://127.0.0.1:$port/old"
names=(0-start 1-address 2-cookies-cache 3-dns 4-headers 5-diagnosis)

# shot NAME SIZE THEME HELPDESK -- ARGS: one screenshot with settings from a fresh home folder.
shot() {
  local name=$1 size=$2 theme=$3 helpdesk=$4; shift 5
  rm -rf "$home"/.local "$home"/.config
  HOME=$home SCREEN=$size AUTHDOCTOR_WINDOW_SIZE=$size AUTHDOCTOR_THEME=$theme \
    AUTHDOCTOR_HELPDESK=$helpdesk bash scripts/xvfb_screenshot.sh "$out/$name.png" 4 -- "$bin" "$@" >/dev/null
  # 256 colours keep the text sharp and the files small.
  if command -v convert >/dev/null; then convert "$out/$name.png" -colors 256 "PNG8:$out/$name.png"; fi
  echo "$out/$name.png"
}

for variant in "560x420 dark 0 small" "1000x760 dark 0 default" "1920x1080 dark 0 fullhd" \
               "1000x760 dark 1 helpdesk" "1000x760 light 0 light"; do
  read -r size theme helpdesk label <<<"$variant"
  shot "${names[0]}-$label" "$size" "$theme" "$helpdesk" -- gui
  for step in 1 2 3 4 5; do
    shot "${names[$step]}-$label" "$size" "$theme" "$helpdesk" -- gui "$url" --step "$step"
  done
  shot "6-practice-lab-$label" "$size" "$theme" "$helpdesk" -- gui --lab
done
echo "screenshots in $out: open them and look"
