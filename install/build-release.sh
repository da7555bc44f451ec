#!/usr/bin/env bash
# Build the Affiche release for shared hosts and pack it.
#
#   install/build-release.sh
#
# Builds a fully static binary for x86_64-unknown-linux-musl (adds the rustup
# target; needs Debian's musl-tools, installed with apt-get when run as root),
# checks it is static and not too big, and writes
#
#   dist/affiche-<version>-x86_64-linux.zip
#     affiche.cgi            the binary, mode 755
#     .htaccess              from install/htaccess
#     public/                the repo's public/, goes to the docroot's assets/
#     affiche.example.toml   what `affiche init` writes, paths made generic
#     INSTALL.txt            from install/INSTALL.txt
#
# If musl cannot be had, it falls back to glibc with +crt-static, says so
# loudly, and names the zip ...-x86_64-linux-glibc-FALLBACK.zip: such a
# binary loads the host's NSS modules for name resolution and breaks when
# the host's glibc differs (see shared/HOSTING.md). Do not publish it.
#
# Environment: SOURCE_DATE_EPOCH (timestamps inside the zip; default: the
# last commit's time, else now). MAX_SIZE_MB (default 12).
set -euo pipefail
export LC_ALL=C

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

die() { printf 'build-release.sh: error: %s\n' "$*" >&2; exit 1; }
warn() { printf 'build-release.sh: WARNING: %s\n' "$*" >&2; }
say() { printf '%s\n' "$*"; }
banner() {
    printf '\n%s\n' "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
    printf '!!! %s\n' "$@" >&2
    printf '%s\n\n' "!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!" >&2
}

case "${1:-}" in
    "") ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown argument '$1' (see --help)" ;;
esac

# 8 MiB when the program was articles and federation only; the image
# decoders (covers), message catalogs, TOML editing (settings), zip
# (export) and iCalendar brought it to 10.1 MiB (opt-level "z": 9.6 MiB,
# not worth its speed). A shared host takes 12 MiB by FTP without thinking.
MAX_SIZE_MB=${MAX_SIZE_MB:-12}
MUSL=x86_64-unknown-linux-musl
GNU=x86_64-unknown-linux-gnu

# ---------------------------------------------------------------- tools
command -v cargo >/dev/null || die "cargo not found: install Rust with rustup (https://rustup.rs)"
command -v file >/dev/null || die "'file' not found: apt-get install file"
command -v zip >/dev/null || die "'zip' not found: apt-get install zip"
[ -f Cargo.toml ] || die "no Cargo.toml in $ROOT"
[ "$(uname -m)" = x86_64 ] || warn "this machine is $(uname -m), not x86_64: the built binary cannot be run here to write affiche.example.toml"

