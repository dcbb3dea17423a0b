# Runs strongSwan's charon (client or gateway) inside a namespace, with everything private:
# its own strongswan.conf, vici socket and file log under $E2E_DIR/<name>/, and a private
# /run (so two charons do not share a pid file). kernel-libipsec and tpm are off (else it
# makes an ipsec0 TUN device and prints TPM noise); resolve is off (no /etc/resolv.conf edits).

# The IKE daemon: strongswan-charon's, else charon-systemd's (which runs in the foreground).
e2e_charon_binary() {
  local b
  for b in /usr/lib/ipsec/charon /usr/sbin/charon-systemd; do
    [ -x "$b" ] && { echo "$b"; return 0; }
  done
  e2e_fail "no charon binary: install charon-systemd (or strongswan-charon)"
}

# e2e_charon_dir NAME: its configuration and logs.
e2e_charon_dir() { echo "$E2E_DIR/$1"; }

# e2e_charon_socket NAME: its vici socket. Not in the results folder (9p cannot hold
# sockets), not under /tmp (the host's /tmp shows through the overlay, stale sockets
# included), not under /run (charon's private /run hides it): the guest's /dev/shm.
e2e_charon_socket() { echo "/dev/shm/ikev2d-e2e/$E2E_NAME/$1.vici"; }

# e2e_charon_running NAME: that charon was started by this scenario and still runs.
e2e_charon_running() {
  local pidfile
  pidfile=$(e2e_charon_dir "$1")/charon.pid
  [ -f "$pidfile" ] && kill -0 "$(cat "$pidfile")" 2>/dev/null
}

# e2e_charon_start NS NAME [EXTRA_CHARON_SETTINGS]
e2e_charon_start() {
  local ns=$1 name=$2 extra=${3:-} dir pid
  dir=$(e2e_charon_dir "$name")
  mkdir -p "$dir"/swanctl/{x509,x509ca,private,pubkey}
  local body
  body=$(cat <<CONF
  # Patient retransmits (3 s base, 4 tries: ~67 s): a busy CI host can stall the TCG guest
  # for many seconds. Failure scenarios get explicit errors, so this costs them nothing.
  retransmit_timeout = 3
  retransmit_tries = 4
  $extra
  # Only what the tests use: loading every installed plugin takes long under TCG, and
  # kernel-libipsec (an ipsec0 TUN device), tpm (noise), resolve (edits /etc/resolv.conf)
  # and bypass-lan (would exempt the pool route from IPsec) must stay out anyway.
  load = random nonce openssl pem pkcs1 pkcs8 x509 pubkey revocation constraints gmp aes sha1 sha2 md5 hmac kdf gcm drbg attr kernel-netlink socket-default updown vici eap-identity eap-md5 eap-mschapv2 eap-tls
  plugins {
    vici { socket = unix://$(e2e_charon_socket "$name") }
    kernel-libipsec { load = no }
    tpm { load = no }
    resolve { load = no }
    stroke { load = no }
    bypass-lan { load = no }   # it would exempt the pool route from IPsec
  }
  filelog {
    main {
      path = $dir/charon.log
      time_format = %T
      ike_name = yes
      flush_line = yes
      default = 1
      ike = 2
      cfg = 2
      knl = 2
    }
  }
  syslog { daemon { default = -1 } auth { default = -1 } }
  journal { default = -1 }
CONF
)
  # charon-systemd reads its own section (falling back to charon's); give both the same.
  printf 'charon {\n%s\n}\ncharon-systemd {\n%s\n}\n' "$body" "$body" > "$dir/strongswan.conf"
  mkdir -p "$(dirname "$(e2e_charon_socket "$name")")"
  rm -f "$(e2e_charon_socket "$name")"
  ip netns exec "$ns" unshare -m --propagation private \
    sh -c 'mount -t tmpfs tmpfs /run && exec env STRONGSWAN_CONF="$1" "$2"' charon \
    "$dir/strongswan.conf" "$(e2e_charon_binary)" > "$dir/charon.out" 2>&1 &
  pid=$!
  disown "$pid"  # no "Killed" job notices when a scenario kills it on purpose
  e2e_track "$pid"
  echo "$pid" > "$dir/charon.pid"
  e2e_wait_for 90 "charon $name to open its vici socket" test -S "$(e2e_charon_socket "$name")" ||
    e2e_fail "charon $name did not start (see $dir/charon.out)"
}

# e2e_swanctl NAME COMMAND [ARGS...]: swanctl against that charon (options after the command).
e2e_swanctl() {
  local name=$1 cmd=$2
  shift 2
  local conf=/dev/shm/ikev2d-e2e/swanctl-strongswan.conf
  # Only the plugins swanctl needs to parse credentials: loading all of them is slow under TCG.
  [ -f "$conf" ] || { mkdir -p /dev/shm/ikev2d-e2e &&
    printf 'swanctl {\n  load = pem pkcs1 pkcs8 x509 pubkey openssl random\n}\n' > "$conf"; }
  STRONGSWAN_CONF=$conf swanctl "$cmd" --uri "unix://$(e2e_charon_socket "$name")" "$@"
}

# e2e_swanctl_load NAME: loads swanctl.conf and the credentials beside it.
e2e_swanctl_load() {
  local dir
  dir=$(e2e_charon_dir "$1")
  e2e_swanctl "$1" --load-all --noprompt --file "$dir/swanctl/swanctl.conf" > "$dir/swanctl-load.log" 2>&1 ||
    e2e_fail "swanctl --load-all failed for $1: $(tail -3 "$dir/swanctl-load.log")"
}

# e2e_charon_kill NAME: SIGKILL, so that it sends nothing (no Delete).
e2e_charon_kill() {
  local dir
  dir=$(e2e_charon_dir "$1")
  kill -9 "$(cat "$dir/charon.pid")" 2>/dev/null || e2e_fail "charon $1 was not running"
}
