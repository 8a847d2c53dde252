#!/usr/bin/env bash
# Screenshots of every page against the practice lab (on this computer, no internet needed), for
# the README and for looking at what a user sees: the start page, steps 1–5 of a lab case checked
# with the story's password, the practice lab's list, and a diagnosis whose journey has a redirect,
# each at the smallest window (560x420), the default (1000x760) and full HD (1920x1080), in
# helpdesk mode, and in the light and the dark theme.
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
lab_out=$(mktemp)
home=$(mktemp -d)
"$bin" lab --port 0 > "$lab_out" & lab=$!
trap 'kill $lab 2>/dev/null || true; rm -rf "$lab_out" "$home"' EXIT
for _ in $(seq 100); do [[ -s $lab_out ]] && break; sleep 0.1; done
base=$(head -n1 "$lab_out" | grep -o 'http://[0-9.:]*')
[[ -n $base ]] || { echo "the lab did not start" >&2; exit 1; }
# Case 1: a staff area that refuses the password the customer has (the story gives it).
case1="$base/case/1/"
case1_user=trainee case1_password='Summer2024!'
# Case 10: the login page moved to another site: the signed-in request is sent elsewhere.
case10="$base/case/10/start"
case10_user=trainee case10_password='club-pass-9'

# shot NAME SIZE THEME HELPDESK -- ARGS: one screenshot with settings from a fresh home folder,
# taken WAIT_S seconds (default 6) after the window opened: time enough for a check of the lab.
shot() {
  local name=$1 size=$2 theme=$3 helpdesk=$4 wait_s=${WAIT_S:-6}; shift 5
  rm -rf "$home"/.local "$home"/.config
  HOME=$home SCREEN=$size AUTHDOCTOR_WINDOW_SIZE=$size AUTHDOCTOR_THEME=$theme \
    AUTHDOCTOR_HELPDESK=$helpdesk AUTHDOCTOR_PASSWORD=${password:-} \
    bash scripts/xvfb_screenshot.sh "$out/$name.png" "$wait_s" -- "$bin" "$@" >/dev/null
  # 256 colours keep the text sharp and the files small.
  if command -v convert >/dev/null; then convert "$out/$name.png" -colors 256 "PNG8:$out/$name.png"; fi
  echo "$out/$name.png"
}

names=(0-start 1-address 2-cookies-cache 3-dns 4-headers 5-diagnosis)
for variant in "560x420 dark 0 small" "1000x760 dark 0 default" "1920x1080 dark 0 fullhd" \
               "1000x760 dark 1 helpdesk" "1000x760 light 0 light" "560x420 light 1 small-light-helpdesk"; do
  read -r size theme helpdesk label <<<"$variant"
  password='' shot "${names[0]}-$label" "$size" "$theme" "$helpdesk" -- gui
  for step in 1 2 3 4 5; do
    password=$case1_password shot "${names[$step]}-$label" "$size" "$theme" "$helpdesk" -- \
      gui "$case1" --user "$case1_user" --step "$step"
  done
  password='' shot "6-practice-lab-$label" "$size" "$theme" "$helpdesk" -- gui --lab
  password=$case10_password shot "7-journey-$label" "$size" "$theme" "$helpdesk" -- \
    gui "$case10" --user "$case10_user" --step 5
done
echo "screenshots in $out: open them and look"
