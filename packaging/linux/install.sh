#!/usr/bin/env bash
# Install (or remove) the one-folder build of Newsdesk with its menu entry, AppStream metainfo and icons.
#
#   sudo packaging/linux/install.sh [DIST]                  system-wide under /usr/local
#   packaging/linux/install.sh --prefix ~/.local [DIST]     for one user
#   packaging/linux/install.sh --uninstall [--prefix P]     remove what an install put there
#
# DIST is the built folder (default: build/frozen/dist/newsdesk from packaging/build-frozen.sh). The app
# goes to PREFIX/lib/newsdesk, the command to PREFIX/bin/newsdesk (a link), the menu entry (its Exec made
# absolute, so it works whatever PATH the desktop session has) to PREFIX/share/applications, the metainfo
# to PREFIX/share/metainfo and the icons to PREFIX/share/icons/hicolor. DESTDIR stages the files for a
# package build (links and Exec still name PREFIX). Desktop and icon caches are refreshed when their
# tools are present and DESTDIR is not set.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
APP_ID=io.github.newsdesk.Newsdesk
ICON=newsdesk

prefix=/usr/local
uninstall=0
dist=$ROOT/build/frozen/dist/newsdesk
while (($#)); do
    case "$1" in
        --prefix) prefix=${2:?--prefix needs a folder}; shift 2 ;;
        --prefix=*) prefix=${1#--prefix=}; shift ;;
        --uninstall) uninstall=1; shift ;;
        -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
        -*) echo "install: unknown option $1" >&2; exit 2 ;;
        *) dist=$1; shift ;;
    esac
done
destdir=${DESTDIR:-}
target=$destdir$prefix
apps=$target/share/applications
metainfo=$target/share/metainfo
icons=$target/share/icons/hicolor

refresh_caches() {
    [ -z "$destdir" ] || return 0
    if command -v update-desktop-database >/dev/null; then update-desktop-database -q "$apps" || true; fi
    if command -v gtk-update-icon-cache >/dev/null && [ -f "$icons/index.theme" ]; then
        gtk-update-icon-cache -q -t "$icons" || true
    fi
}

if [ "$uninstall" -eq 1 ]; then
    rm -rf "$target/lib/newsdesk"
    rm -f "$target/bin/newsdesk" "$apps/$APP_ID.desktop" "$metainfo/$APP_ID.metainfo.xml" \
        "$icons/scalable/apps/$ICON.svg" "$icons"/*/apps/"$ICON".png
    refresh_caches
    echo "install: removed Newsdesk from $target"
    exit 0
fi

[ -x "$dist/newsdesk" ] || { echo "install: no built app in $dist (run packaging/build-frozen.sh first)" >&2; exit 2; }
mkdir -p "$target/lib" "$target/bin" "$apps" "$metainfo" "$icons/scalable/apps"
rm -rf "$target/lib/newsdesk.new"
cp -a "$dist" "$target/lib/newsdesk.new"
rm -rf "$target/lib/newsdesk"
mv "$target/lib/newsdesk.new" "$target/lib/newsdesk"
ln -sfn "$prefix/lib/newsdesk/newsdesk" "$target/bin/newsdesk"
sed -e "s|^Exec=newsdesk|Exec=$prefix/bin/newsdesk|" -e "s|^TryExec=newsdesk|TryExec=$prefix/bin/newsdesk|" \
    "$HERE/$APP_ID.desktop" >"$apps/$APP_ID.desktop"
install -m 644 "$HERE/$APP_ID.metainfo.xml" "$metainfo/$APP_ID.metainfo.xml"
install -m 644 "$ROOT/resources/icons/$ICON.svg" "$icons/scalable/apps/$ICON.svg"
for png in "$ROOT"/resources/icons/hicolor/*/apps/"$ICON".png; do
    size=$(basename "$(dirname "$(dirname "$png")")")
    install -D -m 644 "$png" "$icons/$size/apps/$ICON.png"
done
refresh_caches
echo "install: Newsdesk installed in $target (command: $prefix/bin/newsdesk)"
