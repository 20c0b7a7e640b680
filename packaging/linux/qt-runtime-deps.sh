#!/bin/sh
# The system libraries PySide6's Qt platform plug-in (xcb) needs to open a window, checked before
# `make demo` starts anything: what the plug-in misses, by `ldd`, not a guess.
#
#   packaging/linux/qt-runtime-deps.sh PYTHON
#
# Missing and root: installs the Debian/Ubuntu packages. Missing otherwise: prints the exact
# command to run and exits 1. Nothing to do with another platform chosen (QT_QPA_PLATFORM=offscreen).
set -eu
PYTHON=${1:?usage: qt-runtime-deps.sh PYTHON}

case "${QT_QPA_PLATFORM:-xcb}" in xcb*) ;; *) exit 0 ;; esac
[ "$(uname -s)" = Linux ] || exit 0

PLUGIN=$("$PYTHON" -c 'import os, PySide6; print(os.path.join(os.path.dirname(PySide6.__file__), "Qt", "plugins", "platforms", "libqxcb.so"))')
[ -f "$PLUGIN" ] || { echo "qt-runtime-deps: $PLUGIN is missing; reinstall PySide6 (make clean, then make demo)" >&2; exit 1; }

# Debian/Ubuntu package of each library Qt's xcb plug-in and its Qt libraries load.
package_of() {
    case "$1" in
        libxcb-cursor.so.*) echo libxcb-cursor0 ;;
        libxcb-icccm.so.*) echo libxcb-icccm4 ;;
        libxcb-keysyms.so.*) echo libxcb-keysyms1 ;;
        libxcb-image.so.*) echo libxcb-image0 ;;
        libxcb-render-util.so.*) echo libxcb-render-util0 ;;
        libxcb-util.so.*) echo libxcb-util1 ;;
        libxcb-shape.so.*) echo libxcb-shape0 ;;
        libxcb-randr.so.*) echo libxcb-randr0 ;;
        libxcb-xkb.so.*) echo libxcb-xkb1 ;;
        libxcb-xfixes.so.*) echo libxcb-xfixes0 ;;
        libxcb-sync.so.*) echo libxcb-sync1 ;;
        libxcb-shm.so.*) echo libxcb-shm0 ;;
        libxcb-render.so.*) echo libxcb-render0 ;;
        libxcb-xinerama.so.*) echo libxcb-xinerama0 ;;
        libxcb-xinput.so.*) echo libxcb-xinput0 ;;
        libxcb.so.*) echo libxcb1 ;;
        libX11-xcb.so.*) echo libx11-xcb1 ;;
        libX11.so.*) echo libx11-6 ;;
        libxkbcommon-x11.so.*) echo libxkbcommon-x11-0 ;;
        libxkbcommon.so.*) echo libxkbcommon0 ;;
        libEGL.so.*) echo libegl1 ;;
        libGL.so.*) echo libgl1 ;;
        libOpenGL.so.*) echo libopengl0 ;;
        libfontconfig.so.*) echo libfontconfig1 ;;
        libfreetype.so.*) echo libfreetype6 ;;
        libdbus-1.so.*) echo libdbus-1-3 ;;
        libglib-2.0.so.* | libgthread-2.0.so.*) echo libglib2.0-0 ;;
        *) echo "?$1" ;;
    esac
}

missing_libraries() {
    ldd "$PLUGIN" 2>/dev/null | awk '/=> not found/ { print $1 }' | sort -u
}

missing=$(missing_libraries)
[ -z "$missing" ] && exit 0

packages=""
unknown=""
for library in $missing; do
    package=$(package_of "$library")
    case "$package" in
        \?*) unknown="$unknown ${package#?}" ;;
        *) case " $packages " in *" $package "*) ;; *) packages="$packages $package" ;; esac ;;
    esac
done
libraries=$(echo $missing | sed 's/ /, /g')

if [ -n "$unknown" ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "demo: Qt mist systeembibliotheken om een venster te openen: $libraries." >&2
    echo "demo: installeer de pakketten die deze bibliotheken leveren en start 'make demo' opnieuw." >&2
    exit 1
fi
if [ "$(id -u)" != 0 ]; then
    echo "demo: Qt mist systeembibliotheken om een venster te openen ($libraries). Er is nog niets gestart." >&2
    echo "demo: installeer ze met dit commando en start daarna 'make demo' opnieuw:" >&2
    echo "  sudo apt-get install -y$packages" >&2
    exit 1
fi
echo "demo: de Qt-systeembibliotheken worden geïnstalleerd:$packages"
apt-get update -qq
apt-get install -y -qq$packages
missing=$(missing_libraries)
if [ -n "$missing" ]; then
    echo "demo: na installeren ontbreekt nog: $(echo $missing | sed 's/ /, /g'); meld dit bij de beheerder van de demo." >&2
    exit 1
fi
