#!/usr/bin/env bash
# Idempotent set-up for a fresh Debian machine with Node/npm: Deno (from the
# npm registry, pinned), the Debian packages the native backend and its tests
# need, and the native shim. Safe to run again: each step is skipped when done.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DENO_VERSION=2.9.6
tools="$root/.tools"

log() { printf '[setup] %s\n' "$*" >&2; }

# 1. Deno, project-local, from the npm registry (the package ships the real binary).
deno_bin="$tools/node_modules/deno/deno"
if [[ ! -x $deno_bin ]] || [[ $("$deno_bin" --version 2>/dev/null | head -1) != "deno $DENO_VERSION"* ]]; then
  log "installing deno@$DENO_VERSION from the npm registry into .tools/"
  mkdir -p "$tools"
  npm install --prefix "$tools" --no-audit --no-fund --loglevel=error "deno@$DENO_VERSION" >&2
fi
mkdir -p "$tools/bin"
ln -sf "$deno_bin" "$tools/bin/deno"

# 2. Debian packages (only when something is missing, and only with apt-get and root rights).
# The last line is a desktop's usual extras (a real xdg-screensaver, xscreensaver, wmctrl, xterm):
# CI runs with them installed so that no test leans on their absence.
packages=(xvfb xauth libx11-dev libxtst-dev libxext-dev libxfixes-dev libxrandr-dev libxdamage-dev
  libxi-dev x11-utils x11-xserver-utils xdotool xclip openbox at-spi2-core libatspi2.0-dev dbus
  dbus-x11 python3-gi gir1.2-gtk-3.0 libnotify-bin notification-daemon zlib1g-dev libjpeg62-turbo-dev
  imagemagick scrot iproute2 tmux gcc pkg-config xfonts-base fonts-dejavu-core
  xdg-utils xscreensaver wmctrl xterm x11-xkb-utils util-linux
  gcc-mingw-w64-x86-64 libz-mingw-w64-dev wine wine64
  sway swaylock foot grim wtype wl-clipboard libwayland-dev wayland-protocols libxkbcommon-dev)
# Python's websockets library: the WebSocket interop tests' independent peer.
packages+=(python3-websockets)
# sshd: `deno task bench` runs ssh cat/scp beside opendesk's transfers (a private sshd on loopback).
packages+=(openssh-server)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  if command -v apt-get >/dev/null; then
    sudo_cmd=()
    [[ $(id -u) -eq 0 ]] || sudo_cmd=(sudo)
    log "installing Debian packages: ${missing[*]}"
    "${sudo_cmd[@]}" apt-get update -qq >&2
    # With recommends: the tests were developed against that set (e.g. xfonts-base for X core
    # fonts, fonts for GTK test apps).
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >&2
  else
    log "apt-get is not available; missing packages: ${missing[*]} (native tests will be skipped)"
  fi
fi

# 3. The native shim (rebuilt only when a source is newer than the library).
if [[ -f $root/scripts/build_native.ts ]]; then
  "$deno_bin" run -A "$root/scripts/build_native.ts" --if-stale --quiet >&2 ||
    log "the native shim did not build; display and input will be unavailable"
fi

# 4. npm packages into Deno's cache (so later runs, and network namespaces, need no network).
(cd "$root" && "$deno_bin" install --quiet >&2 2>/dev/null || "$deno_bin" cache "$root/mod.ts" >&2)
# Tells the launcher (scripts/opendesk) that set-up succeeded; it reruns set-up only when an
# input is newer than this file.
mkdir -p "$root/build" && touch "$root/build/.setup-done"
echo "$tools/bin"
