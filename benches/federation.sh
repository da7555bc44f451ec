#!/usr/bin/env bash
# Affiche benchmarks: the federation side, on loopback, release builds.
#
#   benches/federation.sh [options]
#
# 1. Inbox under Apache. A private Apache (prefork + mod_cgi, `AllowOverride
#    All`, the shipped install/htaccess, the release binary as affiche.cgi,
#    as tests/it/apache.rs sets it up) serves three programs; each gets the
#    same wrk load (-t2 -c10 -d10s, a new connection per request; 3 runs,
#    interleaved, after an untimed warm-up):
#      - a trivial static CGI ("ok": Rust built for musl, else C built static),
#      - php-cgi hello world (a `#!/usr/bin/php-cgi -dcgi.force_redirect=0`
#        script),
#      - affiche.cgi: signed POSTs to /inbox of an activity nobody handles
#        (`{"type":"Dance",...}`, ~1 KB, a unique id per request: the site
#        verifies, stores and ignores each one), from a sender whose key the
#        site has cached (benches/fedbench plays the sender: it serves its
#        actor on loopback, primes the cache with two activities, signs the
#        requests beforehand, and counts the site's actor fetches: 1 expected).
#    The baselines get the very same request (headers and body) on their own
#    path. wrk replays the pre-signed requests with benches/fedbench/replay.lua,
#    each once; before each run the sender signs enough for 1.5 times the
#    best rate seen so far (at first the trivial CGI's, which affiche cannot
#    beat). Goals: affiche/trivial >= 0.8, affiche/php-cgi >= 10.
#
# 2. Fan-out. A fresh site gets 10,000 followers spread over 1,000 fake hosts
#    (loopback listeners, one port each, all with a shared inbox), recorded
#    through the library (Store::save_remote_actor, add_follower); one Create
#    (~1.5 KB) is enqueued for Store::follower_inboxes(), then
#    `affiche queue run --budget 120` is timed until it returns. Every host
#    counts what it gets and verifies every signature against the site's key;
#    the run fails unless each shared inbox got the activity exactly once and
#    the queue is empty. Goal: <= 30 s. Then the same with personal inboxes
#    only (10,000 deliveries), and, since loopback answers in microseconds,
#    with inboxes that take LATENCY ms to answer and with a few slow hosts.
#
# Ends with a Markdown table (also saved under benches/out/, git-ignored).
#
# Options:
#   --duration S        wrk seconds per measured run (default 10)
#   --runs K            measured runs per program, interleaved (trivial, php,
#                       affiche, trivial, ...); the table shows the run with
#                       the median rate (default 3)
#   --warmup S          wrk seconds of untimed warm-up per program (default 3)
#   --threads T         wrk threads (default 2)
#   --connections C     wrk connections (default 10)
#   --keepalive         keep connections alive between requests (wrk's
#                       default). Without it every request says `Connection:
#                       close`: under prefork + mod_cgi a kept-alive
#                       connection stalls 47 ms before its next request
#                       whenever the CGI process has not quite exited when
#                       Apache cleans up (APR's SIGTERM-then-sleep), which
#                       makes the figures bimodal and hits bigger programs more
#   --hosts N           fan-out hosts (default 1000)
#   --followers N       fan-out followers (default 10000)
#   --latency-ms MS     fan-out also with inboxes answering after MS ms
#                       (default 100; 0 skips it)
#   --slow-hosts K      ...and with K of the hosts answering after SLOW_MS
#                       (default 10, i.e. 1%; 0 skips it)
#   --slow-ms MS        (default 5000)
#   --musl              also measure the inbox with the static musl build
#                       (`cargo build --release --target x86_64-unknown-linux-musl`),
#                       the binary the release zip ships
#   --no-inbox          skip part 1
#   --no-fanout         skip part 2
#   --quick             part 2 with shared inboxes on loopback only
#   --no-build          do not run `cargo build --release` first
#   --keep              keep the temp dir (its path is printed)
# Environment:
#   AFFICHE_BIN         binary to benchmark (default target/release/affiche;
#                       setting it skips the cargo build)
#   BENCH_TMP           parent dir for the temp dir (default $TMPDIR or /tmp:
#                       a disk, as on a host; the database lives there)
#   BENCH_HTACCESS      lines put at the top of the docroot's .htaccess, e.g.
#                       "SetEnv NAME value" for an experimental build
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

die() { printf 'federation.sh: error: %s\n' "$*" >&2; exit 1; }
warn() { printf 'federation.sh: warning: %s\n' "$*" >&2; }
say() { printf '%s\n' "$*" >&2; }