VERSION=$(awk '
    /^\[/ { in_pkg = ($0 == "[package]") }
    in_pkg && /^version[ \t]*=/ { gsub(/^version[ \t]*=[ \t]*"|".*$/, ""); print; exit }
' Cargo.toml)
[ -n "$VERSION" ] || die "cannot read the package version from Cargo.toml"

AS_ROOT=0
[ "$(id -u)" = 0 ] && AS_ROOT=1

# musl_ready: the musl target and musl-gcc are there, or can be made so.
musl_problem=""
musl_ready() {
    if command -v rustup >/dev/null; then
        if ! rustup target list --installed 2>/dev/null | grep -qx "$MUSL"; then
            say "adding the Rust target: rustup target add $MUSL"
            rustup target add "$MUSL" ||
                { musl_problem="'rustup target add $MUSL' failed"; return 1; }
        fi
    elif [ ! -d "$(rustc --print sysroot)/lib/rustlib/$MUSL" ]; then
        musl_problem="rustup is not installed and the Rust standard library for $MUSL is missing"
        return 1
    fi
    if ! command -v musl-gcc >/dev/null; then
        if [ $AS_ROOT = 1 ] && command -v apt-get >/dev/null; then
            say "installing musl-tools (musl-gcc, for the C parts: SQLite): apt-get install musl-tools"
            if ! DEBIAN_FRONTEND=noninteractive apt-get install -y -q musl-tools; then
                apt-get update -q && DEBIAN_FRONTEND=noninteractive apt-get install -y -q musl-tools ||
                    { musl_problem="apt-get install musl-tools failed"; return 1; }
            fi
        else
            musl_problem="musl-gcc is missing: run 'sudo apt-get install musl-tools' (Debian/Ubuntu) and try again"
            return 1
        fi
    fi
    command -v musl-gcc >/dev/null || { musl_problem="musl-gcc still not found after installing musl-tools"; return 1; }
}

# ---------------------------------------------------------------- build
FALLBACK=0
if musl_ready; then
    TARGET=$MUSL
    say "building affiche $VERSION for $TARGET (release profile: LTO, strip)"
    cargo build --release --locked --target "$TARGET" ||
        die "cargo build --release --target $TARGET failed (if Cargo.lock is out of date, run 'cargo update -w' or a plain 'cargo build' and commit the lock file)"
else
    FALLBACK=1
    TARGET=$GNU
    banner "musl is unavailable: $musl_problem" \
        "FALLING BACK to glibc with RUSTFLAGS='-C target-feature=+crt-static'." \
        "That binary dlopen()s the host's NSS modules to resolve names, which" \
        "only works when the host's glibc matches this one (shared/HOSTING.md)." \
        "DO NOT PUBLISH IT. Fix the musl set-up and build again."
    RUSTFLAGS="${RUSTFLAGS:+$RUSTFLAGS }-C target-feature=+crt-static" \
        cargo build --release --locked --target "$TARGET" ||
        die "cargo build --release --target $TARGET (+crt-static) failed"
fi
BIN="target/$TARGET/release/affiche"
[ -x "$BIN" ] || die "the build did not produce $BIN"

# ---------------------------------------------------------------- checks
FILE_OUT=$(file -b "$BIN")
case "$FILE_OUT" in
    *"static-pie linked"*|*"statically linked"*) ;;
    *) die "$BIN is not statically linked; file says: $FILE_OUT" ;;
esac
SIZE=$(stat -c %s "$BIN")
SIZE_MB=$(awk -v s="$SIZE" 'BEGIN { printf "%.2f", s / 1048576 }')
if [ "$SIZE" -gt $((MAX_SIZE_MB * 1024 * 1024)) ]; then
    banner "$BIN is $SIZE_MB MiB, over the $MAX_SIZE_MB MiB budget." \
        "Check the release profile (opt-level, lto, strip, codegen-units, panic) and new dependencies."
fi

# ---------------------------------------------------------------- stage
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/affiche-release.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
PKG="$STAGE/pkg"
mkdir -p "$PKG"

install -m 755 "$BIN" "$PKG/affiche.cgi"

if [ -d public ]; then
    cp -R public "$PKG/public"
else
    warn "no public/ folder in the repo: the zip has an empty public/"
    mkdir "$PKG/public"
fi

if [ -f install/htaccess ]; then
    install -m 644 install/htaccess "$PKG/.htaccess"
else
    warn "install/htaccess does not exist yet: the zip has NO .htaccess (the site will not work without it)"
fi

[ -f install/INSTALL.txt ] || die "install/INSTALL.txt is missing"
install -m 644 install/INSTALL.txt "$PKG/INSTALL.txt"

