#!/usr/bin/env bash
# Builds the Debian package target/debian/authdoctor_VERSION-1_ARCH.deb: the program, its menu
# entry (with a "Practice lab" action), the file types it opens (AuthDoctor reports and HAR logs),
# menu icons, man pages and shell completions. Install it with
#   sudo apt install ./target/debian/authdoctor_*.deb
# then start AuthDoctor from the applications menu, double-click a report, or run `authdoctor`.
#
# Usage: scripts/package-deb.sh [--profile release|dev|NAME] [--no-build] [--out DIR]
#   --profile   the cargo profile whose binary is packaged (default release; dev packages the
#               binary `cargo test` already built, for scripts/test-deb.sh)
#   --no-build  package what target/ holds; fail if it is missing instead of building it
#   --out DIR   where the .deb goes (default target/debian, or $CARGO_TARGET_DIR/debian)
# Needs dpkg-deb and dpkg-shlibdeps (package dpkg-dev), strip (binutils) and gzip.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

profile=release
build=yes
out=${CARGO_TARGET_DIR:-target}/debian
while (($#)); do
  case $1 in
    --profile) profile=${2:?--profile needs a name}; shift 2 ;;
    --no-build) build=no; shift ;;
    --out) out=${2:?--out needs a folder}; shift 2 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "package-deb.sh: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
target_dir=${CARGO_TARGET_DIR:-target}
case $profile in
  dev | test) profile_dir=$target_dir/debug ;;
  bench) profile_dir=$target_dir/release ;;
  *) profile_dir=$target_dir/$profile ;;
esac

for tool in dpkg-deb dpkg-shlibdeps strip gzip; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "package-deb.sh: $tool is missing: sudo apt-get install dpkg-dev binutils gzip" >&2
    exit 1
  fi
done

if [[ $build == yes ]]; then
  cargo build --locked --profile "$profile" --bin authdoctor
fi
bin=$profile_dir/authdoctor
if [[ ! -x $bin ]]; then
  echo "package-deb.sh: $bin is missing: build it first (cargo build --profile $profile), or drop --no-build" >&2
  exit 1
fi

version=$("$bin" --version | awk '{print $2}')
arch=$(dpkg --print-architecture)
deb_version=$version-1

work=$(mktemp -d "${TMPDIR:-/tmp}/authdoctor-deb.XXXXXX")
trap 'rm -rf "$work"' EXIT
root=$work/debian/authdoctor
share=$root/usr/share

install -d "$root/DEBIAN" "$root/usr/bin" "$share/applications" "$share/mime/packages" \
  "$share/man/man1" "$share/bash-completion/completions" "$share/zsh/vendor-completions" \
  "$share/fish/vendor_completions.d" "$share/doc/authdoctor"
# A debug binary carries hundreds of MB of debug information; the package needs none of it.
strip --strip-unneeded -o "$root/usr/bin/authdoctor" "$bin"
chmod 755 "$root/usr/bin/authdoctor"

install -m 644 packaging/authdoctor.desktop "$share/applications/authdoctor.desktop"
install -m 644 packaging/authdoctor-mime.xml "$share/mime/packages/authdoctor.xml"
for icon in packaging/icons/*/authdoctor.png; do
  size=$(basename "$(dirname "$icon")")
  install -D -m 644 "$icon" "$share/icons/hicolor/$size/apps/authdoctor.png"
done
install -D -m 644 assets/icon.png "$share/icons/hicolor/256x256/apps/authdoctor.png"

# The man pages and completions, written by the program itself from its command line.
"$bin" generate-docs "$work/docs" >/dev/null
for page in "$work"/docs/man/*.1; do
  name=$(basename "$page")
  gzip -9n <"$page" >"$share/man/man1/$name.gz"
done
install -m 644 "$work/docs/completions/authdoctor.bash" "$share/bash-completion/completions/authdoctor"
install -m 644 "$work/docs/completions/_authdoctor" "$share/zsh/vendor-completions/_authdoctor"
install -m 644 "$work/docs/completions/authdoctor.fish" "$share/fish/vendor_completions.d/authdoctor.fish"
{
  cat packaging/copyright
  echo
  sed -n '/^Files: \*/,$p' assets/fonts/DejaVuSans-LICENSE.txt |
    sed '1s|.*|Files: assets/fonts/DejaVuSans.ttf|'
} >"$share/doc/authdoctor/copyright"
chmod 644 "$share/doc/authdoctor/copyright"
install -m 644 README.md "$share/doc/authdoctor/README.md"

