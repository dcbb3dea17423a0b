# The package as an administrator installs it (apt install ./ikev2d_*.deb: files, the
# sysusers group, the unit enabled and started on the packaged template), and writing
# the administrator's part afterwards: /etc/ikev2d/ikev2d.conf, its certificates, and a
# drop-in that puts the service into the test topology's gateway namespace.

SYS_UNIT=ikev2d.service
SYS_PKG=ikev2d
SYS_CONF_DIR=/etc/ikev2d
SYS_CONF=$SYS_CONF_DIR/ikev2d.conf
SYS_DROPIN_DIR=/etc/systemd/system/ikev2d.service.d
SYS_READER=ikev2d-reader     # a member of group ikev2d (status only)

# Where the package puts things (debian/, meson's install paths).
SYS_INSTALLED_FILES=(
  /usr/sbin/ikev2d /usr/sbin/ikectl
  /lib/systemd/system/ikev2d.service
  /usr/lib/sysusers.d/ikev2d.conf
  /usr/share/dbus-1/system.d/org.ikev2d.conf
  /usr/share/dbus-1/interfaces/org.ikev2d.Manager1.xml
  /usr/share/man/man8/ikev2d.8.gz /usr/share/man/man8/ikectl.8.gz /usr/share/man/man5/ikev2d.conf.5.gz
  /etc/ikev2d/ikev2d.conf
)

# sys_root_forwarding: net.ipv4.ip_forward of the guest's own (root) namespace.
sys_root_forwarding() { cat /proc/sys/net/ipv4/ip_forward; }
SYS_ROOT_FORWARDING_BEFORE=