# affiche.example.toml: what `affiche init` writes, with the temp paths made
# generic for the layout INSTALL.txt describes (~/affiche and ~/public_html).
example_toml() {
    local dir="$STAGE/init/affiche" log="$STAGE/init.log" out="$PKG/affiche.example.toml"
    mkdir -p "$STAGE/init"
    if ! timeout 120 "$PKG/affiche.cgi" init "$dir" --title "My Affiche site" \
            --base-url "https://example.org" </dev/null >"$log" 2>&1; then
        warn "'affiche init' failed, no affiche.example.toml in the zip:"
        sed 's/^/    /' "$log" >&2
        return 0
    fi
    if [ ! -f "$dir/affiche.toml" ]; then
        warn "'affiche init' wrote no affiche.toml, no affiche.example.toml in the zip"
        return 0
    fi
    {
        echo "# Example configuration, as written by 'affiche.cgi init', except that"
        echo "# docroot points from ~/affiche/ (where this file goes, as affiche.toml)"
        echo "# to ~/public_html/: the layout of INSTALL.txt."
        echo
        sed -e "s#$dir/public_html#/home/USER/public_html#g" -e "s#$dir#/home/USER/affiche#g" \
            -e 's#^docroot = "public_html"#docroot = "../public_html"#' "$dir/affiche.toml"
    } >"$out"
    grep -q '^docroot = "../public_html"' "$out" ||
        warn "affiche.example.toml: no 'docroot = \"public_html\"' line to point at ../public_html; check the example"
    if grep -q "$STAGE" "$out"; then
        warn "affiche.example.toml still names the temp dir $STAGE; check it:"
        grep -n "$STAGE" "$out" | sed 's/^/    /' >&2
    fi
    # An example shipped to everyone must not carry a secret made at init.
    if grep -Eiq '^[[:space:]]*[a-z_]*(secret|password|private|token)[a-z_]*[[:space:]]*=[[:space:]]*"[^"]+' "$out"; then
        warn "affiche.example.toml has a non-empty secret-looking key; left OUT of the zip:"
        grep -Ein '^[[:space:]]*[a-z_]*(secret|password|private|token)' "$out" | sed 's/^/    /' >&2
        rm -f "$out"
    fi
}
example_toml

# The staged names must be those of install/release-files.txt, which the
# test of a fresh upload (tests/it/setup.rs) uploads: a name missing from
# the list fails the build, a listed one missing here was warned about above.
[ -f install/release-files.txt ] || die "install/release-files.txt is missing"
LISTED=$(sed -e '/^#/d' -e '/^[[:space:]]*$/d' -e 's#/$##' install/release-files.txt | sort)
STAGED=$(cd "$PKG" && ls -A | sort)
UNLISTED=$(comm -13 <(printf '%s\n' "$LISTED") <(printf '%s\n' "$STAGED"))
[ -z "$UNLISTED" ] ||
    die "the zip would hold $(echo $UNLISTED) not listed in install/release-files.txt: add it there (and teach tests/it/setup.rs to upload it)"
MISSING=$(comm -23 <(printf '%s\n' "$LISTED") <(printf '%s\n' "$STAGED"))
[ -z "$MISSING" ] || warn "the zip lacks $(echo $MISSING), listed in install/release-files.txt"

# ---------------------------------------------------------------- zip
if [ -z "${SOURCE_DATE_EPOCH:-}" ]; then
    SOURCE_DATE_EPOCH=$(git log -1 --format=%ct 2>/dev/null || date +%s)
fi
find "$PKG" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

mkdir -p dist
ZIP_NAME="affiche-$VERSION-x86_64-linux.zip"
[ $FALLBACK = 0 ] || ZIP_NAME="affiche-$VERSION-x86_64-linux-glibc-FALLBACK.zip"
ZIP="$ROOT/dist/$ZIP_NAME"
rm -f "$ZIP"
(cd "$PKG" && find . -mindepth 1 | sed 's#^\./##' | sort | TZ=UTC zip -q -X -@ "$ZIP") ||
    die "zip failed"

# ---------------------------------------------------------------- report
say ""
[ $FALLBACK = 0 ] || banner "This is the glibc +crt-static FALLBACK build. Do not publish it."
say "zip:    dist/$ZIP_NAME"
say "binary: $BIN, $SIZE bytes ($SIZE_MB MiB; budget $MAX_SIZE_MB MiB)"
say "file:   $FILE_OUT"
say ""
zipinfo "$ZIP" | sed 's/^/  /'
