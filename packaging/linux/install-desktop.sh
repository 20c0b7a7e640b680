#!/bin/sh
# Install the built app (dist/menscentraal) with its menu entry, icon and AppStream metainfo.
#
#   packaging/linux/install-desktop.sh            for this user: ~/.local/opt, ~/.local/bin, $XDG_DATA_HOME
#   sudo packaging/linux/install-desktop.sh --system   for everyone: /opt, /usr/local/bin, /usr/local/share
#   packaging/linux/install-desktop.sh --uninstall [--system]
#
# DIST (default dist/menscentraal) and DESTDIR (staging root for package builds) may be set.
set -eu

APP_ID=nl.menscentraal.Mobiel
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
DIST=${DIST:-$ROOT/dist/menscentraal}
DESTDIR=${DESTDIR:-}
SYSTEM=0
UNINSTALL=0
for arg in "$@"; do
    case "$arg" in
        --system) SYSTEM=1 ;;
        --uninstall) UNINSTALL=1 ;;
        *) echo "install-desktop: unknown option $arg (use --system and/or --uninstall)" >&2; exit 2 ;;
    esac
done

if [ "$SYSTEM" = 1 ]; then
    APP_DIR=/opt/menscentraal-mobiel
    BIN_DIR=/usr/local/bin
    DATA_DIR=/usr/local/share
else
    APP_DIR=$HOME/.local/opt/menscentraal-mobiel
    BIN_DIR=$HOME/.local/bin
    DATA_DIR=${XDG_DATA_HOME:-$HOME/.local/share}
fi

DESKTOP_FILE=$DATA_DIR/applications/$APP_ID.desktop
METAINFO_FILE=$DATA_DIR/metainfo/$APP_ID.metainfo.xml
ICON_FILE=$DATA_DIR/icons/hicolor/scalable/apps/$APP_ID.svg

refresh_caches() {
    [ -n "$DESTDIR" ] && return 0  # a staging root: the package manager refreshes them
    if command -v update-desktop-database >/dev/null 2>&1; then
        update-desktop-database -q "$DATA_DIR/applications" || true
    fi
    if command -v gtk-update-icon-cache >/dev/null 2>&1 && [ -f "$DATA_DIR/icons/hicolor/index.theme" ]; then
        gtk-update-icon-cache -q -t "$DATA_DIR/icons/hicolor" || true
    fi
}

if [ "$UNINSTALL" = 1 ]; then
    rm -rf "$DESTDIR$APP_DIR"
    rm -f "$DESTDIR$BIN_DIR/menscentraal" "$DESTDIR$DESKTOP_FILE" "$DESTDIR$METAINFO_FILE" "$DESTDIR$ICON_FILE"
    for size in 48 128 256; do
        rm -f "$DESTDIR$DATA_DIR/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
    done
    refresh_caches
    echo "MensCentraal Mobiel is verwijderd uit $APP_DIR (profielen van gebruikers blijven staan; wis die met 'menscentraal wipe')."
    exit 0
fi

if [ ! -x "$DIST/menscentraal" ]; then
    echo "install-desktop: $DIST/menscentraal is missing; run 'make package' first" >&2
    exit 1
fi

# The app folder is replaced whole, so no file of an older version stays behind.
mkdir -p "$DESTDIR$(dirname "$APP_DIR")" "$DESTDIR$BIN_DIR"
rm -rf "$DESTDIR$APP_DIR.new"
cp -a "$DIST" "$DESTDIR$APP_DIR.new"
rm -rf "$DESTDIR$APP_DIR"
mv "$DESTDIR$APP_DIR.new" "$DESTDIR$APP_DIR"
ln -sfn "$APP_DIR/menscentraal" "$DESTDIR$BIN_DIR/menscentraal"

install -D -m 0644 "$HERE/$APP_ID.metainfo.xml" "$DESTDIR$METAINFO_FILE"
install -D -m 0644 "$ROOT/desktop/ui/resources/icons/app.svg" "$DESTDIR$ICON_FILE"
for size in 48 128 256; do
    png=$ROOT/build/icons/menscentraal-$size.png
    [ -f "$png" ] && install -D -m 0644 "$png" "$DESTDIR$DATA_DIR/icons/hicolor/${size}x${size}/apps/$APP_ID.png"
done
# Exec and TryExec name the installed program by its full path: ~/.local/bin is not always on PATH.
mkdir -p "$DESTDIR$(dirname "$DESKTOP_FILE")"
sed -e "s|^Exec=menscentraal|Exec=$APP_DIR/menscentraal|" -e "s|^TryExec=menscentraal|TryExec=$APP_DIR/menscentraal|" \
    "$HERE/$APP_ID.desktop" > "$DESTDIR$DESKTOP_FILE"
chmod 0644 "$DESTDIR$DESKTOP_FILE"
refresh_caches
# The task links of the mails (menscentraal://taak/ID) open this app: the desktop database above
# offers it; for this user it is also made the default (system-wide the database is enough).
if [ "$SYSTEM" = 0 ] && [ -z "$DESTDIR" ] && command -v xdg-mime >/dev/null 2>&1; then
    xdg-mime default "$APP_ID.desktop" x-scheme-handler/menscentraal || true
fi
echo "MensCentraal Mobiel is geïnstalleerd in $APP_DIR; start het uit het menu of met 'menscentraal'."
