#!/usr/bin/env bash
# Fuzzes AuthDoctor's parsers of outside input with cargo-fuzz (libFuzzer), each target for
# SECONDS (default 60), starting from the committed seeds in fuzz/seeds/<target>/.
# Prints per target the inputs run (execs) and the crashes found; exits non-zero on a crash.
# Crashing inputs land in fuzz/artifacts/<target>/; new interesting inputs in fuzz/corpus/<target>/.
#
# Usage: scripts/fuzz.sh [SECONDS] [TARGET...]
# Environment: FUZZ_SANITIZER (default none; address for ASan), CARGO_TARGET_DIR (honoured).
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
seconds="${1:-60}"
shift || true
if ! [[ "$seconds" =~ ^[0-9]+$ ]]; then
  echo "usage: scripts/fuzz.sh [SECONDS] [TARGET...]" >&2
  exit 2
fi

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz.sh: installing cargo-fuzz" >&2
  cargo install cargo-fuzz --locked
fi
# cargo-fuzz needs nightly-only compiler flags; the stable compiler accepts them with this set.
export RUSTC_BOOTSTRAP=1
sanitizer="${FUZZ_SANITIZER:-none}"

cd fuzz
if (($# > 0)); then
  targets=("$@")
else
  mapfile -t targets < <(cargo fuzz list)
fi

echo "fuzz.sh: building ${targets[*]} (sanitizer: $sanitizer, debug assertions on)" >&2
cargo fuzz build --sanitizer "$sanitizer" --debug-assertions >&2
# Run the built binaries directly, so a cargo build elsewhere cannot hold up the runs.
target_dir="$(cargo metadata --no-deps --format-version 1 |
  grep -o '"target_directory":"[^"]*"' | cut -d'"' -f4)"
bin_dir="$target_dir/$(rustc -vV | sed -n 's/^host: //p')/release"

logs="$(mktemp -d)"
trap 'rm -rf "$logs"' EXIT
failed=0
results=()
for target in "${targets[@]}"; do
  mkdir -p "corpus/$target" "artifacts/$target"
  seeds=()
  [[ -d "seeds/$target" ]] && seeds=("seeds/$target")
  before="$(find "artifacts/$target" -type f | wc -l)"
  echo "fuzz.sh: running $target for ${seconds}s" >&2
  status=0
  "$bin_dir/$target" -artifact_prefix="artifacts/$target/" \
    -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=1048576 \
    -print_final_stats=1 "corpus/$target" "${seeds[@]}" >"$logs/$target.log" 2>&1 || status=$?
  execs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$logs/$target.log" | grep -o '[0-9]*$' | tail -1 || true)"
  if [[ -z "$execs" ]]; then
    # A crash stops libFuzzer before its final statistics; take the last progress line.
    execs="$(grep -oE '^#[0-9]+' "$logs/$target.log" | tail -1 | tr -d '#' || true)"
  fi
  after="$(find "artifacts/$target" -type f | wc -l)"
  crashes=$((after - before))
  if ((status != 0 && crashes == 0)); then
    crashes=1 # failed without an artifact (build or start-up error): count it, show the log
  fi
  if ((crashes > 0)); then
    failed=1
    echo "fuzz.sh: $target FAILED; the end of its log:" >&2
    tail -40 "$logs/$target.log" >&2
  fi
  corpus="$(find "corpus/$target" -type f | wc -l)"
  results+=("$(printf '%-10s %12s %8s %8s' "$target" "${execs:-?}" "$crashes" "$corpus")")
done

printf '\n%-10s %12s %8s %8s   (%ss each)\n' target execs crashes corpus "$seconds"
printf '%s\n' "${results[@]}"
exit "$failed"
