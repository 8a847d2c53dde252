#!/usr/bin/env bash
# Measures AuthDoctor's speed and footprint in one run and prints a table, with ratios where it
# compares against a reference tool:
#   time to diagnosis   `check URL --json --no-dns` (a plain Basic 401, no sign-in: one round)
#                       vs one curl, on a loopback server that waits
#                       100 ms before each answer (scripts/latency_server.py); plus its requests
#   start-up            process start to first frame under Xvfb; peak RSS
#   idle                CPU time of the open window doing nothing for 10 s
#   HAR import          `har FILE --json` on a generated 100 MB HAR vs `jq . FILE`; peak RSS
#   HAR of 401s         a ~100 MB HAR of 200,000 401s (scripts/gen_har.py --401s): time and peak
#                       RSS of `har FILE` and `har FILE --json` vs `jq . FILE`; output size
#   hostile files       /dev/zero given as each kind of file (and an endless pipe as each file
#                       that must be text): time to the refusal and peak RSS
#   binary              size of the stripped release build
# Installs what it needs (xvfb, hyperfine, jq, time, curl, GL libraries) with apt when missing.
# Everything runs on 127.0.0.1. Usage: scripts/bench.sh   (honours CARGO_TARGET_DIR)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
root="$(pwd)"

# ---------------------------------------------------------------- what the measurements need
packages=(xvfb jq time curl python3 libegl1 libegl-mesa0 libgl1 libgl1-mesa-dri
  libxkbcommon-x11-0 libxcursor1 libxi6)
missing=()
for package in "${packages[@]}"; do
  if [[ "$(dpkg-query -W -f='${db:Status-Abbrev}' "$package" 2>/dev/null)" != ii* ]]; then
    missing+=("$package")
  fi
done
if ! command -v hyperfine >/dev/null 2>&1; then
  missing+=(hyperfine)