DURATION=10 RUNS=3 WARMUP=3 THREADS=2 CONNECTIONS=10
HOSTS=1000 FOLLOWERS=10000 LATENCY_MS=100 SLOW_HOSTS=10 SLOW_MS=5000
DO_INBOX=1 DO_FANOUT=1 DO_BUILD=1 DO_MUSL=0 QUICK=0 KEEP=0 KEEPALIVE=0
while [ $# -gt 0 ]; do
    case "$1" in
        --duration) DURATION=${2:?--duration needs seconds}; shift 2 ;;
        --runs) RUNS=${2:?--runs needs a number}; shift 2 ;;
        --warmup) WARMUP=${2:?--warmup needs seconds}; shift 2 ;;
        --threads) THREADS=${2:?--threads needs a number}; shift 2 ;;
        --connections) CONNECTIONS=${2:?--connections needs a number}; shift 2 ;;
        --hosts) HOSTS=${2:?--hosts needs a number}; shift 2 ;;
        --followers) FOLLOWERS=${2:?--followers needs a number}; shift 2 ;;
        --latency-ms) LATENCY_MS=${2:?--latency-ms needs a number}; shift 2 ;;
        --slow-hosts) SLOW_HOSTS=${2:?--slow-hosts needs a number}; shift 2 ;;
        --slow-ms) SLOW_MS=${2:?--slow-ms needs a number}; shift 2 ;;
        --musl) DO_MUSL=1; shift ;;
        --keepalive) KEEPALIVE=1; shift ;;
        --no-inbox) DO_INBOX=0; shift ;;
        --no-fanout) DO_FANOUT=0; shift ;;
        --quick) QUICK=1; shift ;;
        --no-build) DO_BUILD=0; shift ;;
        --keep) KEEP=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
done
for v in DURATION RUNS WARMUP THREADS CONNECTIONS HOSTS FOLLOWERS LATENCY_MS SLOW_HOSTS SLOW_MS; do
    [[ ${!v} =~ ^[0-9]+$ ]] || die "$v must be a number, got '${!v}'"
done
[ "$DURATION" -ge 1 ] && [ "$RUNS" -ge 1 ] && [ "$THREADS" -ge 1 ] && [ "$CONNECTIONS" -ge "$THREADS" ] ||
    die "need --duration >= 1, --threads >= 1 and --connections >= --threads"
[ "$HOSTS" -ge 1 ] && [ "$FOLLOWERS" -ge "$HOSTS" ] || die "need --hosts >= 1 and --followers >= --hosts"
[ "$SLOW_HOSTS" -le "$HOSTS" ] || die "--slow-hosts cannot exceed --hosts"
[ $DO_INBOX = 1 ] || [ $DO_FANOUT = 1 ] || die "--no-inbox and --no-fanout leave nothing to measure"

# ---------------------------------------------------------------- tools
need() { command -v "$1" >/dev/null || die "$1 is needed: $2"; }
need cargo "install Rust with rustup (https://rustup.rs)"
need curl "apt-get install curl"
[ "${BASH_VERSINFO[0]}" -ge 5 ] || die "bash >= 5 is needed, this is $BASH_VERSION"
APACHE=""
if [ $DO_INBOX = 1 ]; then
    need wrk "apt-get install wrk"
    for a in /usr/sbin/apache2 /usr/sbin/httpd; do [ -x "$a" ] && APACHE=$a && break; done
    [ -n "$APACHE" ] || die "Apache is needed: apt-get install apache2"
    APACHE_MODULES=/usr/lib/apache2/modules
    for m in mpm_prefork authz_core authz_host mime dir alias rewrite headers cgi env setenvif; do
        [ -f "$APACHE_MODULES/mod_$m.so" ] || die "Apache module mod_$m is missing from $APACHE_MODULES: apt-get install apache2"
    done
    [ -x /usr/bin/php-cgi ] || die "php-cgi is needed for the PHP baseline: apt-get install php-cgi"
    if [ "$(id -u)" = 0 ]; then
        id www-data >/dev/null 2>&1 || die "running as root, Apache's children run as www-data, which does not exist"
    fi
fi
MUSL_TARGET=x86_64-unknown-linux-musl
has_rust_musl() {
    command -v rustc >/dev/null &&
        [ -d "$(rustc --print target-libdir --target $MUSL_TARGET 2>/dev/null)" ]
}
if [ $DO_MUSL = 1 ]; then
    has_rust_musl || die "--musl needs the musl target: rustup target add $MUSL_TARGET (and apt-get install musl-tools)"
fi

