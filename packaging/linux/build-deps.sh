#!/bin/sh
# System libraries the Qt xcb platform plug-in needs: present on the build machine, PyInstaller
# copies them into the folder, so the app starts on a desktop that lacks some of them.
# Debian/Ubuntu only; elsewhere it says what to install. Needs root when something is missing.
set -eu
PACKAGES="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0 libxcb-shape0 \
libxcb-randr0 libxcb-xkb1 libxkbcommon-x11-0"

if ! command -v dpkg-query >/dev/null 2>&1; then
    echo "build-deps: not Debian; install the equivalents of: $PACKAGES" >&2
    exit 0
fi
missing=""
for package in $PACKAGES; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing="$missing $package"
done
[ -z "$missing" ] && exit 0
if [ "$(id -u)" != 0 ]; then
    echo "build-deps: missing$missing; run: sudo apt-get install$missing" >&2
    exit 1
fi
apt-get update -qq
apt-get install -y -qq $missing
