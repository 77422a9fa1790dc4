#!/usr/bin/env bash
# deps.sh — installs the Debian packages weir needs, only those missing.
# Sourced by ./run and ./test; uses sudo only when not root.
set -e
WEIR_PKGS="build-essential cmake pkg-config lemon libuv1-dev librdkafka-dev \
libsqlite3-dev libedit-dev libjansson-dev libhttp-parser-dev libxxhash-dev \
clang libclang-rt-14-dev kcat python3 tmux time chromium nodejs"
missing=()
for p in $WEIR_PKGS; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" \
    || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "weir: installing ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}"
fi