# check_install_package DEB_DIR: `apt install ./ikev2d_*.deb` (dpkg -i if apt cannot run
# offline here, with a note). The guest's / is an overlay over the host's, so this changes
# the guest only. The postinst makes group ikev2d and starts the service on the template.
check_install_package() {
  local deb_dir=$1 deb f missing='' exec_start t0 rc=0
  deb=$(ls "$deb_dir"/ikev2d_*.deb 2>/dev/null | head -1)
  [ -n "$deb" ] || { SYS_WHY="no ikev2d_*.deb in $deb_dir"; return 1; }
  SYS_ROOT_FORWARDING_BEFORE=$(sys_root_forwarding)
  # A container image's policy-rc.d (exit 101) forbids maintainer scripts to start or stop
  # services; a real Debian has none. The guest's / is an overlay: only the guest loses it.
  if [ -e /usr/sbin/policy-rc.d ]; then
    rm -f /usr/sbin/policy-rc.d
    sys_note "install: removed the host image's /usr/sbin/policy-rc.d in the guest (as on a real Debian)"
  fi
  # man-db's trigger re-indexes every manual page, minutes under TCG (160 s of a 200 s
  # dpkg -i); a trigger it skips when this file is missing. The pages are checked below.
  rm -f /var/lib/man-db/auto-update
  # dbus.service is socket-activated: start it so that the postinst's reload reaches it.
  systemctl start dbus.service || { SYS_WHY="systemctl start dbus failed"; return 1; }
  t0=$(date +%s)
  # Without --no-download: apt "fetches" a local .deb with its file method, and with that
  # option refuses it ("Internal Error, Pathname to install is not absolute"). Nothing else
  # is fetched: the dependencies are installed (scripts/install-deps.sh).
  DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -o Dpkg::Use-Pty=0 "$(realpath "$deb")" \
    > "$RESULTS/apt-install.log" 2>&1 || rc=$?
  if [ "$rc" != 0 ]; then
    sys_note "install: apt-get install $(realpath "$deb") failed (exit $rc, apt-install.log); dpkg -i instead"
    DEBIAN_FRONTEND=noninteractive timeout 300 dpkg -i "$deb" > "$RESULTS/dpkg-install.log" 2>&1 ||
      { SYS_WHY="dpkg -i failed too: $(sys_oneline "$(tail -3 "$RESULTS/dpkg-install.log")")"; return 1; }
    SYS_DETAIL="dpkg -i"
  else
    SYS_DETAIL="apt-get install $(realpath "$deb")"
  fi
  sys_note "install: the package took $(( $(date +%s) - t0 ))s to install"
  [ "$(dpkg-query -W -f='${Status}' "$SYS_PKG" 2>/dev/null)" = "install ok installed" ] ||
    { SYS_WHY="dpkg does not list $SYS_PKG as installed"; return 1; }
  for f in "${SYS_INSTALLED_FILES[@]}"; do [ -e "$f" ] || missing+=" $f"; done
  [ -z "$missing" ] || { SYS_WHY="not installed:$missing"; return 1; }
  dpkg-query -W -f='${Conffiles}\n' "$SYS_PKG" | grep -q " $SYS_CONF " ||
    { SYS_WHY="$SYS_CONF is not a conffile"; return 1; }
  [ "$(stat -c %a "$SYS_CONF")" = 600 ] || { SYS_WHY="$SYS_CONF has mode $(stat -c %a "$SYS_CONF"), want 600"; return 1; }
  # postinst: the status-reader group (systemd-sysusers); then a reader account for the
  # permission checks.
  getent group ikev2d > /dev/null || { SYS_WHY="the postinst made no group ikev2d"; return 1; }
  id "$SYS_READER" > /dev/null 2>&1 ||
    useradd --system --no-create-home --shell /usr/sbin/nologin --groups ikev2d "$SYS_READER" ||
    { SYS_WHY="cannot add user $SYS_READER"; return 1; }
  # PID 1 may answer slowly under TCG right after the bus came up.
  sys_wait 90 systemctl show -P Id "$SYS_UNIT" || { SYS_WHY="systemd does not answer systemctl show"; return 1; }
  exec_start=$(systemctl show -P ExecStart "$SYS_UNIT")
  [[ "$exec_start" == *"path=/usr/sbin/ikev2d "* ]] ||
    { SYS_WHY="the unit does not run /usr/sbin/ikev2d: $exec_start"; return 1; }
  [[ "$(systemctl show -P ExecStartPre "$SYS_UNIT")" == *"--check-config"* ]] ||
    { SYS_WHY="the unit has no ExecStartPre=ikev2d --check-config"; return 1; }
  [ "$(systemctl show -P Type "$SYS_UNIT")" = notify ] ||
    { SYS_WHY="the unit is not Type=notify"; return 1; }
  [ "$(systemctl is-enabled "$SYS_UNIT" 2>/dev/null)" = enabled ] ||
    { SYS_WHY="the unit is not enabled after the install"; return 1; }
  for f in ikev2d.8 ikectl.8 ikev2d.conf.5; do
    [[ "$(man -w "${f##*.}" "${f%.*}" 2>/dev/null)" == /usr/share/man/* ]] ||
      { SYS_WHY="man does not find ${f%.*}(${f##*.})"; return 1; }
  done
  /usr/sbin/ikev2d --help 2>&1 | grep -q "$SYS_CONF" ||
    { SYS_WHY="ikev2d's default configuration is not $SYS_CONF: $(/usr/sbin/ikev2d --help 2>&1 | grep -- --config)"; return 1; }
}

# The safe first start: the postinst started the service on the packaged template, which
# loads, names no group (so the daemon says every login is refused), and, having no pool,
# leaves forwarding alone. The service runs in the guest's root namespace here.
check_first_start_on_template() {
  local state
  sys_wait 60 sys_unit_running ||
    { SYS_WHY="not active/running after the install: $(sys_unit_prop ActiveState)/$(sys_unit_prop SubState); $(sys_oneline "$(journalctl -u "$SYS_UNIT" -n 5 --no-pager -o cat)")"; return 1; }
  sys_wait 10 sys_journal_has 0 "defines no \[group.<name>\]: every IKE_AUTH is refused" ||
    { SYS_WHY="the journal does not say that every login is refused: $(sys_oneline "$(sys_journal_since 0 | tail -3)")"; return 1; }
  sys_journal_has 0 "$SYS_CONF: configuration OK" ||
    { SYS_WHY="no 'configuration OK' from ExecStartPre=ikev2d --check-config in the journal"; return 1; }
  ! sys_journal_since 0 | grep -qi 'password' ||
    { SYS_WHY="the journal mentions a password: $(sys_oneline "$(sys_journal_since 0 | grep -i -m2 password)")"; return 1; }
  [ "$(sys_root_forwarding)" = "$SYS_ROOT_FORWARDING_BEFORE" ] ||
    { SYS_WHY="net.ipv4.ip_forward went $SYS_ROOT_FORWARDING_BEFORE -> $(sys_root_forwarding) with no pool"; return 1; }
  state=$(systemctl show -P StatusText "$SYS_UNIT")
  [ "$state" = "0 sessions, 0 half-open" ] || { SYS_WHY="StatusText is '$state'"; return 1; }
  SYS_DETAIL="StatusText '$state', ip_forward stays $SYS_ROOT_FORWARDING_BEFORE"
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
