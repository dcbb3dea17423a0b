// IKE_SA_INIT messages hand-assembled from the field listing in the seed
// (shared/seed: the ASA's IKEv2-PROTO-4 debug of the AnyConnect session
// 58AFF71141BA436B / FC696330E6B94D7F). Where the seed prints the bytes (KE value,
// nonces) they are copied; what it only describes is filled in as noted.
#pragma once

#include <string>

#include "util/bytes.hpp"
#include "wire_test_util.hpp"

namespace ikev2d::wire::test {

inline std::string ascii_hex(std::string_view s) { return to_hex(as_bytes(s)); }

// The ASA's IKE_SA_INIT response, 386 bytes as in the seed ("메시지 ID: 0x0, 길이: 386").
inline Bytes seed_sa_init_response() {
    // SA (48): proposal 1, IKE, 4 transforms: AES-CBC (key size 192, from "show crypto
    // ikev2 sa detail": "Encr: AES-CBC, keysize: 192"), PRF SHA1, INTEG SHA96, group 1.
    const std::string sa = payload(34, proposal(0, 1, 1, "", 4,
                                                transform(3, 1, 12, "800e00c0") + transform(3, 2, 2) +
                                                    transform(3, 3, 2) + transform(0, 4, 1)));
    // KE (104): group 1, the 96 bytes the seed prints.
    const std::string ke = payload(40, "00010000"
                                       "c930f932d47cd1a75b7172096e7e910ce1ceb4a43cf28b744e2059b40ba1ff65"
                                       "3788ccc4a4b6fa4a63039389e17ebd6a649a3824e2a840f5a3d6eff71adf33cc"
                                       "a18efadc9c3445791a7c2905878aac02982e7dcb4151d6fefcc776831d03b0d7");
    // Nonce (24): the 20 bytes the seed prints.
    const std::string nonce = payload(43, "c2287f8c7db31e51fcebf197ec97b867d5e7c2f5");
    // VIDs the ASA builds: DELETE-REASON (23, as in the seed), then two "(CUSTOM)" ones;
    // their lengths must add up to 83 for the total of 386: the Cisco copyright VID (59)
    // and a 20-byte one (assumed CISCO-ANYCONNECT-EAP, shared/protocol).
    const std::string vids = payload(43, ascii_hex("CISCO-DELETE-REASON")) +
                             payload(43, ascii_hex("CISCO(COPYRIGHT)&Copyright (c) 2009 Cisco Systems, Inc.")) +
                             payload(41, ascii_hex("CISCO-ANYCONNECT-EAP"));
    // NAT detection (RFC 7296 2.23): SHA1(SPIi | SPIr | IP | port) for the ASA's
    // 10.0.0.1:500 and the client's 192.168.1.1:25170, computed outside this project.
    const std::string nat = payload(41, "00004004" "f76e6b4e7f70dd9405c5015e6e0efb41d329f4ac") +
                            payload(43, "00004005" "f279b1df8d545c58b94caf8098dd0820c44fd59c");
    // FRAGMENTATION VID: MD5("FRAGMENTATION") (shared/protocol).
    const std::string frag = payload(0, "4048b7d56ebce88525e7de7f00d6c2d3");
    Bytes b = from_hex("58aff71141ba436b" "fc696330e6b94d7f" "21" "20" "22" "20" "00000000" "00000182" + sa + ke +
                       nonce + vids + nat + frag);
    return b;
}

// The client's 18-transform IKE proposal from the IKE_SA_INIT request (SA length 168,
// proposal length 164 in the seed). The three AES-CBC key sizes are not printed; 256,
// 192, 128 is AnyConnect's usual order.
inline std::string seed_client_sa_payload(unsigned next) {
    std::string t = transform(3, 1, 12, "800e0100") + transform(3, 1, 12, "800e00c0") +
                    transform(3, 1, 12, "800e0080") + transform(3, 1, 3) + transform(3, 1, 2);
    for (unsigned prf : {7, 6, 5, 2, 1}) t += transform(3, 2, prf);
    for (unsigned integ : {14, 13, 12, 2, 1}) t += transform(3, 3, integ);
    t += transform(3, 4, 5) + transform(3, 4, 2) + transform(0, 4, 1);
    return payload(next, proposal(0, 1, 1, "", 18, t));
}

}  // namespace ikev2d::wire::test
