#!/usr/bin/env bash
# Validate the Linux desktop integration files: the .desktop entry with desktop-file-validate, the
# AppStream metainfo with appstreamcli (offline), and that the desktop id, the metainfo id and the id
# the running app announces (newsdesk/ui/common/identity.py DESKTOP_ID) are one and the same, with the icon
# they name shipped in resources/icons/hicolor. Exits non-zero on any error; warnings are printed.
# Installs Debian's desktop-file-utils and appstream when missing and running as root.
set -euo pipefail
cd "$(dirname "$0")/.."

APP_ID=io.github.newsdesk.Newsdesk
DESKTOP=packaging/linux/$APP_ID.desktop
METAINFO=packaging/linux/$APP_ID.metainfo.xml
ICON=newsdesk

missing=()
command -v desktop-file-validate >/dev/null || missing+=(desktop-file-utils)
command -v appstreamcli >/dev/null || missing+=(appstream)
if ((${#missing[@]})); then
    if [ "$(id -u)" -ne 0 ]; then
        echo "check-desktop-files: install ${missing[*]} (Debian/Ubuntu packages) first" >&2
        exit 2
    fi
    echo "check-desktop-files: installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi

failed=0
echo "check-desktop-files: desktop-file-validate $DESKTOP"
if ! desktop-file-validate "$DESKTOP"; then
    failed=1
fi

echo "check-desktop-files: appstreamcli validate --no-net $METAINFO"
if ! appstreamcli validate --no-net "$METAINFO"; then
    failed=1
fi

grep -q "^DESKTOP_ID = \"$APP_ID\"$" newsdesk/ui/common/identity.py \
    || { echo "check-desktop-files: DESKTOP_ID in newsdesk/ui/common/identity.py is not $APP_ID" >&2; failed=1; }
grep -q "<id>$APP_ID</id>" "$METAINFO" \
    || { echo "check-desktop-files: $METAINFO does not declare <id>$APP_ID</id>" >&2; failed=1; }
grep -q "<launchable type=\"desktop-id\">$APP_ID.desktop</launchable>" "$METAINFO" \
    || { echo "check-desktop-files: $METAINFO does not launch $APP_ID.desktop" >&2; failed=1; }
grep -q "^Icon=$ICON$" "$DESKTOP" \
    || { echo "check-desktop-files: $DESKTOP does not name Icon=$ICON" >&2; failed=1; }
for size in 16 22 24 32 48 64 128 256 512; do
    [ -f "resources/icons/hicolor/${size}x${size}/apps/$ICON.png" ] \
        || { echo "check-desktop-files: icon ${size}x${size} missing" >&2; failed=1; }
done
[ -f "resources/icons/$ICON.svg" ] || { echo "check-desktop-files: resources/icons/$ICON.svg missing" >&2; failed=1; }

if [ "$failed" -ne 0 ]; then
    echo "check-desktop-files: FAILED" >&2
    exit 1
fi
echo "check-desktop-files: ok"
