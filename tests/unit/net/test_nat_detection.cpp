#include <catch2/catch.hpp>

#include "net/nat_detection.hpp"

using namespace ikev2d;
using namespace ikev2d::net;

// RFC 7296 2.23: SHA-1(SPIi | SPIr | IP | Port), network byte order. The expected values
// were computed independently with Python:
//   import hashlib, struct, socket
//   def h(si, sr, ip, port, fam=socket.AF_INET):
//       return hashlib.sha1(struct.pack('>QQ', si, sr) + socket.inet_pton(fam, ip)
//                           + struct.pack('>H', port)).hexdigest()

TEST_CASE("NAT detection hash, IKE_SA_INIT request (SPIr = 0), seed's client", "[net][nat]") {
    // The seed's first message: InitSPI=0x58aff71141ba436b from 192.168.1.1:25170.
    // h(0x58aff71141ba436b, 0, '192.168.1.1', 25170)
    auto hash = nat_detection_hash(0x58aff71141ba436bULL, 0, {IpAddress::from_string("192.168.1.1"), 25170});
    CHECK(to_hex(hash) == "20f6f3e86efd4162ef352e40c52aa17cd3bcd4d7");
}

TEST_CASE("NAT detection hash with both SPIs, the seed's gateway", "[net][nat]") {
    // h(0x58aff71141ba436b, 0xfc696330e6b94d7f, '10.0.0.1', 500)
    auto hash = nat_detection_hash(0x58aff71141ba436bULL, 0xfc696330e6b94d7fULL, {IpAddress::from_string("10.0.0.1"), 500});
    CHECK(to_hex(hash) == "f76e6b4e7f70dd9405c5015e6e0efb41d329f4ac");
}

TEST_CASE("NAT detection hash over an IPv6 endpoint", "[net][nat]") {
    // h(0x0102030405060708, 0x1112131415161718, '2001:db8::1', 4500, socket.AF_INET6)
    auto hash = nat_detection_hash(0x0102030405060708ULL, 0x1112131415161718ULL,
                                   {IpAddress::from_string("2001:db8::1"), 4500});
    CHECK(to_hex(hash) == "1ee24423bf8f59515e0265c6d0f08be3d038f7e5");
}

TEST_CASE("NAT detection hash changes with the port (a NAT rewrote it)", "[net][nat]") {
    Endpoint a{IpAddress::from_string("10.0.0.1"), 500};
    Endpoint b{IpAddress::from_string("10.0.0.1"), 501};
    CHECK(nat_detection_hash(1, 2, a) != nat_detection_hash(1, 2, b));
    CHECK(nat_detection_hash(1, 2, a).size() == 20);
}
