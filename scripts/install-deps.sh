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
  # Libreswan as a second e2e client (tests/e2e/lib/libreswan.sh): what its pluto, whack
  # and addconn link against, certutil/pk12util for its NSS database, openssl for the
  # client certificate's PKCS#12. The package itself is only unpacked, below.
  libnss3 libnss3-tools libnspr4 libevent-core-2.1-7 libevent-pthreads-2.1-7 libldns3
  libunbound8 libcap-ng0 libaudit1 libcurl3-nss libldap-2.5-0 libpam0g libselinux1
  libsystemd0 libcrypt1 openssl
  # RADIUS (daemon/aaa): radcli, and a real FreeRADIUS for its tests (tests/aaa).
  libradcli-dev freeradius freeradius-utils sqlite3
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
  systemctl disable --now strongswan-starter strongswan freeradius 2>/dev/null || true
fi

# Libreswan for the e2e tests, unpacked (never installed) into a private directory: the
# package conflicts with strongSwan's (both ship /usr/sbin/ipsec), and the tests run its
# pluto from there with their own NSS database, secrets and control socket. Redone only
# when Debian has a new version.
libreswan_dir=/var/cache/ikev2d-tests/libreswan
libreswan_version=$(apt-cache policy libreswan | awk '/Candidate:/ {print $2}')
if [ -z "$libreswan_version" ] || [ "$libreswan_version" = "(none)" ]; then
  apt-get update -qq
  libreswan_version=$(apt-cache policy libreswan | awk '/Candidate:/ {print $2}')
fi
if [ "$(cat "$libreswan_dir/.version" 2>/dev/null)" != "$libreswan_version" ] ||
   [ ! -x "$libreswan_dir/usr/libexec/ipsec/pluto" ]; then
  echo "install-deps: unpacking libreswan $libreswan_version into $libreswan_dir"
  download=$(mktemp -d)
  chown _apt "$download" 2>/dev/null || true   # apt downloads as _apt where it can
  (cd "$download" && apt-get download -qq "libreswan=$libreswan_version")
  rm -rf "$libreswan_dir.new"
  mkdir -p "$libreswan_dir.new"
  dpkg-deb -x "$download"/libreswan_*.deb "$libreswan_dir.new"
  echo "$libreswan_version" > "$libreswan_dir.new/.version"
  rm -rf "$download" "$libreswan_dir"
  mv "$libreswan_dir.new" "$libreswan_dir"
fi
