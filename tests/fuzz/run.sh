#!/usr/bin/env bash
# Runs every fuzz target for SECONDS each (default 60), one after the other,
# and prints per target the runs executed and the new crashes. A crash is
# minimized and copied to tests/fuzz/crashes/<target>-<n>; the script then
# exits 1. Not part of CI: run it by hand before a release or after touching
# a parser.
#
#   tests/fuzz/run.sh [SECONDS] [TARGET...]
#
# Needs cargo-fuzz (installed here with `cargo install cargo-fuzz` when
# missing) and a nightly compiler for the sanitizer flags: `+nightly` when
# rustup has one (`rustup toolchain install nightly`), or else the stable
# compiler with RUSTC_BOOTSTRAP=1, which unlocks the same -Z flags (both
# checked with cargo-fuzz 0.13.2, nightly 1.97 and stable 1.95). Set
# FUZZ_TOOLCHAIN=<name> to pick another rustup toolchain (a stable one gets
# RUSTC_BOOTSTRAP=1 too) and FUZZ_TARGET_DIR=<dir> to build elsewhere than
# tests/fuzz/target.
#
# One target by hand, from the repository root:
#   cargo +nightly fuzz run --fuzz-dir tests/fuzz markdown
#   cargo +nightly fuzz run --fuzz-dir tests/fuzz markdown tests/fuzz/crashes/markdown-1
#
# The fuzz crate has its own [workspace], Cargo.lock and target/ folder, so
# `cargo test` and `cargo clippy --all-targets` at the root never build it.
# What libFuzzer writes (corpus/, artifacts/, logs/) is ignored by git;
# seeds/ holds a few hand-written inputs per target, read but never written.

set -u -o pipefail

fuzz_dir="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$fuzz_dir/../.." && pwd)"
cd "$root"
rel="${fuzz_dir#"$root"/}"

duration="${1:-60}"
case "$duration" in
    '' | *[!0-9]*)
        echo "usage: $0 [SECONDS] [TARGET...]" >&2
        exit 2
        ;;
esac
shift || true

all_targets=(signature_header handle activity form cgi_request markdown front_matter)
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=("${all_targets[@]}")
fi

# The compiler: nightly through rustup when there is one, else the default
# (stable) one with RUSTC_BOOTSTRAP=1.
toolchain=()
if [ -n "${FUZZ_TOOLCHAIN:-}" ]; then
    toolchain=("+$FUZZ_TOOLCHAIN")
elif command -v rustup >/dev/null 2>&1 && rustup toolchain list | grep -q '^nightly'; then
    toolchain=(+nightly)
fi
if ! rustc "${toolchain[@]}" --version | grep -q nightly; then
    echo "run.sh: not a nightly compiler; unlocking its -Z flags with RUSTC_BOOTSTRAP=1"
    export RUSTC_BOOTSTRAP=1
fi
# Another build folder than tests/fuzz/target, e.g. one per toolchain.
target_dir=()
[ -n "${FUZZ_TARGET_DIR:-}" ] && target_dir=(--target-dir "$FUZZ_TARGET_DIR")
cargo_fuzz=(cargo "${toolchain[@]}" fuzz)

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "run.sh: cargo-fuzz is missing; installing it (cargo install cargo-fuzz)"
    cargo install --locked cargo-fuzz || exit 2
fi

logs="$fuzz_dir/logs"
mkdir -p "$logs" "$fuzz_dir/crashes"

echo "run.sh: building the fuzz targets ($("${cargo_fuzz[@]}" --version 2>/dev/null), rustc: $(rustc "${toolchain[@]}" --version))"
if ! "${cargo_fuzz[@]}" build --fuzz-dir "$rel" "${target_dir[@]}" >"$logs/build.log" 2>&1; then
    tail -n 40 "$logs/build.log" >&2
    echo "run.sh: the build failed; the whole log is in $logs/build.log" >&2
    exit 2
fi

# The next free crashes/<target>-<n>.
next_crash_file() {
    local n=1
    while [ -e "$fuzz_dir/crashes/$1-$n" ]; do
        n=$((n + 1))
    done
    echo "$fuzz_dir/crashes/$1-$n"
}

crashed=0
summary=()
for target in "${targets[@]}"; do
    corpus="$fuzz_dir/corpus/$target"
    artifacts="$fuzz_dir/artifacts/$target"
    mkdir -p "$corpus" "$artifacts"
    inputs=("$corpus")
    [ -d "$fuzz_dir/seeds/$target" ] && inputs+=("$fuzz_dir/seeds/$target")
    before="$(ls -1 "$artifacts")"
    log="$logs/$target.log"

    echo "== $target: ${duration}s"
    "${cargo_fuzz[@]}" run --fuzz-dir "$rel" "${target_dir[@]}" "$target" "${inputs[@]}" -- \
        -max_total_time="$duration" -timeout=10 -print_final_stats=1 >"$log" 2>&1
    status=$?

    runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | tail -n 1 | grep -o '[0-9]*$')"
    if [ -z "$runs" ]; then
        # No final stats: the last progress line (`#12345 ...`).
        runs="$(grep -o '^#[0-9]*' "$log" | tail -n 1 | tr -d '#')"
    fi

    new=()
    while IFS= read -r file; do
        case "$file" in
            crash-* | oom-* | timeout-* | leak-*)
                printf '%s\n' "$before" | grep -qxF "$file" || new+=("$file")
                ;;
        esac
    done < <(ls -1 "$artifacts")

    if [ "$status" -ne 0 ] && [ "${#new[@]}" -eq 0 ]; then
        tail -n 30 "$log" >&2
        echo "run.sh: $target failed without a crash file (exit $status); see $log" >&2
        summary+=("$target: runs ${runs:-?}, FAILED (exit $status, no crash file; see $log)")
        crashed=1
        continue
    fi

    saved=()
    for file in "${new[@]}"; do
        found="$artifacts/$file"
        # Minimize (crashes only; an oom or timeout is kept as it is).
        minimized="$found"
        if [[ "$file" == crash-* ]]; then
            "${cargo_fuzz[@]}" tmin --fuzz-dir "$rel" "${target_dir[@]}" "$target" "$found" >"$logs/$target.tmin.log" 2>&1
            candidate="$(grep -o 'minimized-from-[0-9a-f]*' "$logs/$target.tmin.log" | tail -n 1)"
            [ -n "$candidate" ] && [ -f "$artifacts/$candidate" ] && minimized="$artifacts/$candidate"
        fi
        dest="$(next_crash_file "$target")"
        cp "$minimized" "$dest"
        saved+=("${dest#"$root"/}")
        echo "-- $target crashed; minimized input: ${dest#"$root"/} ($(wc -c <"$dest") bytes)"
        # The panic message, from a run of the minimized input alone.
        "${cargo_fuzz[@]}" run --fuzz-dir "$rel" "${target_dir[@]}" "$target" "$dest" >"$logs/$target.repro.log" 2>&1
        awk '/panicked at/ { on = 1 } /^(stack backtrace:|note:)/ { on = 0 } on' \
            "$logs/$target.repro.log" | head -n 20
        grep -m 3 -E 'ERROR: (AddressSanitizer|libFuzzer)' "$logs/$target.repro.log"
    done

    if [ "${#saved[@]}" -gt 0 ]; then
        crashed=1
        summary+=("$target: runs ${runs:-?}, new crashes: ${saved[*]}")
    else
        summary+=("$target: runs ${runs:-?}, new crashes: 0")
    fi
    echo "${summary[-1]}"
done

echo
echo "== summary (${duration}s per target)"
printf '%s\n' "${summary[@]}"
exit "$crashed"
