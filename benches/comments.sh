#!/usr/bin/env bash
# Affiche benchmarks: replies from the fediverse becoming comments, under
# Apache, on loopback, release builds.
#
#   benches/comments.sh [--count N] [--connections C] [--probes P] [--no-build] [--keep]
#
# A private Apache (prefork + mod_cgi, `AllowOverride All`, the shipped
# install/htaccess, the release binary as affiche.cgi: as tests/it/apache.rs
# and benches/federation.sh set it up) serves a fresh site with two
# published articles. benches/fedbench (`fedbench replies`) plays a
# fediverse account that replies in Mastodon's shape, signed:
#   - per-reply latency (signature checked with the cached key, the reply
#     stored, the article's page and twin re-rendered) with about 1 and about
#     100 comments on the page (P replies one after the other: median, max);
#   - a burst of N replies (default 1,000) to one article over C concurrent
#     connections (default 10, a new connection per request): req/s, p50, p99;
#   - the comments the page then shows (must be N) and the "database is
#     locked" lines in Apache's error log (must be 0);
#   - per-reply latency again with N comments on the page;
#   - `affiche rebuild` of the whole site (the N-comment page included).
# Ends with a Markdown table (also saved under benches/out/, git-ignored).
# Exits 1 when a check fails.
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

die() { printf 'comments.sh: error: %s\n' "$*" >&2; exit 1; }
say() { printf '%s\n' "$*" >&2; }

COUNT=1000 CONNECTIONS=10 PROBES=5 DO_BUILD=1 KEEP=0
while [ $# -gt 0 ]; do
    case "$1" in
        --count) COUNT=${2:?--count needs a number}; shift 2 ;;
        --connections) CONNECTIONS=${2:?--connections needs a number}; shift 2 ;;
        --probes) PROBES=${2:?--probes needs a number}; shift 2 ;;
        --no-build) DO_BUILD=0; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
for v in COUNT CONNECTIONS PROBES; do
    [[ ${!v} =~ ^[0-9]+$ ]] && [ "${!v}" -ge 1 ] || die "$v must be a number >= 1, got '${!v}'"
done

need() { command -v "$1" >/dev/null || die "$1 is needed: $2"; }
need cargo "install Rust with rustup (https://rustup.rs)"
need curl "apt-get install curl"
APACHE=""
for a in /usr/sbin/apache2 /usr/sbin/httpd; do [ -x "$a" ] && APACHE=$a && break; done
[ -n "$APACHE" ] || die "Apache is needed: apt-get install apache2"
APACHE_MODULES=/usr/lib/apache2/modules
for m in mpm_prefork authz_core authz_host mime dir alias rewrite headers cgi env setenvif; do
    [ -f "$APACHE_MODULES/mod_$m.so" ] || die "Apache module mod_$m is missing from $APACHE_MODULES"
done
if [ "$(id -u)" = 0 ]; then
    id www-data >/dev/null 2>&1 || die "running as root, Apache's children run as www-data, which does not exist"
fi

BIN=${AFFICHE_BIN:-$ROOT/target/release/affiche}
if [ -z "${AFFICHE_BIN:-}" ] && { [ $DO_BUILD = 1 ] || [ ! -x "$BIN" ]; }; then
    say "building: cargo build --release"
    cargo build --release --quiet || die "cargo build --release failed"
fi
[ -x "$BIN" ] || die "affiche binary not found: $BIN"
FEDBENCH=$ROOT/target/fedbench/release/fedbench
if [ $DO_BUILD = 1 ] || [ ! -x "$FEDBENCH" ]; then
    say "building: benches/fedbench (cargo build --release)"
    cargo build --release --quiet --manifest-path "$ROOT/benches/fedbench/Cargo.toml" \
        --target-dir "$ROOT/target/fedbench" || die "building benches/fedbench failed"
fi

