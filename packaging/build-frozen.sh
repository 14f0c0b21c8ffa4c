#!/usr/bin/env bash
# Build Newsdesk as a one-folder app with PyInstaller (packaging/newsdesk.spec), then smoke-test what
# was built, from outside the checkout, in a temporary NEWSDESK_HOME:
#   --version, a store opened and checked, the demo story listed, the site exported (when this build
#   has the `export` command), a file spell-checked, wire copy / HTML / Markdown imported, and the
#   window started offscreen until it reports its budget filled.
# Slow (a minute or two on two cores) and so not part of the default test run.
#
#   packaging/build-frozen.sh                  build into build/frozen/dist/newsdesk and smoke-test
#   packaging/build-frozen.sh --smoke-only     smoke-test an existing build
#   packaging/build-frozen.sh --measure        also print size and start-up time against a run from source
#
# PYTHON picks the interpreter whose packages are frozen (default: python3 on PATH, i.e. the active
# virtual environment); PyInstaller is installed into it when missing. OUT moves the build folder.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PYTHON=${PYTHON:-python3}
OUT=${OUT:-$ROOT/build/frozen}
APP_DIR=$OUT/dist/newsdesk
APP=$APP_DIR/newsdesk

build=1
measure=0
for arg in "$@"; do
    case "$arg" in
        --smoke-only) build=0 ;;
        --measure) measure=1 ;;
        *) echo "build-frozen: unknown option $arg" >&2; exit 2 ;;
    esac
done

say() { echo "build-frozen: $*"; }
fail() { echo "build-frozen: FAILED: $*" >&2; exit 1; }

if [ "$build" -eq 1 ]; then
    if ! "$PYTHON" -c "import PyInstaller" 2>/dev/null; then
        say "installing PyInstaller into $("$PYTHON" -c 'import sys; print(sys.prefix)')"
        "$PYTHON" -m pip install -q "pyinstaller>=6.10"
    fi
    say "building into $APP_DIR"
    started=$(date +%s)
    "$PYTHON" -m PyInstaller --noconfirm --clean --log-level WARN \
        --distpath "$OUT/dist" --workpath "$OUT/work" packaging/newsdesk.spec
    say "built in $(( $(date +%s) - started )) s"
fi
[ -x "$APP" ] || fail "no built app at $APP"

SMOKE=$(mktemp -d)
trap 'rm -rf "$SMOKE"' EXIT
export NEWSDESK_HOME=$SMOKE/home
unset NEWSDESK_DATABASE_URL
cd "$SMOKE"

expected="newsdesk $("$PYTHON" -c 'import sys; sys.path.insert(0, sys.argv[1]); import newsdesk; print(newsdesk.__version__)' "$ROOT")"
version=$("$APP" --version)
[ "$version" = "$expected" ] || fail "--version printed '$version', expected '$expected'"
say "ok: --version prints '$version'"

internal=$APP_DIR/_internal
for needed in resources/templates resources/icons/hicolor/48x48/apps/newsdesk.png resources/samples/demo-story.json \
    newsdesk/core/store/migrations/env.py newsdesk/core/store/migrations/script.py.mako spellchecker/resources LICENSE; do
    [ -e "$internal/$needed" ] || fail "the build lacks $needed"
done
ls "$internal"/newsdesk/core/migrations/versions/0001_*.py >/dev/null 2>&1 || fail "the build lacks the migration versions"
say "ok: resources, migrations, spelling dictionaries and licence are in the build"

stories=$("$APP" stories) || fail "newsdesk stories failed"
grep -q "belarus-diplomat-ukraine-war" <<<"$stories" || fail "the demo story is not in a fresh store: $stories"
say "ok: a fresh store was created, migrated and seeded with the demo story"
"$APP" db check >/dev/null || fail "newsdesk db check found problems with the store it just made"
say "ok: db check passes"

if "$APP" --help | grep -qE '^ +export '; then
    "$APP" export --all --out "$SMOKE/site" || fail "newsdesk export --all failed"
    find "$SMOKE/site" -name '*.html' | grep -q . || fail "the export wrote no HTML page"
    grep -rqs "Belarus" "$SMOKE/site" || fail "the exported site does not carry the demo story"
    say "ok: export --all wrote $(find "$SMOKE/site" -type f | wc -l) files"
else
    say "SKIPPED: this build has no 'export' command yet (newsdesk/cli/export.py missing), so no export was tried"
fi

printf 'The reportr filed her story from Minsk.\n' >"$SMOKE/spell.md"
set +e
spelled=$("$APP" spell "$SMOKE/spell.md" 2>&1)
spell_status=$?
set -e
[ "$spell_status" -eq 1 ] && grep -q "reportr" <<<"$spelled" || fail "newsdesk spell (exit $spell_status): $spelled"
say "ok: spell finds 'reportr' (dictionaries and place names load)"

printf -- '---\nheadline: Council votes on budget\n---\n\nThe council voted.\n' >"$SMOKE/story.md"
"$APP" import "$ROOT/tests/fixtures/wire/ap-indented.txt" "$ROOT/tests/fixtures/html/wire-service-page.html" \
    "$SMOKE/story.md" >/dev/null || fail "newsdesk import of wire copy, a saved page and Markdown"
say "ok: import of wire copy, a saved HTML page and Markdown"

report=$SMOKE/window.log
QT_QPA_PLATFORM=offscreen NEWSDESK_STARTUP_REPORT=1 "$APP" >"$SMOKE/window.out" 2>"$report" &
window_pid=$!
for _ in $(seq 1 300); do
    grep -q "^newsdesk-startup ready" "$report" 2>/dev/null && break
    kill -0 "$window_pid" 2>/dev/null || break
    sleep 0.1
done
if ! grep -q "^newsdesk-startup ready" "$report"; then
    kill "$window_pid" 2>/dev/null || true
    wait "$window_pid" 2>/dev/null || true
    cat "$report" >&2
    fail "the window did not start and fill its budget within 30 s"
fi
kill "$window_pid"
wait "$window_pid" 2>/dev/null || true
if grep -q "Traceback" "$report"; then
    cat "$report" >&2
    fail "the window logged a traceback"
fi
say "ok: the window started offscreen, opened the store and filled its budget"

if [ "$measure" -eq 1 ]; then
    say "size of the one-folder build: $(du -sh "$APP_DIR" | cut -f1) ($(find "$APP_DIR" -type f | wc -l) files)"
    say "start-up, frozen:"
    "$PYTHON" "$ROOT/packaging/measure_startup.py" --runs 5 -- "$APP"
    say "start-up, from source ($PYTHON -m newsdesk):"
    PYTHONPATH="$ROOT" "$PYTHON" "$ROOT/packaging/measure_startup.py" --runs 5 -- "$PYTHON" -m newsdesk
fi
say "smoke test passed"
