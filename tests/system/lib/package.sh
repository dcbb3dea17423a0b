# Installing the build the way a package would (meson install to /usr and /etc, the
# sysusers group, daemon-reload, D-Bus policy reload) and writing the administrator's
# part: /etc/ikev2d/ikev2d.conf, its certificates, and a drop-in that puts the service
# into the test topology's gateway namespace.

SYS_UNIT=ikev2d.service
SYS_CONF_DIR=/etc/ikev2d
SYS_CONF=$SYS_CONF_DIR/ikev2d.conf
SYS_DROPIN_DIR=/etc/systemd/system/ikev2d.service.d
SYS_READER=ikev2d-reader     # a member of group ikev2d (status only)

# Where a package puts things (the build's `meson introspect --installed` agrees).
SYS_INSTALLED_FILES=(
  /usr/sbin/ikev2d /usr/sbin/ikectl
  /lib/systemd/system/ikev2d.service
  /usr/lib/sysusers.d/ikev2d.conf
  /usr/share/dbus-1/system.d/org.ikev2d.conf
  /usr/share/dbus-1/interfaces/org.ikev2d.Manager1.xml
  /usr/share/man/man8/ikev2d.8 /usr/share/man/man8/ikectl.8 /usr/share/man/man5/ikev2d.conf.5
)

# check_install_package PKGROOT: what the package's files and maintainer scripts do.
# PKGROOT is the build's `meson install --destdir` tree; it is unpacked onto / as dpkg
# would (keeping /lib -> usr/lib). The guest's / is an overlay over the host's, so this
# changes the guest only.
check_install_package() {
  local pkgroot=$1 f missing='' exec_start t0
  [ -x "$pkgroot/usr/sbin/ikev2d" ] || { SYS_WHY="no staged package in $pkgroot"; return 1; }
  t0=$(date +%s)
  tar -C "$pkgroot" -cf - . | tar -C / -xf - --keep-directory-symlink --no-overwrite-dir --no-same-owner ||
    { SYS_WHY="cannot unpack $pkgroot onto /"; return 1; }
  sys_note "install: unpacking the package took $(( $(date +%s) - t0 ))s"
  for f in "${SYS_INSTALLED_FILES[@]}"; do [ -e "$f" ] || missing+=" $f"; done
  [ -z "$missing" ] || { SYS_WHY="not installed:$missing"; return 1; }
  # postinst: the status-reader group, then a reader account for the permission checks.
  systemd-sysusers ikev2d.conf > "$RESULTS/sysusers.log" 2>&1 ||
    { SYS_WHY="systemd-sysusers ikev2d.conf failed: $(sys_oneline "$(cat "$RESULTS/sysusers.log")")"; return 1; }
  getent group ikev2d > /dev/null || { SYS_WHY="systemd-sysusers made no group ikev2d"; return 1; }
  id "$SYS_READER" > /dev/null 2>&1 ||
    useradd --system --no-create-home --shell /usr/sbin/nologin --groups ikev2d "$SYS_READER" ||
    { SYS_WHY="cannot add user $SYS_READER"; return 1; }
  sys_note "install: + sysusers, useradd: $(( $(date +%s) - t0 ))s"
  systemctl daemon-reload || { SYS_WHY="systemctl daemon-reload failed"; return 1; }
  # dbus.service is socket-activated: start it so that there is something to reload.
  systemctl start dbus.service && systemctl reload dbus.service ||
    { SYS_WHY="systemctl reload dbus failed"; return 1; }
  # PID 1 attaches to the bus dbus.service just brought up and may not answer for a
  # while under TCG: wait for it rather than read an empty answer.
  sys_wait 90 systemctl show -P Id "$SYS_UNIT" || { SYS_WHY="systemd does not answer systemctl show"; return 1; }
  exec_start=$(systemctl show -P ExecStart "$SYS_UNIT")
  [[ "$exec_start" == *"path=/usr/sbin/ikev2d "* ]] ||
    { SYS_WHY="the unit does not run /usr/sbin/ikev2d: $exec_start"; return 1; }
  [ "$(systemctl show -P Type "$SYS_UNIT")" = notify ] ||
    { SYS_WHY="the unit is not Type=notify"; return 1; }
  for f in ikev2d.8 ikectl.8 ikev2d.conf.5; do
    [[ "$(man -w "${f##*.}" "${f%.*}" 2>/dev/null)" == /usr/share/man/* ]] ||
      { SYS_WHY="man does not find ${f%.*}(${f##*.})"; return 1; }
  done
  /usr/sbin/ikev2d --help 2>&1 | grep -q "$SYS_CONF" ||
    { SYS_WHY="ikev2d's default configuration is not $SYS_CONF: $(/usr/sbin/ikev2d --help 2>&1 | grep -- --config)"; return 1; }
}

# sys_write_config: the e2e gateway's configuration (cert + EAP-MSCHAPv2, the pool, the
# lan), with the certificate and key copied under /etc/ikev2d and the state in the
# unit's StateDirectory (/tmp is private to the service and / read-only to it).
sys_write_config() {
  local tmp
  e2e_gw_parse_options "$@"
  E2E_IKEV2D_DIR=/nonexistent   # only e2e_ikev2d_config's state_dir uses it; replaced below
  tmp=$(mktemp)
  e2e_ikev2d_config "$tmp"
  install -d -m 0750 "$SYS_CONF_DIR"
  install -m 0644 "$E2E_PKI/gw-cert.pem" "$SYS_CONF_DIR/gw-cert.pem"
  install -m 0600 "$E2E_PKI/gw-key.pem" "$SYS_CONF_DIR/gw-key.pem"
  sed -e "s|^state_dir = .*|state_dir = \"/var/lib/ikev2d\"|" \
      -e "s|$E2E_PKI/|$SYS_CONF_DIR/|g" \
      -e "s|^# Written by .*|# Written by tests/system (from tests/e2e/lib/gateway_ikev2d.sh).|" "$tmp" > "$SYS_CONF"
  chmod 0600 "$SYS_CONF"
  rm -f "$tmp"
  cp "$SYS_CONF" "$RESULTS/ikev2d.conf"
}

# sys_write_netns_dropin NS: the service runs in network namespace NS (systemd >= 242).
sys_write_netns_dropin() {
  mkdir -p "$SYS_DROPIN_DIR"
  cat > "$SYS_DROPIN_DIR/netns.conf" <<UNIT
# tests/system: the gateway lives in the test topology's namespace $1.
[Service]
NetworkNamespacePath=/run/netns/$1
UNIT
  systemctl daemon-reload
}
