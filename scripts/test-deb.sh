#!/usr/bin/env bash
# Tests the Debian package as a user meets it: builds the .deb from the binary `cargo test` already
# built (no second build), installs it with apt, validates the menu entry, checks that reports and
# HAR logs are associated with AuthDoctor, opens a saved report through the menu entry's Exec line
# under Xvfb, reads the screenshot (OCR) for the report's likely cause, and removes the package.
# Usage: scripts/test-deb.sh   (run by scripts/test.sh after cargo test; needs root or sudo)
# The screenshots stay in target/test-deb/ to look at.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
started=$SECONDS

say() { echo "test-deb.sh: $*" >&2; }
fail() {
  say "FAILED: $*"
  exit 1
}

if ! command -v dpkg-query >/dev/null 2>&1 || ! command -v apt-get >/dev/null 2>&1; then
  say "skipped: no dpkg/apt on this system"
  exit 0
fi
sudo=()
if [[ $(id -u) != 0 ]]; then
  command -v sudo >/dev/null 2>&1 || fail "needs root or sudo to install the package"
  sudo=(sudo)
fi
apt_get() { "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get -y -qq "$@"; }

# An AuthDoctor installed for real is not replaced (and then removed) by a test, except in CI.
if dpkg-query -W -f='${db:Status-Abbrev}' authdoctor 2>/dev/null | grep -q '^ii'; then
  if [[ ${CI:-} != true && -z ${AUTHDOCTOR_REPLACE_INSTALLED:-} ]]; then
    say "skipped: the authdoctor package is installed here and this test would remove it"
    say "  (set AUTHDOCTOR_REPLACE_INSTALLED=1 to test anyway)"
    exit 0
  fi
fi

# What the checks use: the desktop tools, Xvfb and Mesa for the window, ImageMagick for the
# screenshot, tesseract to read it, dpkg-dev to build the package.
tools=(desktop-file-utils xdg-utils shared-mime-info libglib2.0-bin xvfb imagemagick
  libgl1-mesa-dri libegl-mesa0 tesseract-ocr tesseract-ocr-eng dpkg-dev binutils python3)
missing=()
for package in "${tools[@]}"; do
  dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null | grep -q '^ii' || missing+=("$package")
done
if ((${#missing[@]})); then
  say "installing ${missing[*]}"
  apt_get update
  apt_get install --no-install-recommends "${missing[@]}" >/dev/null
fi

built=${CARGO_TARGET_DIR:-target}/debug/authdoctor
[[ -x $built ]] || fail "$built is missing: run cargo test first (it builds the binary)"

out=target/test-deb
rm -rf "$out"
mkdir -p "$out"
work=$(mktemp -d "${TMPDIR:-/tmp}/authdoctor-test-deb.XXXXXX")
installed=no
server=
cleanup() {
  [[ -n $server ]] && kill "$server" 2>/dev/null
  if [[ $installed == yes ]]; then
    apt_get purge authdoctor >/dev/null 2>&1 || say "could not remove the authdoctor package"
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# 1. The package, from the debug binary.
deb=$(bash scripts/package-deb.sh --profile dev --no-build --out "$out")
say "built $deb ($(du -h "$deb" | cut -f1))"
deb=$(realpath "$deb")

# 2. Installed the way the README says, by apt (which fetches the dependencies).
installed=yes
if ! apt_get install --no-install-recommends "$deb" >"$work/apt.log" 2>&1; then
  apt_get update
  apt_get install --no-install-recommends "$deb" >"$work/apt.log" 2>&1 ||
    fail "apt could not install the package: $(tail -n 5 "$work/apt.log")"
fi
[[ $(PATH=/usr/bin:/bin command -v authdoctor) == /usr/bin/authdoctor ]] ||
  fail "authdoctor is not on the PATH after the install"
[[ $(/usr/bin/authdoctor --version) == "$("$built" --version)" ]] ||
  fail "the installed authdoctor does not have the version just built"

# 3. The menu entry, the file types, icons, man page and completions.
desktop=/usr/share/applications/authdoctor.desktop
validation=$(desktop-file-validate "$desktop" 2>&1) || fail "desktop-file-validate: $validation"
if grep -qE ': (error|warning):' <<<"$validation"; then fail "desktop-file-validate: $validation"; fi
for type in application/x-authdoctor-report application/x-har; do
  default=$(xdg-mime query default "$type")
  [[ $default == authdoctor.desktop ]] ||
    fail "xdg-mime query default $type gives '$default', not authdoctor.desktop"
done
for size in 16x16 32x32 48x48 128x128 256x256 512x512; do
  [[ -s /usr/share/icons/hicolor/$size/apps/authdoctor.png ]] || fail "no $size icon"
done
zcat /usr/share/man/man1/authdoctor.1.gz | grep -q '^\.TH authdoctor' || fail "no man page"
zcat /usr/share/man/man1/authdoctor-check.1.gz | grep -q -- 'password\\-stdin' ||
  fail "the man page of check does not list its flags"
bash -c 'source /usr/share/bash-completion/completions/authdoctor && complete -p authdoctor' \
  >/dev/null || fail "the bash completion does not load"

# 4. A saved report, from a check of a loopback server that refuses the password.
python3 scripts/demo_server.py >"$work/port" &
server=$!
for _ in $(seq 50); do [[ -s $work/port ]] && break; sleep 0.1; done
port=$(head -n 1 "$work/port")
[[ -n $port ]] || fail "the loopback 401 server did not start"
report=$work/customer.authdoctor.json
echo 'not-the-password' | /usr/bin/authdoctor check "http://127.0.0.1:$port/members/" --user alice \
  --password-stdin --no-dns --report "$report" >/dev/null 2>&1 || fail "authdoctor check failed"
kill "$server"
server=
content_type=$(gio info -a standard::content-type "$report" | awk '/content-type/ {print $2}')
[[ $content_type == application/x-authdoctor-report ]] ||
  fail "the saved report is seen as '$content_type', not application/x-authdoctor-report"
cause=$(python3 -c '
import json, sys
d = json.load(open(sys.argv[1]))["diagnosis"]
print(d["likely_cause"])
print(next(f["title"] for f in d["findings"] if f["code"] == d["likely_cause"]))' "$report")
cause_code=$(sed -n 1p <<<"$cause")
cause_title=$(sed -n 2p <<<"$cause")
[[ $cause_code == credentials-rejected ]] || fail "the check's likely cause is $cause_code"

# 5. Opened as a double-click does: the menu entry's Exec line with %f replaced by the file.
exec_of() {
  awk -v group="[$1]" '/^\[/ {in_group = ($0 == group)} in_group && /^Exec=/ {sub(/^Exec=/, ""); print; exit}' "$desktop"
}
command_of() { # EXEC_LINE FILE -> the words to run, one per line
  local word words
  read -r -a words <<<"$1"
  for word in "${words[@]}"; do
    case $word in
      %f | %F | %u | %U) [[ -n $2 ]] && printf '%s\n' "$2" ;;
      %?) ;;
      *) printf '%s\n' "$word" ;;
    esac
  done
}
mapfile -t open_report < <(command_of "$(exec_of 'Desktop Entry')" "$report")
mkdir -p "$work/home"
shot=$out/report-opened.png
HOME=$work/home PATH=/usr/bin:/bin bash scripts/xvfb_screenshot.sh "$shot" 5 -- "${open_report[@]}" >/dev/null ||
  fail "${open_report[*]} did not keep a window open"
# Reads the screen: the likely cause's code and title must be on it.
screen=$(tesseract "$shot" - 2>/dev/null | tr '[:upper:]' '[:lower:]' | tr -cd '[:alnum:]-')
wanted_title=$(tr '[:upper:]' '[:lower:]' <<<"$cause_title" | tr -cd '[:alnum:]-')
[[ $screen == *"$cause_code"* ]] || fail "the screenshot $shot does not show the code $cause_code"
[[ $screen == *"$wanted_title"* ]] || fail "the screenshot $shot does not show \"$cause_title\""
say "opened the report through the menu entry: the window shows [$cause_code] $cause_title"

# The "Practice lab" action starts the window with the lab.
mapfile -t open_lab < <(command_of "$(exec_of 'Desktop Action practice-lab')" "")
HOME=$work/home PATH=/usr/bin:/bin bash scripts/xvfb_screenshot.sh "$out/practice-lab.png" 4 -- "${open_lab[@]}" \
  >/dev/null || fail "the Practice lab action (${open_lab[*]}) did not keep a window open"

# 6. Removed again, with its menu entry and file associations.
apt_get purge authdoctor >/dev/null
installed=no
[[ ! -e /usr/bin/authdoctor && ! -e $desktop ]] || fail "files remain after removing the package"
[[ $(xdg-mime query default application/x-authdoctor-report) != authdoctor.desktop ]] ||
  fail "reports are still associated with AuthDoctor after its removal"
say "passed in $((SECONDS - started)) s (screenshots in $out/)"
