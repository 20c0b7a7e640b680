#!/usr/bin/env bash
# The distribution's parts the accessibility run needs (make a11y): an X server, a D-Bus session
# bus, the AT-SPI bus with its registry, the AT-SPI client for Debian's python3, and the X
# libraries Qt's xcb plug-in loads. Installs whatever is missing (CI runs as root on Debian/Ubuntu).
set -euo pipefail
PACKAGES=(
  xvfb dbus at-spi2-core python3-pyatspi
  libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-randr0 libxcb-render-util0
  libxcb-shape0 libxcb-xfixes0 libxcb-xinerama0 libxcb-xkb1 libxkbcommon-x11-0 libfontconfig1 libegl1 libgl1
)
[ -n "${ORCA:-}" ] && PACKAGES+=(orca)  # make orca: the screen reader itself
missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "a11y: installing ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo -n"  # never waits for a password: make test goes on without the run
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
