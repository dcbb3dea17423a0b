# Reading the kernel's IPsec state in a namespace (ip -s xfrm state / ip xfrm policy).

# e2e_xfrm_sas NS: one line per ESP SA: "src dst spi packets bytes encap" (encap "-" when none).
e2e_xfrm_sas() {
  e2e_in "$1" ip -s xfrm state | awk '
    function flush() { if (spi != "") print src, dst, spi, packets + 0, bytes + 0, encap; spi = "" }
    /^src / { flush(); src = $2; dst = $4; encap = "-"; packets = 0; bytes = 0; next }
    /proto esp spi/ { for (i = 1; i <= NF; i++) if ($i == "spi") spi = $(i + 1); sub(/\(.*/, "", spi) }
    /encap type/ { for (i = 1; i <= NF; i++) if ($i == "type") encap = $(i + 1) }
    /lifetime current:/ { current = 1; next }
    current && /\(bytes\)/ { gsub(/[(),a-z]/, " "); bytes = $1; packets = $2; current = 0 }
    END { flush() }'
}

# e2e_assert_esp_packets NS [PEER]: the namespace has ESP SAs that carried packets in both
# directions (to and from PEER when given).
e2e_assert_esp_packets() {
  local ns=$1 peer=${2:-} sas in out
  sas=$(e2e_xfrm_sas "$ns")
  echo "$sas" > "$E2E_DIR/xfrm-sas-$ns.txt"
  e2e_in "$ns" ip -s xfrm state >> "$E2E_DIR/xfrm-state-$ns.txt"
  if [ -n "$peer" ]; then
    out=$(echo "$sas" | awk -v p="$peer" '$2 == p && $4 > 0' | wc -l)
    in=$(echo "$sas" | awk -v p="$peer" '$1 == p && $4 > 0' | wc -l)
  else
    out=$(echo "$sas" | awk '$4 > 0' | wc -l)
    in=$out
    [ "$out" -ge 2 ] || out=0
  fi
  [ "$out" -gt 0 ] && [ "$in" -gt 0 ] ||
    e2e_fail "$ns: no ESP SA with packets in both directions${peer:+ for $peer}: $(echo "$sas" | tr '\n' ';')"
  e2e_log "$ns: ESP SAs with traffic: $(echo "$sas" | awk '$4 > 0 {printf "%s>%s spi %s %s pkts%s; ", $1, $2, $3, $4, ($6 != "-" ? " " $6 : "")}')"
}

# e2e_xfrm_state_count NS [ADDR]: ESP SAs (those to or from ADDR when given).
e2e_xfrm_state_count() {
  e2e_xfrm_sas "$1" | awk -v p="${2:-}" 'p == "" || $1 == p || $2 == p' | wc -l
}

# e2e_xfrm_policy_count NS [ADDR]: policies (those whose selector names ADDR when given).
e2e_xfrm_policy_count() {
  e2e_in "$1" ip xfrm policy | grep "^src " | grep -F "${2:+ $2/}" | wc -l
}

# e2e_xfrm_encaps NS: the encapsulation types of the ESP SAs (espinudp behind NAT).
e2e_xfrm_encaps() { e2e_xfrm_sas "$1" | awk '{print $6}' | sort -u | tr '\n' ' '; }
