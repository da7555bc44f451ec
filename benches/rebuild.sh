#!/usr/bin/env bash
# Affiche benchmarks: full rebuild against Hugo, and the cost of publishing
# one article on a small site against a large one.
#
#   benches/rebuild.sh [options] [N ...]        (default N: 1000 10000)
#
# For each N: generate a corpus of N articles (benches/corpus.py), `affiche
# init`, import it (timed once, separately), then time a full `affiche
# rebuild` and a full `hugo` build of the same files (benches/hugo-site),
# with the same number of runs, output to the same temp storage (/dev/shm
# when it is a usable tmpfs), Hugo's output dir emptied before each run.
#
# Then the publish benchmark: `affiche article import one-new.md` on a site
# of PUBLISH_SMALL (10) articles and on one of PUBLISH_LARGE (10,000), each
# run with a fresh article (new slug, newest date, tags from the same pool),
# median of --publish-runs. Goal: large/small <= 1.2.
#
# Ends with a Markdown table (also saved under benches/out/, git-ignored).
#
# Options:
#   --runs K            timed runs per rebuild measurement (default 3; median)
#   --warmup K          untimed runs before those (default 1)
#   --publish-runs K    timed publishes per site (default 7, at least 5)
#   --hugo-only         only the Hugo side (no affiche binary needed)
#   --no-hugo           skip Hugo
#   --no-publish        skip the publish benchmark
#   --no-build          do not run `cargo build --release` first
#   --no-hyperfine      time with bash's clock even if hyperfine is installed
#   --keep              keep the temp dir (its path is printed)
# Environment:
#   AFFICHE_BIN         binary to benchmark (default target/release/affiche;
#                       setting it skips the cargo build)
#   PUBLISH_SMALL, PUBLISH_MID, PUBLISH_LARGE   site sizes of the publish
#                       benchmark (10, 1000, 10000); the middle one shows where
#                       lists and feeds are full, beyond which nothing grows
#   BENCH_TMP           parent dir for the temp dir (default /dev/shm, else $TMPDIR or /tmp)
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

die() { printf 'rebuild.sh: error: %s\n' "$*" >&2; exit 1; }
warn() { printf 'rebuild.sh: warning: %s\n' "$*" >&2; }
say() { printf '%s\n' "$*" >&2; }

RUNS=3 WARMUP=1 PUBLISH_RUNS=7
DO_AFFICHE=1 DO_HUGO=1 DO_PUBLISH=1 DO_BUILD=1 USE_HYPERFINE=1 KEEP=0
SIZES=()
while [ $# -gt 0 ]; do
    case "$1" in
        --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
        --warmup) WARMUP=${2:?--warmup needs a number}; shift 2 ;;
        --publish-runs) PUBLISH_RUNS=${2:?--publish-runs needs a number}; shift 2 ;;
        --hugo-only) DO_AFFICHE=0; DO_PUBLISH=0; DO_BUILD=0; shift ;;
        --no-hugo) DO_HUGO=0; shift ;;
        --no-publish) DO_PUBLISH=0; shift ;;
        --no-build) DO_BUILD=0; shift ;;
        --no-hyperfine) USE_HYPERFINE=0; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        -*) die "unknown option $1 (see --help)" ;;
        *) [[ $1 =~ ^[0-9]+$ ]] && [ "$1" -gt 0 ] || die "N must be a positive integer, got '$1'"
           SIZES+=("$1"); shift ;;
    esac