# File descriptors: the fan-out holds a listener per host.
if [ $DO_FANOUT = 1 ] && [ "$(ulimit -n)" != unlimited ] && [ "$(ulimit -n)" -lt $((HOSTS + 1024)) ]; then
    ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
    [ "$(ulimit -n)" = unlimited ] || [ "$(ulimit -n)" -ge $((HOSTS + 1024)) ] ||
        die "the fan-out needs $((HOSTS + 1024)) open files, the limit is $(ulimit -n) (hard $(ulimit -Hn)): raise it or pass fewer --hosts"
fi

# ---------------------------------------------------------------- builds
if [ -n "${AFFICHE_BIN:-}" ]; then
    BIN=$AFFICHE_BIN
else
    BIN=$ROOT/target/release/affiche
    if [ $DO_BUILD = 1 ] || [ ! -x "$BIN" ]; then
        say "building: cargo build --release"
        cargo build --release --quiet || die "cargo build --release failed"
    fi
fi
[ -x "$BIN" ] || die "affiche binary not found or not executable: $BIN"
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
AFFICHE_VERSION=$("$BIN" --version 2>/dev/null | head -1 || true)
AFFICHE_VERSION=${AFFICHE_VERSION:-affiche (version unknown)}
MUSL_BIN=""
if [ $DO_MUSL = 1 ]; then
    MUSL_BIN=$ROOT/target/$MUSL_TARGET/release/affiche
    if [ $DO_BUILD = 1 ] || [ ! -x "$MUSL_BIN" ]; then
        say "building: cargo build --release --target $MUSL_TARGET"
        cargo build --release --quiet --target $MUSL_TARGET || die "cargo build --release --target $MUSL_TARGET failed"
    fi
fi

# The helper: its own workspace, its own target dir (never the root's lock).
FEDBENCH_DIR=$ROOT/benches/fedbench
FEDBENCH=$ROOT/target/fedbench/release/fedbench
say "building: benches/fedbench (cargo build --release)"
cargo build --release --quiet --manifest-path "$FEDBENCH_DIR/Cargo.toml" --target-dir "$ROOT/target/fedbench" ||
    die "building benches/fedbench failed"
[ -x "$FEDBENCH" ] || die "benches/fedbench built no $FEDBENCH"

# ---------------------------------------------------------------- temp dir
TMP_PARENT=${BENCH_TMP:-${TMPDIR:-/tmp}}
WORK=$(mktemp -d "$TMP_PARENT/affiche-fedbench.XXXXXX") || die "cannot create a temp dir in $TMP_PARENT"
APACHE_PID="" FAKE_SENDER_PID=""
cleanup() {
    local status=$?
    if [ -n "${FAKE_SENDER_PID:-}" ]; then kill "$FAKE_SENDER_PID" 2>/dev/null || true; fi
    stop_apache
    if [ $KEEP = 1 ]; then say "kept: $WORK"; else rm -rf "$WORK"; fi
    exit $status
}
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
trap cleanup EXIT
trap 'exit 130' INT TERM
chmod 755 "$WORK"
STORAGE=$(df -PT "$WORK" | awk 'NR==2 {print $2}')
say "work dir: $WORK ($STORAGE)"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
if awk -v l="${LOAD_START%% *}" -v n="$(nproc)" 'BEGIN { exit !(l > n / 2) }'; then
    warn "the machine is busy (load average $LOAD_START on $(nproc) cores): figures will be low and noisy"
fi

# ---------------------------------------------------------------- helpers
fmt() { awk -v v="$1" 'BEGIN { if (v >= 100) printf "%.0f", v; else if (v >= 10) printf "%.1f", v; else printf "%.2f", v }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "n/a" }'; }
thousands() { echo "$1" | sed -e ':a' -e 's/\([0-9]\)\([0-9]\{3\}\)\($\|,\)/\1,\2\3/' -e 'ta'; }
# field KEY TEXT: the value of KEY=value in TEXT (space or newline separated).
field() { printf '%s\n' "$2" | tr ' ' '\n' | sed -n "s/^$1=//p" | head -1; }

# new_site DIR: an affiche site allowed to talk to loopback servers.
new_site() {
    local dir=$1 log="$WORK/init-$(basename "$1").log"
    "$BIN" init "$dir" --title "Federation bench" --base-url https://example.org >"$log" 2>&1 ||
        { tail -n 20 "$log" >&2; die "affiche init $dir failed"; }
    grep -q '^allow_private_addresses_for_testing = false$' "$dir/affiche.toml" ||
        die "$dir/affiche.toml has no 'allow_private_addresses_for_testing = false' line to switch on"
    sed -i 's/^allow_private_addresses_for_testing = false$/allow_private_addresses_for_testing = true/' "$dir/affiche.toml"
}

FAILURES=()