WORK=$(mktemp -d "${BENCH_TMP:-${TMPDIR:-/tmp}}/affiche-comments.XXXXXX") || die "cannot create a temp dir"
APACHE_PID=""
stop_apache() {
    [ -n "${APACHE_PID:-}" ] || return 0
    kill -TERM "$APACHE_PID" 2>/dev/null || true
    local i
    for ((i = 0; i < 100; i++)); do
        kill -0 "$APACHE_PID" 2>/dev/null || break
        sleep 0.1
    done
    wait "$APACHE_PID" 2>/dev/null || true
    APACHE_PID=""
}
cleanup() {
    local status=$?
    stop_apache
    if [ $KEEP = 1 ]; then say "kept: $WORK"; else rm -rf "$WORK"; fi
    exit $status
}
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$WORK"

SITE=$WORK/site
DOCROOT=$SITE/public_html
"$BIN" init "$SITE" --title "Comments bench" --base-url https://example.org >"$WORK/init.log" 2>&1 ||
    { cat "$WORK/init.log" >&2; die "affiche init failed"; }
sed -i 's/^allow_private_addresses_for_testing = false$/allow_private_addresses_for_testing = true/' "$SITE/affiche.toml"
grep -q '^allow_private_addresses_for_testing = true$' "$SITE/affiche.toml" || die "cannot allow loopback in the config"
mkdir -p "$WORK/md"
printf '+++\ntitle = "Harbour notes"\ntags = ["Sea"]\n+++\nThe boats came in at *dawn*.\n' >"$WORK/md/harbour-notes.md"
printf '+++\ntitle = "Probe"\ntags = ["Sea"]\n+++\nA page to time replies on.\n' >"$WORK/md/probe.md"
"$BIN" --config "$SITE/affiche.toml" article import "$WORK/md" >"$WORK/import.log" 2>&1 ||
    { cat "$WORK/import.log" >&2; die "article import failed"; }
install -m 755 "$BIN" "$DOCROOT/affiche.cgi"
install -m 644 "$ROOT/install/htaccess" "$DOCROOT/.htaccess"
dir=$SITE
while [ "$dir" != / ]; do chmod o+x "$dir" 2>/dev/null || true; dir=$(dirname "$dir"); done
if [ "$(id -u)" = 0 ]; then chown -R www-data:www-data "$SITE"; fi

start_apache() {
    local attempt port conf root=$WORK/apache i
    mkdir -p "$root"
    for attempt in 1 2 3 4 5; do
        port=$((20000 + RANDOM % 12000))
        if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
        conf=$root/httpd.conf
        {
            echo "ServerRoot \"$root\""
            echo "ServerName 127.0.0.1"
            echo "Listen 127.0.0.1:$port"
            echo "PidFile \"$root/httpd.pid\""
            echo "DefaultRuntimeDir \"$root\""
            echo "ErrorLog \"$root/error.log\""
            echo "LogLevel warn"
            for m in mpm_prefork authz_core authz_host mime dir alias rewrite headers cgi env setenvif; do
                echo "LoadModule ${m}_module $APACHE_MODULES/mod_$m.so"
            done
            if [ "$(id -u)" = 0 ]; then echo "User www-data"; echo "Group www-data"; fi
            echo "TypesConfig /etc/mime.types"
            echo "StartServers $((CONNECTIONS + 2))"
            echo "MinSpareServers $((CONNECTIONS + 2))"
            echo "MaxSpareServers $((2 * CONNECTIONS + 4))"
            echo "MaxRequestWorkers $((4 * CONNECTIONS + 16))"
            echo "DocumentRoot \"$DOCROOT\""
            echo "<Directory />"
            echo "  AllowOverride None"
            echo "  Require all denied"
            echo "</Directory>"
            echo "<Directory \"$DOCROOT\">"
            echo "  AllowOverride All"
            echo "  Require all granted"
            echo "</Directory>"
        } >"$conf"
        setsid "$APACHE" -f "$conf" -DFOREGROUND </dev/null >"$root/stdout.log" 2>&1 &
        APACHE_PID=$!
        for ((i = 0; i < 150; i++)); do
            kill -0 "$APACHE_PID" 2>/dev/null || break
            if curl -s -o /dev/null "http://127.0.0.1:$port/health"; then
                SITE_ADDR=127.0.0.1:$port
                APACHE_LOG=$root/error.log
                return 0
            fi
            sleep 0.1
        done
        stop_apache
    done
    die "Apache did not start: $(cat "$root/error.log" 2>/dev/null | tail -5)"
}
start_apache
curl -sf -o /dev/null "http://$SITE_ADDR/articles/harbour-notes/" || die "the article is not served"