# Libraries the program opens at run time (the window system, OpenGL, D-Bus for the file dialog
# portal): they are not in the binary's list of needed libraries, so dpkg-shlibdeps cannot see them.
declare -A runtime_packages=(
  [libGL.so.1]=libgl1 [libEGL.so.1]=libegl1
  [libX11.so.6]=libx11-6 [libX11-xcb.so.1]=libx11-xcb1 [libxcb.so.1]=libxcb1
  [libXcursor.so.1]=libxcursor1 [libXi.so.6]=libxi6 [libXrender.so.1]=libxrender1
  [libxkbcommon.so.0]=libxkbcommon0 [libxkbcommon-x11.so.0]=libxkbcommon-x11-0
  [libwayland-client.so.0]=libwayland-client0 [libwayland-egl.so.1]=libwayland-egl1
  [libdbus-1.so.3]=libdbus-1-3
)
needed=$(objdump -p "$root/usr/bin/authdoctor" | awk '/NEEDED/ {print $2}')
runtime=()
unknown=()
# A library name in the binary's text can run on from the text before it (string constants are
# stored back to back), so each match is read by the longest known name it ends with.
while read -r text; do
  known=
  for soname in $needed "${!runtime_packages[@]}"; do
    if [[ $text == *"$soname" && ${#soname} -gt ${#known} ]]; then known=$soname; fi
  done
  if [[ -z $known ]]; then
    unknown+=("lib${text##*lib}")
  elif [[ -n ${runtime_packages[$known]:-} ]]; then
    runtime+=("${runtime_packages[$known]}")
  fi
done < <(strings -n 6 "$root/usr/bin/authdoctor" | grep -oE 'lib[A-Za-z0-9_+-]+\.so\.[0-9]+' | sort -u)
if ((${#unknown[@]})); then
  echo "package-deb.sh: the program names libraries this script does not know: ${unknown[*]}." >&2
  echo "  Add each to runtime_packages with the Debian package that ships it (dpkg -S NAME)." >&2
  exit 1
fi

# Versioned dependencies on the linked libraries (glibc, libgcc), computed from the binary.
shlibs=$(cd "$work" && touch debian/control && dpkg-shlibdeps -O -e debian/authdoctor/usr/bin/authdoctor 2>/dev/null)
shlibs=${shlibs#shlibs:Depends=}
runtime_list=$(printf '%s\n' "${runtime[@]}" | sort -u | paste -sd, | sed 's/,/, /g')
depends="$shlibs, ca-certificates, $runtime_list"

(cd "$root" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$root/DEBIAN/md5sums"
installed_kib=$(du -sk --exclude=DEBIAN "$root" | cut -f1)

cat >"$root/DEBIAN/control" <<EOF
Package: authdoctor
Version: $deb_version
Architecture: $arch
Maintainer: AuthDoctor developers <dev@authdoctor.invalid>
Installed-Size: $installed_kib
Depends: $depends
Recommends: xdg-desktop-portal-gtk | xdg-desktop-portal-gnome | xdg-desktop-portal-kde | zenity
Section: net
Priority: optional
Description: finds out why a website answers 401 Unauthorized
 AuthDoctor tests a web address that answers 401 Unauthorized and explains in
 plain words why, and what to do: address, cookies and cache, DNS, sign-in
 headers, and a diagnosis with a report to send to a helpdesk. A saved report
 (.authdoctor.json) or a browser's HAR network log opens with a double-click.
 It includes an offline practice lab.
EOF

# xz for a release package (smaller); a test package only needs to be quick to make.
compression=(-Zxz)
[[ $profile == release ]] || compression=(-Zgzip -z1)
mkdir -p "$out"
deb=$out/authdoctor_${deb_version}_$arch.deb
dpkg-deb --root-owner-group "${compression[@]}" --build "$root" "$deb" >/dev/null
echo "$deb"
