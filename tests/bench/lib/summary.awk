# Turns the benchmark's raw result lines (tests/bench/run.sh: CRYPTO_BOUND, RUN, CEILING,
# MEM, MEMIN, STORM) into Markdown tables. Fields are key=value; min/median/max over runs.

function field(line, key,    re, m) {
  re = "(^| )" key "=[^ ]*"
  if (match(line, re)) { m = substr(line, RSTART, RLENGTH); sub(/^ /, "", m); sub(/^[^=]*=/, "", m); return m }
  return ""
}
function sorted_stats(list, n,    a, i, j, t, k) {  # "min / median / max" of a space-separated list
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
  if (n == 0) return "-"
  k = int((n + 1) / 2)
  return sprintf("%d / %d / %d", a[1], (n % 2 ? a[k] : (a[k] + a[k + 1]) / 2), a[n])
}
function median(list,    a, n, i, j, t, k) {
  n = split(list, a, " ")
  for (i = 2; i <= n; i++) { t = a[i] + 0; for (j = i - 1; j >= 1 && a[j] + 0 > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
  if (n == 0) return -1
  k = int((n + 1) / 2)
  return n % 2 ? a[k] : (a[k] + a[k + 1]) / 2
}
function signature_alone(c) {  # the cert-eap cases' signature without the DH a handshake also does
  if (c == "cert-eap-rsa") return bound["rsa2048_sign"]
  if (c == "cert-eap-ecdsa") return bound["ecdsa_p256_sign"]
  return 0
}
function bound_for(c) {
  if (c == "cert-eap-rsa") return bound["rsa_sa"]
  if (c == "cert-eap-ecdsa") return bound["ecdsa_sa"]
  return bound["x25519_sa"]
}
/^CRYPTO_BOUND / {
  n = split($0, kv, " ")
  for (i = 2; i <= n; i++) { split(kv[i], p, "="); bound[p[1]] = p[2] }
  crypto_line = $0
}
/^CEILING / { ceiling = field($0, "per_wall"); ceiling_gen = field($0, "gen_ceiling") }
/^RUN / {
  key = field($0, "case") "|" field($0, "gw")
  if (!(key in seen)) { seen[key] = 1; order[++norder] = key }
  cpu[key] = cpu[key] " " field($0, "per_gw_cpu")
  wall[key] = wall[key] " " field($0, "per_wall")
  gen[key] = gen[key] " " field($0, "gen_ceiling")
  lost[key] += field($0, "failed") + field($0, "timeouts")
  drops[key] += field($0, "rcvbuf_drops")
  child[key] = field($0, "child_ok") + 0 > 0 ? "installed" : (field($0, "child_refused") + 0 > 0 ? "refused" : "-")
  runs[key]++
}
/^MEM / {
  k = field($0, "case") "|" field($0, "gw") "|" field($0, "n")
  ok = field($0, "ok") + 0; d = field($0, "rss_after_kib") - field($0, "rss_before_kib")  # numbers, not strings: "10891" < "100000" is false as text
  mem[k] = ok > 0 ? sprintf("%.2f", d / ok) : "-"
  if (ok > 0 && ok < field($0, "n") + 0) mem[k] = mem[k] sprintf(" (%d made in %ds)", ok, field($0, "wall_s"))
  fill[k] = field($0, "per_gw_cpu")
  memkeys[field($0, "case") "|" field($0, "gw")] = 1
  memn[field($0, "n")] = 1
}
/^MEMIN / {
  k = field($0, "kind") "|" field($0, "count")
  memin[k] = field($0, "bytes_per_sa") != "" ? sprintf("%.2f", field($0, "bytes_per_sa") / 1024) : "-"
  if (field($0, "ok") + 0 < field($0, "count") + 0) memin[k] = memin[k] sprintf(" (%d made in %ds)", field($0, "ok"), field($0, "seconds"))
  else memin[k] = memin[k] sprintf(" (%ds)", field($0, "seconds"))
  meminn[field($0, "count")] = 1
}
/^XFRM_INSTALLS / { xfrm[field($0, "via")] = field($0, "per_second") }
/^STORM / {
  storm[field($0, "gw")] = $0
}
END {
  memorder[1] = "half-open|ikev2d"; memorder[2] = "half-open|charon"
  memorder[3] = "established|ikev2d"; memorder[4] = "established|charon"
  print "Handshakes (one core each for gateway and generator; min / median / max over the runs):"
  print ""
  print "| case | gateway | per gateway CPU-second | per wall second | crypto bound per CPU-s (DH, + signature for cert-eap) | median / bound | signature alone per CPU-s | median / signature alone | generator ceiling per its CPU-s | lost | socket drops | Child SA |"
  print "|---|---|---|---|---|---|---|---|---|---|---|---|"
  for (i = 1; i <= norder; i++) {
    key = order[i]; split(key, kc, "|")
    b = bound_for(kc[1]); sb = signature_alone(kc[1])
    printf "| %s | %s | %s | %s | %d | %.0f%% | %s | %s | %d | %d | %d | %s |\n", kc[1], kc[2], sorted_stats(cpu[key]), sorted_stats(wall[key]),
      b, (b > 0 ? 100 * median(cpu[key]) / b : 0), (sb > 0 ? sprintf("%d", sb) : "-"),
      (sb > 0 ? sprintf("%.0f%%", 100 * median(cpu[key]) / sb) : "-"), median(gen[key]), lost[key], drops[key], child[key]
  }
  print ""
  print "The cert-eap bound is what such a handshake must compute: an X25519 key pair and shared secret and one signature; \"signature alone\" leaves the DH out (a higher, unreachable bound, shown for comparison)."
  print ""
  if (ceiling != "")
    printf "Generator ceiling against a responder without crypto (mode init): %d IKE_SA_INIT/s per wall second (%d per generator CPU-second).\n\n", ceiling, ceiling_gen
  if (crypto_line != "") {
    printf "Crypto bound, operations per CPU-second: X25519 keygen %d, X25519 shared secret %d, P-256 keygen %d, P-256 shared secret %d, RSA-2048 sign %d, ECDSA P-256 sign %d; per handshake: X25519 pair %d, P-256 pair %d, X25519 + RSA sign %d, X25519 + ECDSA sign %d.\n\n",
      bound["x25519_mul_g"], bound["x25519_mul"], bound["p256_mul_g"], bound["p256_mul"], bound["rsa2048_sign"],
      bound["ecdsa_p256_sign"], bound["x25519_sa"], bound["p256_sa"], bound["rsa_sa"], bound["ecdsa_sa"]
  }
  nm = 0; for (n in memn) ns[++nm] = n + 0
  for (i = 2; i <= nm; i++) { t = ns[i]; for (j = i - 1; j >= 1 && ns[j] > t; j--) ns[j + 1] = ns[j]; ns[j + 1] = t }
  if (nm > 0) {
    print "Resident memory per SA over UDP, KiB (VmRSS growth / SAs):"
    print ""
    hdr = "| what | gateway |"; sep = "|---|---|"
    for (i = 1; i <= nm; i++) { hdr = hdr " " ns[i] " |"; sep = sep "---|" }
    print hdr; print sep
    for (q = 1; q <= 4; q++) {
      k = memorder[q]; if (!(k in memkeys)) continue
      split(k, kc, "|")
      row = "| " kc[1] " | " kc[2] " |"
      for (i = 1; i <= nm; i++) row = row " " ((k "|" ns[i]) in mem ? mem[k "|" ns[i]] : "-") " |"
      print row
    }
    print ""
    print "SAs per gateway CPU-second while those SAs were made (it should not fall as the gateway fills):"
    print ""
    print hdr; print sep
    for (q = 1; q <= 4; q++) {
      k = memorder[q]; if (!(k in memkeys)) continue
      split(k, kc, "|")
      row = "| " kc[1] " | " kc[2] " |"
      for (i = 1; i <= nm; i++) row = row " " ((k "|" ns[i]) in fill ? fill[k "|" ns[i]] : "-") " |"
      print row
    }
    print ""
  }
  nm = 0; delete ns; for (n in meminn) ns[++nm] = n + 0
  for (i = 2; i <= nm; i++) { t = ns[i]; for (j = i - 1; j >= 1 && ns[j] > t; j--) ns[j + 1] = ns[j]; ns[j + 1] = t }
  if (nm > 0) {
    print "Resident memory per SA of ikev2d's gateway code in process (fake kernel), KiB:"
    print ""
    hdr = "| what |"; sep = "|---|"
    for (i = 1; i <= nm; i++) { hdr = hdr " " ns[i] " |"; sep = sep "---|" }
    print hdr; print sep
    split("half-open established", kinds, " ")
    for (q = 1; q <= 2; q++) {
      row = "| " kinds[q] (kinds[q] == "established" ? " (IKE SA + Child SA + lease)" : "") " |"
      for (i = 1; i <= nm; i++) row = row " " ((kinds[q] "|" ns[i]) in memin ? memin[kinds[q] "|" ns[i]] : "-") " |"
      print row
    }
    print ""
  }
  if (("ikev2d" in xfrm) && ("ip-batch" in xfrm))
    printf "XFRM installs in the qemu guest (TCG; one session = inbound SPI, 2 ESP SAs, 3 policies): ikev2d's XfrmKernel %s sessions/s, ip -batch of the same %s sessions/s, ratio %.2f.\n\n", xfrm["ikev2d"], xfrm["ip-batch"], (xfrm["ip-batch"] > 0 ? xfrm["ikev2d"] / xfrm["ip-batch"] : 0)
  have_storm = 0; for (g in storm) have_storm = 1
  if (have_storm) {
    print "Reconnect storm (all clients at once against a freshly started gateway, mode psk):"
    print ""
    print "| gateway | clients | all up after (s) | N / crypto bound (s) | ratio | lost | retransmits | socket drops |"
    print "|---|---|---|---|---|---|---|---|"
    for (g in storm) {
      s = storm[g]; n = field(s, "n"); w = field(s, "wall_s"); ideal = (bound["x25519_sa"] > 0 ? n / bound["x25519_sa"] : 0)
      printf "| %s | %d | %.2f | %.2f | %.1f | %d | %d | %d |\n", g, n, w, ideal, (ideal > 0 ? w / ideal : 0),
        field(s, "failed") + field(s, "timeouts"), field(s, "retransmits"), field(s, "rcvbuf_drops")
    }
    print ""
  }
}
