# Preparing the test VM's kernel, not the package: under TCG the first XFRM SA with an
# algorithm makes the kernel load and self-test its crypto modules synchronously inside
# the netlink request, which took 18 s in the plain e2e runs and over 27 s here: longer
# than ikev2d.service's WatchdogSec=30s allows its event loop to stall, so systemd
# killed the daemon (SIGABRT, result 'watchdog') mid IKE_AUTH. A real machine does this
# in milliseconds; the test instantiates the algorithms once before the service starts.

# sys_warm_up_kernel_crypto: adds and deletes one ESP state per algorithm the e2e
# proposals can select, in a scratch namespace; prints how long it took.
sys_warm_up_kernel_crypto() {
  local t0 ns=sys-warmup key16 key32 key36
  key16=0x$(printf '11%.0s' $(seq 16))
  key32=0x$(printf '22%.0s' $(seq 32))
  key36=0x$(printf '33%.0s' $(seq 36))
  t0=$(date +%s)
  ip netns add "$ns" || return 1
  {
    ip -n "$ns" xfrm state add src 192.0.2.100 dst 192.0.2.101 proto esp spi 0x1001 mode tunnel \
      aead 'rfc4106(gcm(aes))' "$key36" 128
    ip -n "$ns" xfrm state add src 192.0.2.100 dst 192.0.2.101 proto esp spi 0x1002 mode tunnel \
      aead 'rfc4106(gcm(aes))' "0x$(printf '44%.0s' $(seq 20))" 128
    ip -n "$ns" xfrm state add src 192.0.2.100 dst 192.0.2.101 proto esp spi 0x1003 mode tunnel \
      enc 'cbc(aes)' "$key32" auth-trunc 'hmac(sha256)' "$key32" 128
    ip -n "$ns" xfrm state add src 192.0.2.100 dst 192.0.2.101 proto esp spi 0x1004 mode tunnel \
      enc 'cbc(aes)' "$key16" auth-trunc 'hmac(sha256)' "$key32" 128
  } > "$RESULTS/kernel-crypto-warmup.log" 2>&1
  ip netns del "$ns"
  echo $(( $(date +%s) - t0 ))
}