fi
if ((${#missing[@]} > 0)); then
  sudo=()
  [[ "$(id -u)" != 0 ]] && sudo=(sudo)
  echo "bench.sh: installing ${missing[*]}" >&2
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  # hyperfine is not packaged everywhere; the time-to-diagnosis step falls back to a loop.
  for package in "${missing[@]}"; do
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y -qq --no-install-recommends "$package" >/dev/null ||
      echo "bench.sh: could not install $package" >&2
  done
fi

echo "bench.sh: building the release binary" >&2
cargo build --release --quiet
target_dir="${CARGO_TARGET_DIR:-$root/target}"
bin="$target_dir/release/authdoctor"

work="$(mktemp -d)"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  rm -rf "$work"
}
trap cleanup EXIT

now_ns() { date +%s%N; }
# Mean wall time in ms of running "$@" RUNS times (after one warm-up), output discarded.
loop_mean_ms() {
  local runs="$1" i start end total=0
  shift
  "$@" >/dev/null 2>&1 || true
  for ((i = 0; i < runs; i++)); do
    start="$(now_ns)"
    "$@" >/dev/null 2>&1 || true
    end="$(now_ns)"
    total=$((total + end - start))
  done
  echo $((total / runs / 1000000))
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
max_rss_mb() { awk -F': ' '/Maximum resident set size/ { printf "%.0f", $2 / 1024 }' "$1"; }
elapsed_ms() {
  # GNU time's "Elapsed (wall clock) time (h:mm:ss or m:ss): 0:01.23"
  awk -F': ' '/Elapsed \(wall clock\)/ {
    n = split($2, p, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + p[i]; printf "%.0f", s * 1000 }' "$1"
}

rows=()
row() { rows+=("$(printf '%-22s|%14s|%16s|%8s|%s' "$@")"); }

# ---------------------------------------------------------------- time to diagnosis
echo "bench.sh: time to diagnosis (100 ms latency per request)" >&2
python3 scripts/latency_server.py --latency-ms 100 --max-seconds 300 >"$work/latency.out" &
pids+=($!)
for _ in $(seq 50); do
  [[ -s "$work/latency.out" ]] && break
  sleep 0.1
done
port="$(awk '/^listening/ { print $2 }' "$work/latency.out")"
url="http://127.0.0.1:$port/members/"
check=("$bin" check "$url" --json --no-dns)
if command -v hyperfine >/dev/null 2>&1; then
  hyperfine --warmup 2 --runs 15 --style none --export-json "$work/hyperfine.json" \
    "${check[*]}" "curl -s -o /dev/null $url" >/dev/null
  check_ms="$(jq '.results[0].mean * 1000 | round' "$work/hyperfine.json")"
  curl_ms="$(jq '.results[1].mean * 1000 | round' "$work/hyperfine.json")"
  how="hyperfine, 15 runs"
else
  check_ms="$(loop_mean_ms 15 "${check[@]}")"
  curl_ms="$(loop_mean_ms 15 curl -s -o /dev/null "$url")"
  how="loop, 15 runs"
fi
curl -s -o /dev/null "http://127.0.0.1:$port/__reset"
"${check[@]}" >/dev/null
requests="$(curl -s "http://127.0.0.1:$port/__count" | tr -d '[:space:]')"
row "time to diagnosis" "${check_ms} ms" "curl ${curl_ms} ms" "$(ratio "$check_ms" "$curl_ms")x" \
  "target <= 1.5x curl (a plain Basic 401, no sign-in); $requests requests per check ($how)"

# ---------------------------------------------------------------- a slow redirect chain
# The hostile case of issue 14: 11 redirects, each answered after 14.5 s, with a password to test
# (the signed-in request follows the chain again). The check's total deadline (30 s by default)
# ends it; before the deadline existed this took about 8 minutes.
echo "bench.sh: a slow redirect chain at the default settings" >&2
python3 scripts/latency_server.py --latency-ms 14500 --redirects 11 --max-seconds 300 \
  >"$work/chain.out" &
pids+=($!)
for _ in $(seq 50); do
  [[ -s "$work/chain.out" ]] && break
  sleep 0.1
done
chain_port="$(awk '/^listening/ { print $2 }' "$work/chain.out")"
chain_started=$(date +%s%N)
echo 'bench-password' | "$bin" check "http://127.0.0.1:$chain_port/hop/0" --user bench \
  --password-stdin --json --no-dns >"$work/chain.json" 2>/dev/null || true
chain_ms=$((($(date +%s%N) - chain_started) / 1000000))
chain_cause="$(jq -r '.likely_cause // "none"' "$work/chain.json" 2>/dev/null || echo unreadable)"
row "slow redirect chain (11 hops, 14.5 s each, with a password)" "${chain_ms} ms" \
  "deadline 30000 ms" "$(ratio "$chain_ms" 30000)x" "likely cause: $chain_cause"

# ---------------------------------------------------------------- start-up and idle under Xvfb
echo "bench.sh: start-up and idle under Xvfb" >&2
display=":$((90 + RANDOM % 400))"
Xvfb "$display" -screen 0 1280x900x24 -nolisten tcp >/dev/null 2>&1 &
pids+=($!)
for _ in $(seq 50); do
  [[ -e "/tmp/.X11-unix/X${display#:}" ]] && break
  sleep 0.1
done
gui_home="$work/home" # a fresh profile: no saved window state from earlier runs
mkdir -p "$gui_home"
start_ms="$(($(now_ns) / 1000000))"
env -u WAYLAND_DISPLAY DISPLAY="$display" HOME="$gui_home" AUTHDOCTOR_FIRST_FRAME=1 \
  /usr/bin/time -v -o "$work/gui.time" "$bin" 2>"$work/gui.err" &
time_pid=$!
pids+=("$time_pid")
first_ms=""
for _ in $(seq 300); do
  first_ms="$(awk '/^first-frame-unix-ms/ { print $2; exit }' "$work/gui.err")"
  [[ -n "$first_ms" ]] && break
  sleep 0.05
done
app_pid="$(pgrep -P "$time_pid" | head -1 || true)"
if [[ -n "$first_ms" && -n "$app_pid" ]]; then
  startup_ms=$((first_ms - start_ms))
  sleep 2 # let the first frames settle before measuring idle
  ticks="$(getconf CLK_TCK)"
  cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$app_pid/stat"; }
  before="$(cpu_ticks)"
  sleep 10
  after="$(cpu_ticks)"
  idle_ms=$(((after - before) * 1000 / ticks))
  kill "$app_pid" 2>/dev/null || true
  wait "$time_pid" 2>/dev/null || true
  gui_rss="$(max_rss_mb "$work/gui.time")"
  row "start-up (first frame)" "${startup_ms} ms" "" "" "target < 500 ms"
  row "start-up peak RSS" "${gui_rss} MB" "" "" "target < 150 MB (after 12 s open)"
  row "idle CPU, 10 s" "${idle_ms} ms" "" "" "CPU time used by the idle window ($(ratio "$idle_ms" 100)% of one core)"
else
  echo "bench.sh: the window did not show a first frame; its stderr:" >&2
  cat "$work/gui.err" >&2
  row "start-up (first frame)" "failed" "" "" "see stderr above"
fi

# ---------------------------------------------------------------- frames while a check hangs
echo "bench.sh: frame times while checking a server that never answers" >&2
silent_port_file="$work/silent.port"
python3 - "$silent_port_file" <<'PY' &
import socket, sys, time
s = socket.socket()
s.bind(("127.0.0.1", 0))
s.listen(16)
open(sys.argv[1], "w").write(str(s.getsockname()[1]))
held = []
end = time.time() + 60
s.settimeout(1)
while time.time() < end:  # accept and never answer, for at most a minute
    try:
        held.append(s.accept()[0])
    except socket.timeout:
        pass
PY
pids+=($!)
for _ in $(seq 50); do [[ -s $silent_port_file ]] && break; sleep 0.1; done
silent_port="$(cat "$silent_port_file")"
env -u WAYLAND_DISPLAY DISPLAY="$display" HOME="$gui_home" AUTHDOCTOR_FRAME_LOG=1 \
  "$bin" gui "http://127.0.0.1:$silent_port/" 2>"$work/frames.err" &
frames_pid=$!
pids+=("$frames_pid")
sleep 8
kill "$frames_pid" 2>/dev/null || true
wait "$frames_pid" 2>/dev/null || true
# The first frame builds the font atlas (start-up, measured above); the rest run during the check.
read -r frames max_work max_gap < <(awk '$1 == "frame-ms" && $6 == 1 && seen++ {
    n++; if ($2 > w) w = $2; if ($4 > g) g = $4 } END { print n + 0, w + 0, g + 0 }' "$work/frames.err")
row "frames while checking" "max ${max_work} ms" "" "" "$frames frames in 8 s against a silent server; longest gap between frames ${max_gap} ms; target no frame > 50 ms"

# ---------------------------------------------------------------- HAR import
echo "bench.sh: HAR import of a generated 100 MB file" >&2
python3 scripts/gen_har.py 100 "$work/big.har"
har_mb="$(awk -v s="$(stat -c %s "$work/big.har")" 'BEGIN { printf "%.0f", s / 1048576 }')"
cat "$work/big.har" >/dev/null # the same warm page cache for both
/usr/bin/time -v -o "$work/har.time" "$bin" har "$work/big.har" --json >/dev/null
/usr/bin/time -v -o "$work/jq.time" jq . "$work/big.har" >/dev/null
har_ms="$(elapsed_ms "$work/har.time")"
jq_ms="$(elapsed_ms "$work/jq.time")"
har_rss="$(max_rss_mb "$work/har.time")"
jq_rss="$(max_rss_mb "$work/jq.time")"
row "HAR ${har_mb} MB load" "${har_ms} ms" "jq ${jq_ms} ms" "$(ratio "$har_ms" "$jq_ms")x" "har FILE --json vs jq . FILE"
row "HAR ${har_mb} MB peak RSS" "${har_rss} MB" "jq ${jq_rss} MB" "$(ratio "$har_rss" "$jq_rss")x" ""

# ---------------------------------------------------------------- HAR of 200,000 401s
echo "bench.sh: HAR of 200,000 answers of 401" >&2
python3 scripts/gen_har.py --401s 200000 "$work/401s.har"
answers_mb="$(awk -v s="$(stat -c %s "$work/401s.har")" 'BEGIN { printf "%.0f", s / 1048576 }')"
cat "$work/401s.har" >/dev/null
/usr/bin/time -v -o "$work/401s-text.time" "$bin" har "$work/401s.har" >"$work/401s.txt"
/usr/bin/time -v -o "$work/401s-json.time" "$bin" har "$work/401s.har" --json >"$work/401s.json"
/usr/bin/time -v -o "$work/401s-jq.time" jq . "$work/401s.har" >/dev/null
jq_ms="$(elapsed_ms "$work/401s-jq.time")"
jq_rss="$(max_rss_mb "$work/401s-jq.time")"
for kind in text json; do
  ms="$(elapsed_ms "$work/401s-$kind.time")"
  rss="$(max_rss_mb "$work/401s-$kind.time")"
  out_kb="$(awk -v s="$(stat -c %s "$work/401s.$([[ $kind == text ]] && echo txt || echo json)")" 'BEGIN { printf "%.0f", s / 1024 }')"
  flag="$([[ $kind == json ]] && echo " --json" || true)"
  row "HAR 401s $kind load" "${ms} ms" "jq ${jq_ms} ms" "$(ratio "$ms" "$jq_ms")x" \
    "har FILE$flag, ${answers_mb} MB of 200,000 401s; ${out_kb} KB printed"
  row "HAR 401s $kind RSS" "${rss} MB" "jq ${jq_rss} MB" "$(ratio "$rss" "$jq_rss")x" \
    "target <= 2x the file (${answers_mb} MB); goal < 300 MB"
done

# ---------------------------------------------------------------- hostile files
echo "bench.sh: /dev/zero and endless pipes as files" >&2
# Runs "$@" under GNU time and adds a row: the time to the refusal and the peak RSS.
refusal_row() {
  local name="$1" how="$2"
  shift 2
  local code=0
  /usr/bin/time -v -o "$work/refusal.time" "$@" >/dev/null 2>"$work/refusal.err" || code=$?
  # GNU time writes "Command exited with non-zero status N" first when the command failed.
  local said
  said="$(grep -v '^Command exited' "$work/refusal.err" | head -1 | cut -c1-70)"
  row "$name" "$(elapsed_ms "$work/refusal.time") ms" "$(max_rss_mb "$work/refusal.time") MB RSS" \
    "exit $code" "$how: $said"
}
url="http://127.0.0.1:9/"
refusal_row "/dev/zero cookies" "--cookies-file" "$bin" check "$url" --no-dns --cookies-file /dev/zero
refusal_row "/dev/zero .htaccess" "htaccess FILE" "$bin" htaccess /dev/zero
refusal_row "/dev/zero htpasswd" "--password-file" "$bin" htaccess /dev/null --password-file /dev/zero
refusal_row "/dev/zero HAR" "har FILE" "$bin" har /dev/zero
refusal_row "/dev/zero stdin" "token < /dev/zero" sh -c "exec \"\$0\" token </dev/zero" "$bin"
endless() { # an endless pipe of text given as /dev/stdin
  local name="$1" what="$2"
  shift 2
  refusal_row "$name" "$what" sh -c "yes 'Require valid-user' | \"\$@\"" sh "$@"
}
endless "endless .htaccess" "yes | htaccess /dev/stdin" "$bin" htaccess /dev/stdin
endless "endless cookies" "yes | --cookies-file /dev/stdin" "$bin" check "$url" --no-dns --cookies-file /dev/stdin
endless "endless stdin token" "yes | token" "$bin" token
refusal_row "endless HAR" "spaces | har /dev/stdin" sh -c "tr '\\0' ' ' </dev/zero | \"\$0\" har /dev/stdin" "$bin"

# ---------------------------------------------------------------- binary
size_mb="$(awk -v s="$(stat -c %s "$bin")" 'BEGIN { printf "%.1f", s / 1048576 }')"
row "release binary" "${size_mb} MB" "" "" "stripped (profile.release strip = true)"

printf '\n%-22s|%14s|%16s|%8s|%s\n' "measure" "AuthDoctor" "reference" "ratio" "note"
printf '%s\n' "----------------------+--------------+----------------+--------+------------------------------"
printf '%s\n' "${rows[@]}"