done
[ ${#SIZES[@]} -gt 0 ] || SIZES=(1000 10000)
PUBLISH_SMALL=${PUBLISH_SMALL:-10}
PUBLISH_MID=${PUBLISH_MID:-1000}
PUBLISH_LARGE=${PUBLISH_LARGE:-10000}
for v in RUNS WARMUP PUBLISH_RUNS PUBLISH_SMALL PUBLISH_MID PUBLISH_LARGE; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a number, got '${!v}'"
done
[ "$RUNS" -ge 1 ] || die "--runs must be at least 1"
[ "$PUBLISH_RUNS" -ge 5 ] || die "--publish-runs must be at least 5 (median of >= 5 runs)"
[ $DO_AFFICHE = 1 ] || [ $DO_HUGO = 1 ] || die "--hugo-only and --no-hugo leave nothing to measure"

# ---------------------------------------------------------------- tools
command -v python3 >/dev/null || die "python3 is needed (apt-get install python3)"
if [ $DO_HUGO = 1 ]; then
    command -v hugo >/dev/null || die "hugo is needed (apt-get install hugo), or pass --no-hugo"
    HUGO_VERSION=$(hugo version | sed -n 's/^hugo v\([0-9.]*\).*/\1/p')
    HUGO_VERSION=${HUGO_VERSION:-unknown}
fi
HYPERFINE=""
if [ $USE_HYPERFINE = 1 ] && command -v hyperfine >/dev/null; then
    HYPERFINE=$(command -v hyperfine)
fi
[[ -n ${EPOCHREALTIME:-} ]] || die "bash >= 5 is needed (EPOCHREALTIME), this is $BASH_VERSION"

if [ $DO_AFFICHE = 1 ]; then
    if [ -n "${AFFICHE_BIN:-}" ]; then
        BIN=$AFFICHE_BIN
    else
        BIN=$ROOT/target/release/affiche
        if [ $DO_BUILD = 1 ] || [ ! -x "$BIN" ]; then
            command -v cargo >/dev/null || die "cargo is needed to build $BIN (https://rustup.rs), or set AFFICHE_BIN"
            say "building: cargo build --release"
            cargo build --release --quiet || die "cargo build --release failed"
        fi
    fi
    [ -x "$BIN" ] || die "affiche binary not found or not executable: $BIN"
    AFFICHE_VERSION=$("$BIN" --version 2>/dev/null | head -1 || true)
    AFFICHE_VERSION=${AFFICHE_VERSION:-affiche (version unknown)}
fi

# ---------------------------------------------------------------- temp dir
pick_tmp_parent() {
    if [ -n "${BENCH_TMP:-}" ]; then echo "$BENCH_TMP"; return; fi
    # A tmpfs with room for two outputs of 10,000 pages and the corpus.
    if [ -d /dev/shm ] && [ -w /dev/shm ] &&
        [ "$(df -Pk /dev/shm | awk 'NR==2 {print $4}')" -gt $((3 * 1024 * 1024)) ]; then
        echo /dev/shm
    else
        echo "${TMPDIR:-/tmp}"
    fi
}
TMP_PARENT=$(pick_tmp_parent)
WORK=$(mktemp -d "$TMP_PARENT/affiche-bench.XXXXXX") || die "cannot create a temp dir in $TMP_PARENT"
cleanup() {
    if [ $KEEP = 1 ]; then say "kept: $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
STORAGE=$(df -PT "$WORK" | awk 'NR==2 {print $2}')
say "work dir: $WORK ($STORAGE)"

# ---------------------------------------------------------------- timing
now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "${t#0}"; }

# run_logged LOG CMD...: run CMD with its output in LOG; on failure show it and stop.
run_logged() {
    local log=$1; shift
    if ! "$@" >"$log" 2>&1; then
        say "command failed: $*"
        tail -n 30 "$log" >&2
        exit 1
    fi
}

# time_once LOG CMD...: elapsed milliseconds (3 decimals) of one run of CMD.
time_once() {
    local log=$1; shift
    local t0 t1
    t0=$(now_us)
    if ! "$@" >"$log" 2>&1; then
        say "command failed: $*"
        tail -n 30 "$log" >&2
        exit 1
    fi
    t1=$(now_us)
    awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f\n", (b - a) / 1000 }'
}

# stats MS...: "median min" of the values.
stats() {
    printf '%s\n' "$@" | sort -g | awk '
        { v[NR] = $1 }
        END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
              printf "%.1f %.1f\n", m, v[1] }'
}

# bench NAME PREPARE CMD: WARMUP + RUNS runs of the shell command CMD, each
# after the shell command PREPARE (untimed); prints "median min" in ms.
bench() {
    local name=$1 prepare=$2 cmd=$3 log="$WORK/$1.log"
    if [ -n "$HYPERFINE" ]; then
        local json="$WORK/$name.json" hf_runs=$RUNS
        [ "$hf_runs" -ge 2 ] || hf_runs=2   # hyperfine wants two runs at least
        if ! "$HYPERFINE" --style none --shell bash --warmup "$WARMUP" --runs "$hf_runs" \
                --prepare "$prepare" --export-json "$json" -- "$cmd" >"$log" 2>&1; then
            say "hyperfine failed on: $cmd"; tail -n 30 "$log" >&2; exit 1
        fi
        python3 - "$json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))["results"][0]
print(f"{r['median'] * 1000:.1f} {r['min'] * 1000:.1f}")
EOF
        return
    fi
    local i times=()
    for ((i = 0; i < WARMUP; i++)); do
        run_logged "$log" bash -c "$prepare"
        run_logged "$log" bash -c "$cmd"
    done
    for ((i = 0; i < RUNS; i++)); do
        run_logged "$log" bash -c "$prepare"
        times+=("$(time_once "$log" bash -c "$cmd")")
    done
    stats "${times[@]}"
}

fmt_ms() { awk -v v="$1" 'BEGIN { if (v >= 100) printf "%.0f", v; else printf "%.1f", v }'; }
per_page() { awk -v t="$1" -v n="$2" 'BEGIN { printf "%.3f", t / n }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
thousands() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
q() { printf '%q' "$1"; }

count_html() { find "$1" -name '*.html' -type f 2>/dev/null | wc -l | tr -d ' '; }

# ---------------------------------------------------------------- corpus, sites
# make_corpus N: writes $WORK/corpus-N/articles/*.md once; echoes the content dir.
make_corpus() {
    local n=$1 dir="$WORK/corpus-$1"
    if [ ! -d "$dir/articles" ]; then
        python3 "$ROOT/benches/corpus.py" "$n" "$dir/articles" ||
            die "benches/corpus.py $n failed"
    fi
    echo "$dir"
}

# make_site N: init an affiche site with N imported articles (once) and set
# SITE to its dir; the import is timed (one run) into IMPORT_MS[N].
declare -A IMPORT_MS=()
SITE=""
make_site() {
    local n=$1 content ms
    SITE="$WORK/affiche-$n"
    [ ! -f "$SITE/affiche.toml" ] || return 0
    content=$(make_corpus "$n")
    run_logged "$WORK/init-$n.log" "$BIN" init "$SITE" --title "Affiche bench" \
        --base-url "https://bench.example"
    [ -f "$SITE/affiche.toml" ] || die "affiche init $SITE wrote no affiche.toml"
    [ -d "$SITE/public_html" ] || die "affiche init $SITE made no public_html/"
    ms=$(time_once "$WORK/import-$n.log" "$BIN" --config "$SITE/affiche.toml" \
        article import "$content/articles")
    IMPORT_MS[$n]=$ms
    say "  import of $n articles: $(fmt_ms "$ms") ms ($(per_page "$ms" "$n") ms/article)"
}

HUGO_SITE_SRC="$ROOT/benches/hugo-site"
[ $DO_HUGO = 0 ] || [ -f "$HUGO_SITE_SRC/config.toml" ] || die "missing $HUGO_SITE_SRC/config.toml"

# ---------------------------------------------------------------- rebuild benchmark
declare -A AFF_MED=() AFF_MIN=() AFF_PAGES=() MD_MED=() MD_MIN=() HUGO_MED=() HUGO_MIN=() HUGO_PAGES=()
TIMER=${HYPERFINE:+hyperfine}
TIMER=${TIMER:-bash EPOCHREALTIME}
say "timer: $TIMER; runs: $WARMUP warm-up + $RUNS timed (median)"

for n in "${SIZES[@]}"; do
    say ""
    say "== N=$n"
    content=$(make_corpus "$n")
    got=$(find "$content/articles" -name '*.md' | wc -l | tr -d ' ')
    [ "$got" = "$n" ] || die "corpus has $got files, expected $n"

    if [ $DO_AFFICHE = 1 ]; then
        make_site "$n"; site=$SITE
        res=$(bench "affiche-rebuild-$n" "true" \
            "$(q "$BIN") --config $(q "$site/affiche.toml") rebuild")
        read -r med min <<<"$res"
        AFF_MED[$n]=$med AFF_MIN[$n]=$min
        AFF_PAGES[$n]=$(count_html "$site/public_html")
        say "  affiche rebuild: median $(fmt_ms "$med") ms (min $(fmt_ms "$min")), $(per_page "$med" "$n") ms/article, ${AFF_PAGES[$n]} HTML files"
        # What Hugo does: every body's Markdown rendered again, not the stored HTML.
        res=$(bench "affiche-rebuild-markdown-$n" "true" \
            "$(q "$BIN") --config $(q "$site/affiche.toml") rebuild --markdown")
        read -r med min <<<"$res"
        MD_MED[$n]=$med MD_MIN[$n]=$min
        say "  affiche rebuild --markdown: median $(fmt_ms "$med") ms (min $(fmt_ms "$min")), $(per_page "$med" "$n") ms/article"
        if [ "${AFF_PAGES[$n]}" -lt "$n" ]; then
            warn "affiche wrote ${AFF_PAGES[$n]} HTML files for $n articles: fewer than one per article"
        fi
    fi

    if [ $DO_HUGO = 1 ]; then
        hsite="$WORK/hugo-site"
        [ -d "$hsite" ] || cp -r "$HUGO_SITE_SRC" "$hsite"   # hugo writes a lock file in its source
        out="$WORK/hugo-out-$n"
        hcmd="hugo --quiet --source $(q "$hsite") --contentDir $(q "$content") --destination $(q "$out") --cacheDir $(q "$WORK/hugo-cache")"
        res=$(bench "hugo-$n" "rm -rf $(q "$out")" "$hcmd")
        read -r med min <<<"$res"
        HUGO_MED[$n]=$med HUGO_MIN[$n]=$min
        HUGO_PAGES[$n]=$(count_html "$out")
        hugo_articles=$(find "$out/articles" -mindepth 2 -name index.html | wc -l | tr -d ' ')
        [ "$hugo_articles" = "$n" ] ||
            die "hugo wrote $hugo_articles article pages for $n articles: check benches/hugo-site against this corpus"
        say "  hugo $HUGO_VERSION: median $(fmt_ms "$med") ms (min $(fmt_ms "$min")), $(per_page "$med" "$n") ms/article, ${HUGO_PAGES[$n]} HTML files"
        rm -rf "$out"
    fi
    if [ $DO_AFFICHE = 1 ] && [ $DO_HUGO = 1 ]; then
        say "  ratio affiche --markdown/hugo: $(ratio "${MD_MED[$n]}" "${HUGO_MED[$n]}")"
    fi
    # Keep the site only if the publish benchmark reuses it.
    if { [ "$n" != "$PUBLISH_LARGE" ] && [ "$n" != "$PUBLISH_MID" ]; } || [ $DO_PUBLISH = 0 ]; then
        [ $KEEP = 1 ] || rm -rf "$WORK/affiche-$n" "$WORK/corpus-$n"
    fi
done

# ---------------------------------------------------------------- publish benchmark
declare -A PUB_MED=() PUB_MIN=()
if [ $DO_PUBLISH = 1 ]; then
    say ""
    say "== publish one new article ($PUBLISH_RUNS timed runs after 1 warm-up, fresh article each)"
    start=100000
    for n in "$PUBLISH_SMALL" "$PUBLISH_MID" "$PUBLISH_LARGE"; do
        make_site "$n"; site=$SITE
        new="$WORK/new-$n"
        python3 "$ROOT/benches/corpus.py" $((PUBLISH_RUNS + 1)) "$new" --start "$start" --newest ||
            die "benches/corpus.py (new articles) failed"
        start=$((start + 100000))
        mapfile -t files < <(find "$new" -name '*.md' | sort)
        times=()
        for i in "${!files[@]}"; do
            f=${files[$i]}
            ms=$(time_once "$WORK/publish-$n.log" "$BIN" --config "$site/affiche.toml" article import "$f")
            [ "$i" = 0 ] || times+=("$ms")
        done
        slug=$(basename "${files[-1]}" .md)
        if [ -z "$(find "$site/public_html" -path "*$slug*" -print -quit)" ]; then
            warn "after importing $slug, no file in $site/public_html has it in its path"
        fi
        res=$(stats "${times[@]}")
        read -r med min <<<"$res"
        PUB_MED[$n]=$med PUB_MIN[$n]=$min
        say "  site of $n articles: median $(fmt_ms "$med") ms (min $(fmt_ms "$min"))"
    done
    say "  ratio $PUBLISH_LARGE/$PUBLISH_SMALL: $(ratio "${PUB_MED[$PUBLISH_LARGE]}" "${PUB_MED[$PUBLISH_SMALL]}") (goal <= 1.2)"
    say "  ratio $PUBLISH_LARGE/$PUBLISH_MID: $(ratio "${PUB_MED[$PUBLISH_LARGE]}" "${PUB_MED[$PUBLISH_MID]}")"
fi

# ---------------------------------------------------------------- report
CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
{
    echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores${CPU:+ ($CPU)}, output on $STORAGE,"
    echo "median of $RUNS runs after $WARMUP warm-up ($TIMER)."
    [ $DO_AFFICHE = 0 ] || echo "Affiche: \`$AFFICHE_VERSION\`."
    [ $DO_HUGO = 0 ] || echo "Hugo: $HUGO_VERSION, benches/hugo-site (HTML per article, home, paginated tag and author pages, RSS, sitemap; see its README)."
    echo
    echo "| full build | Affiche, Markdown rendered again (\`rebuild --markdown\`) | Affiche, stored HTML (\`rebuild\`) | Hugo | Affiche --markdown / Hugo |"
    echo "| --- | ---: | ---: | ---: | ---: |"
    for n in "${SIZES[@]}"; do
        a="–" m="–" h="–" r="–"
        if [ $DO_AFFICHE = 1 ]; then
            a="$(fmt_ms "${AFF_MED[$n]}") ms ($(per_page "${AFF_MED[$n]}" "$n") ms/article)"
            m="$(fmt_ms "${MD_MED[$n]}") ms ($(per_page "${MD_MED[$n]}" "$n") ms/article)"
        fi
        if [ $DO_HUGO = 1 ]; then
            h="$(fmt_ms "${HUGO_MED[$n]}") ms ($(per_page "${HUGO_MED[$n]}" "$n") ms/article)"
        fi
        if [ $DO_AFFICHE = 1 ] && [ $DO_HUGO = 1 ]; then
            r=$(ratio "${MD_MED[$n]}" "${HUGO_MED[$n]}")
        fi
        echo "| $(thousands "$n") articles | $m | $a | $h | $r |"
    done
    if [ ${#IMPORT_MS[@]} -gt 0 ]; then
        echo
        echo "| first import (one run) | Affiche |"
        echo "| --- | ---: |"
        for n in $(printf '%s\n' "${!IMPORT_MS[@]}" | sort -n); do
            echo "| $(thousands "$n") articles | $(fmt_ms "${IMPORT_MS[$n]}") ms ($(per_page "${IMPORT_MS[$n]}" "$n") ms/article) |"
        done
    fi
    if [ $DO_PUBLISH = 1 ]; then
        echo
        echo "| publish one article (median of $PUBLISH_RUNS) | Affiche |"
        echo "| --- | ---: |"
        echo "| site of $(thousands "$PUBLISH_SMALL") articles | $(fmt_ms "${PUB_MED[$PUBLISH_SMALL]}") ms |"
        echo "| site of $(thousands "$PUBLISH_MID") articles | $(fmt_ms "${PUB_MED[$PUBLISH_MID]}") ms |"
        echo "| site of $(thousands "$PUBLISH_LARGE") articles | $(fmt_ms "${PUB_MED[$PUBLISH_LARGE]}") ms |"
        echo "| ratio $(thousands "$PUBLISH_LARGE") / $(thousands "$PUBLISH_SMALL") (goal ≤ 1.2) | $(ratio "${PUB_MED[$PUBLISH_LARGE]}" "${PUB_MED[$PUBLISH_SMALL]}") |"
        echo "| ratio $(thousands "$PUBLISH_LARGE") / $(thousands "$PUBLISH_MID") | $(ratio "${PUB_MED[$PUBLISH_LARGE]}" "${PUB_MED[$PUBLISH_MID]}") |"
    fi
} >"$WORK/report.md"

mkdir -p "$ROOT/benches/out"
REPORT="$ROOT/benches/out/rebuild-$(date -u +%Y%m%d-%H%M%S).md"
cp "$WORK/report.md" "$REPORT"
say ""
say "report saved to ${REPORT#"$ROOT"/}"
echo
cat "$WORK/report.md"