# ================================================================ part 1: inbox
declare -A RPS=() P50=() P99=() NOTE=() RANGE=()
if [ $DO_INBOX = 1 ]; then
    say ""
    say "== inbox under Apache (wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s after ${WARMUP}s of warm-up)"
    SITE=$WORK/site
    new_site "$SITE"
    DOCROOT=$SITE/public_html
    install -m 755 "$BIN" "$DOCROOT/affiche.cgi"
    install -m 644 "$ROOT/install/htaccess" "$DOCROOT/.htaccess"
    if [ -n "${BENCH_HTACCESS:-}" ]; then
        { printf '%b\n' "$BENCH_HTACCESS"; cat "$ROOT/install/htaccess"; } >"$DOCROOT/.htaccess"
    fi

    # The trivial CGI: consumes its body, answers "ok". Static, like the release.
    cat >"$WORK/hello.rs" <<'EOF'
use std::io::{Read, Write};
fn main() {
    let mut body = Vec::new();
    let _ = std::io::stdin().read_to_end(&mut body);
    let _ = std::io::stdout().write_all(b"Content-Type: text/plain\r\n\r\nok\n");
}
EOF
    cat >"$WORK/hello.c" <<'EOF'
#include <stdio.h>
int main(void) {
    char buf[8192];
    while (fread(buf, 1, sizeof buf, stdin) > 0) {}
    fputs("Content-Type: text/plain\r\n\r\nok\n", stdout);
    return 0;
}
EOF
    if has_rust_musl && rustc --edition 2021 -C opt-level=3 -C panic=abort --target $MUSL_TARGET \
            -o "$DOCROOT/hello.cgi" "$WORK/hello.rs" 2>"$WORK/hello.log"; then
        TRIVIAL_KIND="Rust, static musl"
    elif command -v musl-gcc >/dev/null && musl-gcc -static -O2 -o "$DOCROOT/hello.cgi" "$WORK/hello.c" 2>"$WORK/hello.log"; then
        TRIVIAL_KIND="C, static musl"
    elif command -v cc >/dev/null && cc -static -O2 -o "$DOCROOT/hello.cgi" "$WORK/hello.c" 2>"$WORK/hello.log"; then
        TRIVIAL_KIND="C, static glibc"
    else
        cat "$WORK/hello.log" >&2 || true
        die "cannot build the trivial static CGI: rustup target add $MUSL_TARGET, or apt-get install musl-tools"
    fi
    chmod 755 "$DOCROOT/hello.cgi"
    printf '#!/usr/bin/php-cgi -dcgi.force_redirect=0\n<?php echo "ok\\n";\n' >"$DOCROOT/hello-php.cgi"
    chmod 755 "$DOCROOT/hello-php.cgi"

    # Apache's children run as www-data when started as root: give them the site.
    dir=$SITE
    while [ "$dir" != / ]; do chmod o+x "$dir" 2>/dev/null || true; dir=$(dirname "$dir"); done
    if [ "$(id -u)" = 0 ]; then chown -R www-data:www-data "$SITE"; fi

    start_apache() {
        local attempt port conf root=$WORK/apache
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
                # Enough children for every connection from the start: the
                # measure is CGI, not prefork's spawn rate.
                echo "StartServers $((CONNECTIONS + 2))"
                echo "MinSpareServers $((CONNECTIONS + 2))"
                # A closed connection keeps its child a moment (lingering
                # close): room for those too, or requests wait in the backlog.
                echo "MaxSpareServers $((2 * CONNECTIONS + 4))"
                echo "MaxRequestWorkers $((4 * CONNECTIONS + 16))"
                echo "KeepAlive On"
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
            local i
            for ((i = 0; i < 150; i++)); do
                if ! kill -0 "$APACHE_PID" 2>/dev/null; then break; fi
                if curl -s -o /dev/null "http://127.0.0.1:$port/health"; then
                    SITE_ADDR=127.0.0.1:$port
                    APACHE_LOG=$root/error.log
                    return 0
                fi
                sleep 0.1
            done
            stop_apache
        done
        cat "$root/stdout.log" "$root/error.log" 2>/dev/null | tail -n 20 >&2
        die "Apache did not start (5 attempts)"
    }
    start_apache
    say "Apache (prefork + mod_cgi) on $SITE_ADDR"
    apache_log_tail() { tail -n 15 "$APACHE_LOG" 2>/dev/null >&2 || true; }

    # Everything answers before anything is measured.
    health=$(curl -s "http://$SITE_ADDR/health") || true
    [[ $health == affiche* ]] || { apache_log_tail; die "GET /health answered '$health', not the affiche version"; }
    "$FEDBENCH" sample --site "$SITE_ADDR" --out "$WORK/sample.req" --body-out "$WORK/sample.json" ||
        die "fedbench sample failed"
    post_sample() { # PATH: POSTs the sample body to PATH; prints "status body".
        curl -s -o "$WORK/answer" -w '%{http_code}' -H 'Content-Type: application/activity+json' \
            --data-binary "@$WORK/sample.json" "http://$SITE_ADDR$1" || true
        printf ' %s' "$(head -c 200 "$WORK/answer" | tr -d '\r\n')"
    }
    for path in /hello.cgi /hello-php.cgi; do
        got=$(post_sample "$path")
        [[ $got == "200 ok" ]] || { apache_log_tail; die "POST $path answered '$got', not '200 ok'"; }
    done

    # ---- the fake sender (a coprocess: commands on its stdin, answers on its stdout)
    sender_start() {
        local line
        coproc SENDER { exec "$FEDBENCH" sender --site "$SITE_ADDR" 2>"$WORK/sender.log"; }
        # Own copies of its pipes and pid: bash drops its own when it exits.
        FAKE_SENDER_PID=$!
        exec {SENDER_OUT}<&"${SENDER[0]}" {SENDER_IN}>&"${SENDER[1]}"
        if ! read -r -t 60 line <&"$SENDER_OUT" || [[ $line != ready* ]]; then
            cat "$WORK/sender.log" >&2
            apache_log_tail
            die "the fake sender did not get ready"
        fi
        SENDER_READY=$line
        say "  fake sender $(field actor "$line"): first activity $(field first_ms "$line") ms (the site fetches its actor), second $(field cached_ms "$line") ms (key cached; one request each, on a new connection: noisy); body $(field body_bytes "$line") bytes"
    }
    # sender_sign COUNT FILE: COUNT more distinct signed requests into FILE.
    sender_sign() {
        local line
        echo "sign $1 $2" >&"$SENDER_IN"
        if ! read -r -t 900 line <&"$SENDER_OUT" || [[ $line != signed* ]]; then
            cat "$WORK/sender.log" >&2
            die "the fake sender could not sign $1 requests"
        fi
        SIGN_SECONDS=$(awk -v a="${SIGN_SECONDS:-0}" -v b="$(field seconds "$line")" 'BEGIN { print a + b }')
    }
    sender_stop() { # prints how many times the site fetched the actor
        local line=""
        echo stop >&"$SENDER_IN"
        read -r -t 30 line <&"$SENDER_OUT" || true
        exec {SENDER_OUT}<&- {SENDER_IN}>&-
        wait "$FAKE_SENDER_PID" 2>/dev/null || true
        FAKE_SENDER_PID=""
        field actor_fetches "$line"
    }

    # wrk_once NAME SECONDS FILE [PATH]: one wrk run; sets RESULT to its WRK_RESULT line.
    wrk_once() {
        local name=$1 seconds=$2 file=$3 path=${4:--} out conn=close t=$THREADS c=$CONNECTIONS
        [ $KEEPALIVE = 0 ] || conn=keep-alive
        # The -c1 cases: one request at a time, as a small site mostly gets them.
        if [[ $name == *-c1 ]]; then t=1 c=1; fi
        out=$(wrk -t"$t" -c"$c" -d"${seconds}s" \
            -s "$FEDBENCH_DIR/replay.lua" "http://$SITE_ADDR/" -- "$file" "$t" "$path" "$conn" 2>&1) ||
            { printf '%s\n' "$out" >&2; die "wrk failed ($name)"; }
        printf '%s\n' "$out" >>"$WORK/wrk-$name.log"
        RESULT=$(printf '%s\n' "$out" | grep '^WRK_RESULT ') ||
            { printf '%s\n' "$out" >&2; die "wrk printed no result ($name)"; }
    }

    CASES=(trivial php affiche)
    [ $DO_MUSL = 0 ] || CASES+=(affiche-musl)
    CASES+=(trivial-c1 affiche-c1)
    declare -A PATH_OF=([trivial]=/hello.cgi [trivial-c1]=/hello.cgi [php]=/hello-php.cgi)
    declare -A BIN_OF=([affiche]=$BIN [affiche-c1]=$BIN [affiche-musl]=$MUSL_BIN)
    declare -A RATE=() RUNS_OF=() ERRORS=() WRAPPED=() WAL_MAX=()
    INSTALLED=$BIN
    use_binary() {
        [ "$1" != "$INSTALLED" ] || return 0
        install -m 755 "$1" "$DOCROOT/affiche.cgi"
        if [ "$(id -u)" = 0 ]; then chown www-data:www-data "$DOCROOT/affiche.cgi"; fi
        INSTALLED=$1
    }
    # measure NAME SECONDS: one run of a case; affiche cases get fresh
    # requests, enough for 1.5 times the best rate seen (the trivial CGI's
    # at first: affiche cannot beat it).
    n_file=0
    measure() {
        local name=$1 seconds=$2 file path="" rate count base
        if [ -n "${PATH_OF[$name]:-}" ]; then
            file=$WORK/sample.req path=${PATH_OF[$name]}
        else
            use_binary "${BIN_OF[$name]}"
            base=trivial; [[ $name != *-c1 ]] || base=trivial-c1
            rate=${RATE[$name]:-${RATE[$base]:-1500}}
            count=$(awk -v r="$rate" -v d="$seconds" 'BEGIN { printf "%d", r * d * 1.5 + 200 }')
            n_file=$((n_file + 1))
            file=$WORK/requests-$n_file.req
            sender_sign "$count" "$file"
        fi
        wrk_once "$name" "$seconds" "$file" "$path"
        rm -f "$WORK/requests-$n_file.req"
        if [ -z "$path" ]; then
            # The database's write-ahead log: what every new process may have to read.
            local wal
            wal=$(stat -c %s "$SITE/affiche.sqlite-wal" 2>/dev/null || echo 0)
            [ "$wal" -le "${WAL_MAX[$name]:-0}" ] || WAL_MAX[$name]=$wal
        fi
        local rps
        rps=$(field rps "$RESULT")
        RATE[$name]=$(awk -v a="${RATE[$name]:-0}" -v b="$rps" 'BEGIN { print (a > b) ? a : b }')
        if [ "$(field non2xx "$RESULT")" != 0 ] || [ "$(field socket_errors "$RESULT")" != 0 ]; then
            ERRORS[$name]=$(( ${ERRORS[$name]:-0} + $(field non2xx "$RESULT") + $(field socket_errors "$RESULT") ))
            warn "$name: $(field non2xx "$RESULT") non-2xx answers and $(field socket_errors "$RESULT") socket errors"
            apache_log_tail
        fi
        if [ -z "$path" ] && [ "$(field wrapped "$RESULT")" != 0 ]; then
            WRAPPED[$name]=1
            warn "$name: wrk ran out of distinct requests and replayed some (duplicates)"
        fi
    }

    sender_start
    if [ "$WARMUP" -gt 0 ]; then
        say "  warm-up: ${WARMUP}s each"
        for name in "${CASES[@]}"; do measure "$name" "$WARMUP"; done
    fi
    for ((round = 1; round <= RUNS; round++)); do
        say "  round $round of $RUNS"
        for name in "${CASES[@]}"; do
            measure "$name" "$DURATION"
            RUNS_OF[$name]+="$(field rps "$RESULT") $(field p50_ms "$RESULT") $(field p99_ms "$RESULT")"$'\n'
            say "    $name: $(fmt "$(field rps "$RESULT")") req/s, p50 $(fmt "$(field p50_ms "$RESULT")") ms, p99 $(fmt "$(field p99_ms "$RESULT")") ms"
        done
    done
    fetches=$(sender_stop)
    say "  the site fetched the sender's actor ${fetches:-?} time(s) in all; signing took $(fmt "$SIGN_SECONDS") s in all"
    # The run with the median rate gives the row (its own p50 and p99).
    for name in "${CASES[@]}"; do
        read -r RPS[$name] P50[$name] P99[$name] < <(printf '%s' "${RUNS_OF[$name]}" | sort -g | awk '{ r[NR] = $0 } END { print r[int((NR + 1) / 2)] }')
        RANGE[$name]=$(printf '%s' "${RUNS_OF[$name]}" | sort -g | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.0f–%.0f", lo, hi }')
        NOTE[$name]=""
        if [ -n "${ERRORS[$name]:-}" ]; then
            NOTE[$name]="${ERRORS[$name]} errors or non-2xx"
            FAILURES+=("$name: ${ERRORS[$name]} non-2xx answers or socket errors (Apache's error log: $APACHE_LOG)")
        fi
        [ -z "${WRAPPED[$name]:-}" ] || NOTE[$name]="${NOTE[$name]:+${NOTE[$name]}; }some requests replayed"
        [ -z "${WAL_MAX[$name]:-}" ] ||
            NOTE[$name]="${NOTE[$name]:+${NOTE[$name]}; }WAL up to $(awk -v b="${WAL_MAX[$name]}" 'BEGIN { printf "%.1f", b / 1048576 }') MB after a run"
    done
    if [ "$fetches" != 1 ]; then
        FAILURES+=("the site fetched the sender's actor ${fetches:-?} times, not once: its key cache does not work")
        NOTE[affiche]="${NOTE[affiche]:+${NOTE[affiche]}; }actor fetched ${fetches:-?} times"
    fi
    stored=""
    if command -v sqlite3 >/dev/null; then
        stored=$(sqlite3 "file:$SITE/affiche.sqlite?mode=ro" "SELECT count(*) || ' stored, ' || sum(state = 'ignored') || ' ignored, ' || sum(state = 'new') || ' unprocessed' FROM inbox" 2>/dev/null || true)
        [ -z "$stored" ] || say "  the site's inbox table after the runs: $stored"
    fi
    stop_apache
    if grep -v 'AH00558\|resuming normal operations\|caught SIGTERM\|AH00163\|AH00169\|AH00094\|AH00489' "$APACHE_LOG" | grep -q .; then
        warn "Apache's error log has entries (first lines below)"
        grep -v 'AH00558\|resuming normal operations\|caught SIGTERM\|AH00163\|AH00169\|AH00094\|AH00489' "$APACHE_LOG" | head -n 10 >&2
    fi
fi

# ================================================================ part 2: fan-out
FANOUT_ROWS=()
declare -A FO=()
if [ $DO_FANOUT = 1 ]; then
    say ""
    say "== fan-out: one activity to $(thousands "$FOLLOWERS") followers on $(thousands "$HOSTS") hosts (affiche queue run --budget 120)"
    # fanout NAME LABEL ARGS...: one scenario on a fresh site.
    fanout() {
        local name=$1 label=$2 out status=0
        shift 2
        new_site "$WORK/fanout-$name"
        out=$("$FEDBENCH" fanout --bin "$BIN" --config "$WORK/fanout-$name/affiche.toml" \
            --hosts "$HOSTS" --followers "$FOLLOWERS" --budget 120 "$@" 2>"$WORK/fanout-$name.log") || status=$?
        printf '%s\n' "$out" >"$WORK/fanout-$name.out"
        [ $status -le 2 ] && [ -n "$(field total_s "$out")" ] ||
            { cat "$WORK/fanout-$name.log" >&2; die "fedbench fanout failed ($name)"; }
        FO[$name.label]=$label
        for k in inboxes total_s deliveries_per_s posts_received hosts_reached followers_covered \
                missed repeated bad_signatures first_delivery_ms last_delivery_ms; do
            FO[$name.$k]=$(field "$k" "$out")
        done
        FO[$name.queue]="done $(field queue_done "$out"), pending $(field queue_pending "$out"), dropped $(field queue_dropped "$out")"
        if [ $status = 2 ]; then
            FO[$name.check]="FAILED: $(sed -n 's/^FAIL: //p' "$WORK/fanout-$name.log" | head -1)"
            FAILURES+=("fan-out $name: $(sed -n 's/^FAIL: //p' "$WORK/fanout-$name.log" | paste -sd ';' -)")
            sed -n 's/^FAIL: /  FAILED: /p' "$WORK/fanout-$name.log" >&2
        else
            FO[$name.check]="ok"
        fi
        FANOUT_ROWS+=("$name")
        say "  $label: $(fmt "${FO[$name.total_s]}") s for $(thousands "${FO[$name.inboxes]}") inboxes, $(fmt "${FO[$name.deliveries_per_s]}") deliveries/s; ${FO[$name.queue]}; check: ${FO[$name.check]}"
    }
    fanout shared "shared inboxes, loopback" --inboxes shared
    if [ $QUICK = 0 ]; then
        fanout personal "personal inboxes only, loopback" --inboxes personal
        if [ "$LATENCY_MS" -gt 0 ]; then
            fanout latency "shared inboxes, each answers in $LATENCY_MS ms" --inboxes shared --delay-ms "$LATENCY_MS"
            if [ "$SLOW_HOSTS" -gt 0 ]; then
                fanout slow "shared, $LATENCY_MS ms, $SLOW_HOSTS hosts answer in $(fmt "$(awk -v m="$SLOW_MS" 'BEGIN { print m / 1000 }')") s" \
                    --inboxes shared --delay-ms "$LATENCY_MS" --slow-hosts "$SLOW_HOSTS" --slow-ms "$SLOW_MS"
            fi
        fi
    fi
fi

# ================================================================ report
CPU=$(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo 2>/dev/null || true)
{
    echo "Measured $(date -u +%Y-%m-%d) on $(nproc) cores${CPU:+ ($CPU)}, loopback, temp files on $STORAGE;"
    echo "load average before the runs: $LOAD_START (other work on the machine skews every figure)."
    echo "Affiche: \`$AFFICHE_VERSION\`, $(basename "$BIN") from \`cargo build --release\`${AFFICHE_BIN:+ (AFFICHE_BIN=$AFFICHE_BIN)}."
    if [ $DO_INBOX = 1 ]; then
        if [ $KEEPALIVE = 1 ]; then conn="connections kept alive"; else conn="a new connection per request (\`Connection: close\`)"; fi
        echo "Apache $("$APACHE" -v 2>/dev/null | sed -n 's/^Server version: Apache\/\([^ ]*\).*/\1/p'), prefork + mod_cgi, the shipped .htaccess${BENCH_HTACCESS:+ after BENCH_HTACCESS lines}; $conn;"
        echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s, $RUNS interleaved runs per program after ${WARMUP}s of warm-up;"
        echo "every request is a POST with the same headers and ~1 KB body (the baselines answer on their own"
        echo "path). Affiche's requests are distinct signed activities of a type nobody handles (\`Dance\`,"
        echo "unique ids: verified, stored, ignored) from a sender whose key the site has cached"
        echo "(it fetched the sender's actor ${fetches:-?} time(s) in all, for the first activity)${stored:+; inbox table of the site after the runs: $stored}."
        echo
        echo "| inbox under Apache (run with the median rate) | req/s | range of $RUNS runs | p50 | p99 | note |"
        echo "| --- | ---: | ---: | ---: | ---: | --- |"
        for name in "${CASES[@]}"; do
            case $name in
                trivial) label="trivial CGI \"ok\" ($TRIVIAL_KIND)" ;;
                php) label="php-cgi hello world" ;;
                affiche) label="affiche.cgi, signed POST /inbox" ;;
                affiche-musl) label="affiche.cgi, signed POST /inbox (static musl build)" ;;
                trivial-c1) label="trivial CGI, one connection (wrk -t1 -c1)" ;;
                affiche-c1) label="affiche.cgi, signed POST /inbox, one connection (wrk -t1 -c1)" ;;
            esac
            echo "| $label | $(fmt "${RPS[$name]}") | ${RANGE[$name]} | $(fmt "${P50[$name]}") ms | $(fmt "${P99[$name]}") ms | ${NOTE[$name]} |"
        done
        for name in "${CASES[@]}"; do
            case $name in affiche) suffix="" ;; affiche-musl) suffix=" (musl)" ;; *) continue ;; esac
            echo "| ratio affiche$suffix / trivial (goal ≥ 0.8) | $(ratio "${RPS[$name]}" "${RPS[trivial]}") | | | | |"
            echo "| ratio affiche$suffix / php-cgi (goal ≥ 10) | $(ratio "${RPS[$name]}" "${RPS[php]}") | | | | |"
        done
        for name in "${CASES[@]}"; do
            [ "$name" = affiche-c1 ] || continue
            echo "| ratio affiche / trivial, one connection | $(ratio "${RPS[affiche-c1]}" "${RPS[trivial-c1]}") | | | | |"
        done
    fi
    if [ $DO_FANOUT = 1 ]; then
        echo
        echo "Fan-out: $(thousands "$FOLLOWERS") followers on $(thousands "$HOSTS") loopback hosts, one Create enqueued, then"
        echo "\`affiche queue run --budget 120\` timed from start to exit (the worker signs each POST; 32 sending threads, at most 4 in flight per host)."
        echo "Every fake inbox verifies every signature; \"check\" says each inbox got the activity exactly once."
        echo
        echo "| fan-out | inboxes | total | deliveries/s | first / last delivery | check |"
        echo "| --- | ---: | ---: | ---: | ---: | --- |"
        for name in "${FANOUT_ROWS[@]}"; do
            goal=""; [ "$name" = shared ] && goal=" (goal ≤ 30 s)"
            echo "| ${FO[$name.label]}$goal | $(thousands "${FO[$name.inboxes]}") | $(fmt "${FO[$name.total_s]}") s | $(fmt "${FO[$name.deliveries_per_s]}") | $(fmt "${FO[$name.first_delivery_ms]}") ms / $(fmt "$(awk -v v="${FO[$name.last_delivery_ms]}" 'BEGIN { print v / 1000 }')") s | ${FO[$name.check]}: $(thousands "${FO[$name.posts_received]}") POSTs, $(thousands "${FO[$name.followers_covered]}") followers covered, ${FO[$name.bad_signatures]} bad signatures |"
        done
    fi
    if [ ${#FAILURES[@]} -gt 0 ]; then
        echo
        echo "Problems:"
        for f in "${FAILURES[@]}"; do echo "- $f"; done
    fi
} >"$WORK/report.md"

mkdir -p "$ROOT/benches/out"
REPORT="$ROOT/benches/out/federation-$(date -u +%Y%m%d-%H%M%S).md"
cp "$WORK/report.md" "$REPORT"
say ""
say "report saved to ${REPORT#"$ROOT"/}"
echo
cat "$WORK/report.md"
[ ${#FAILURES[@]} -eq 0 ] || exit 2