say "== $COUNT signed replies, $CONNECTIONS connections ($SITE_ADDR)"
set +e
"$FEDBENCH" replies --site "$SITE_ADDR" \
    --article https://example.org/articles/harbour-notes/ \
    --probe-article https://example.org/articles/probe/ \
    --count "$COUNT" --connections "$CONNECTIONS" --probes "$PROBES" | tee "$WORK/fedbench.out"
FEDBENCH_STATUS=${PIPESTATUS[0]}
set -e
OUT=$(tr '\n' ' ' <"$WORK/fedbench.out")
field() { printf '%s\n' "$OUT" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1; }
LOCKED=$(grep -c 'database is locked' "$APACHE_LOG" || true)
stop_apache
if [ "$(id -u)" = 0 ]; then chown -R root "$SITE"; fi
REBUILD_START=$(date +%s.%N)
"$BIN" --config "$SITE/affiche.toml" rebuild >"$WORK/rebuild.log" 2>&1 || { cat "$WORK/rebuild.log" >&2; die "rebuild failed"; }
REBUILD_S=$(awk -v a="$REBUILD_START" -v b="$(date +%s.%N)" 'BEGIN { printf "%.2f", b - a }')
PAGE_KB=$(( $(stat -c %s "$DOCROOT/articles/harbour-notes/index.html") / 1024 ))

FAIL=0
[ "$FEDBENCH_STATUS" = 0 ] || FAIL=1
[ "$LOCKED" = 0 ] || FAIL=1
[ "$(field page_count_shown)" = "$COUNT" ] || FAIL=1
mkdir -p "$ROOT/benches/out"
REPORT=$ROOT/benches/out/comments-$(date +%Y%m%d-%H%M%S).md
{
    echo "## Comments under Apache ($(nproc) cores, $(uname -r), $("$BIN" --version 2>/dev/null | head -1))"
    echo
    echo "| measure | value |"
    echo "|---|---|"
    echo "| burst: replies sent / failed | $(field burst_ok) / $(field burst_failed) |"
    echo "| burst: req/s ($CONNECTIONS connections) | $(field rps) |"
    echo "| burst: p50 / p99 / max ms | $(field p50_ms) / $(field p99_ms) / $(field max_ms) |"
    echo "| \"database is locked\" in the error log | $LOCKED |"
    echo "| comments on the page (title / entries) | $(field page_count_shown) / $(field page_entries) (expected $COUNT) |"
    echo "| first reply (key fetched) ms | $(field first_reply_ms) |"
    echo "| one reply with ~1 comment: median / max ms | $(field at_1_median_ms) / $(field at_1_max_ms) |"
    echo "| one reply with ~100 comments: median / max ms | $(field at_100_median_ms) / $(field at_100_max_ms) |"
    echo "| one reply with ~$COUNT comments: median / max ms | $(field at_${COUNT}_median_ms) / $(field at_${COUNT}_max_ms) |"
    echo "| \`affiche rebuild\` (2 articles, $COUNT+ comments) s | $REBUILD_S |"
    echo "| page size with $COUNT+ comments | ${PAGE_KB} KB |"
    echo "| result | $([ $FAIL = 0 ] && echo PASS || echo FAIL) |"
} | tee "$REPORT"
say "saved: $REPORT"
exit $FAIL
