#!/usr/bin/env bash
# Installs everything ikev2d needs to build, package, test and run its end-to-end tests on
# Debian 12. Run as root.
set -euo pipefail
packages=(
  meson ninja-build pkg-config g++ clang libclang-rt-14-dev
  libmnl-dev
  libgnutls28-dev nettle-dev libgmp-dev gnutls-bin
  libsdbus-c++-dev libsdbus-c++-bin libsystemd-dev dbus
  catch2 libtomlplusplus-dev libexpat1-dev libcrypt-dev
  strongswan-swanctl charon-systemd charon-cmd libcharon-extra-plugins libcharon-extauth-plugins
  libstrongswan-standard-plugins strongswan-pki
  iproute2 iputils-ping nftables qemu-system-x86 busybox-static kmod
  mandoc python3
  # ikectl: JSON output (nlohmann-json); bash-completion for its completion test.
  nlohmann-json3-dev bash-completion
  # The Debian package (tests/package/build-deb.sh): dpkg-buildpackage and lintian.
  build-essential dpkg-dev debhelper fakeroot lintian
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  # With recommends, as the development machines had them (strongSwan plugins come that way too).
  apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# The strongSwan packages start a system charon where systemd runs; tests start their own.
if command -v systemctl >/dev/null && [ -d /run/systemd/system ]; then
  systemctl disable --now strongswan-starter strongswan 2>/dev/null || true
fi
