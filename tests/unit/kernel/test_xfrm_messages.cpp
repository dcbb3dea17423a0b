// XFRM request construction and reply parsing, checked byte for byte against the
// linux/xfrm.h layouts without a socket.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <linux/xfrm.h>

#include <cerrno>
#include <string>

#include "kernel/ownership.hpp"
#include "kernel/xfrm_algorithms.hpp"
#include "kernel/xfrm_messages.hpp"
#include "nl_inspect.hpp"

using namespace ikev2d;
using namespace ikev2d::kernel;
using ikev2d::kernel::test::attr_payload;
using ikev2d::kernel::test::attrs_of;
using ikev2d::kernel::test::fixed_struct;

namespace {

IpAddress ip(const char* text) { return IpAddress::from_string(text); }

SecureBytes key_of(std::size_t size, std::uint8_t first) {
    SecureBytes key(size);
    for (std::size_t i = 0; i < size; ++i) key[i] = static_cast<std::uint8_t>(first + i);
    return key;
}

SaConfig gcm_sa() {
    SaConfig sa;
    sa.src = ip("198.51.100.7");
    sa.dst = ip("203.0.113.1");
    sa.spi = 0xc1234567;
    sa.reqid = 42;
    sa.inbound = true;
    sa.encr = iana::EncrId::AES_GCM_16;
    sa.encr_key_bits = 128;
    sa.encr_key = key_of(16 + 4, 0x10);  // key + 4-byte salt (RFC 4106 8.1)
    sa.selector = {ip("10.2.2.5"), 32, ip("0.0.0.0"), 0};
    return sa;
}

SaConfig cbc_sha256_sa() {
    SaConfig sa = gcm_sa();
    sa.inbound = false;
    sa.encr = iana::EncrId::AES_CBC;
    sa.encr_key_bits = 256;
    sa.encr_key = key_of(32, 0x40);
    sa.integ = iana::IntegId::HMAC_SHA2_256_128;
    sa.integ_key = key_of(32, 0x80);
    return sa;
}

bool bytes_equal(const void* data, const SecureBytes& expected) {
    return std::memcmp(data, expected.data(), expected.size()) == 0;
}

int error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const KernelError& e) {
        return e.err;
    }
    return 0;
}

}  // namespace

TEST_CASE("algorithm table maps IANA ids to the kernel's names", "[kernel][xfrm]") {
    CHECK(kernel_cipher(iana::EncrId::AES_CBC)->name == "cbc(aes)");
    CHECK(kernel_cipher(iana::EncrId::TRIPLE_DES)->name == "cbc(des3_ede)");
    const auto gcm = kernel_cipher(iana::EncrId::AES_GCM_16);
    CHECK(gcm->name == "rfc4106(gcm(aes))");
    CHECK(gcm->aead);
    CHECK(gcm->icv_bits == 128);
    CHECK(gcm->salt_bytes == 4);
    CHECK(kernel_cipher(iana::EncrId::AES_GCM_8)->icv_bits == 64);
    const auto chacha = kernel_cipher(iana::EncrId::CHACHA20_POLY1305);
    CHECK(chacha->name == "rfc7539esp(chacha20,poly1305)");
    CHECK(chacha->icv_bits == 128);
    CHECK_FALSE(kernel_cipher(iana::EncrId::DES).has_value());

    CHECK(kernel_integrity(iana::IntegId::HMAC_SHA1_96)->name == "hmac(sha1)");
    CHECK(kernel_integrity(iana::IntegId::HMAC_SHA1_96)->trunc_bits == 96);
    CHECK(kernel_integrity(iana::IntegId::HMAC_SHA2_256_128)->name == "hmac(sha256)");
    CHECK(kernel_integrity(iana::IntegId::HMAC_SHA2_256_128)->trunc_bits == 128);
    CHECK(kernel_integrity(iana::IntegId::HMAC_SHA2_384_192)->trunc_bits == 192);
    CHECK(kernel_integrity(iana::IntegId::HMAC_SHA2_512_256)->name == "hmac(sha512)");
    CHECK(kernel_integrity(iana::IntegId::HMAC_SHA2_512_256)->trunc_bits == 256);
    CHECK_FALSE(kernel_integrity(iana::IntegId::NONE).has_value());
}

TEST_CASE("NEWSA for AES-GCM-16 carries XFRMA_ALG_AEAD with key+salt and a 128-bit ICV", "[kernel][xfrm]") {
    const SaConfig sa = gcm_sa();
    const NlMessage msg = xfrm::new_sa(sa, false);
    REQUIRE(msg.type() == XFRM_MSG_NEWSA);
    CHECK((msg.header()->nlmsg_flags & (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL)) ==
          (NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL));

    const auto& info = fixed_struct<xfrm_usersa_info>(msg);
    CHECK(info.id.spi == htonl(0xc1234567));
    CHECK(info.id.proto == IPPROTO_ESP);
    CHECK(info.family == AF_INET);
    CHECK(info.mode == XFRM_MODE_TUNNEL);
    CHECK(info.reqid == (kOwnReqidBand | 42));
    CHECK(info.replay_window == 32);
    CHECK(info.flags == 0);
    CHECK(std::memcmp(&info.id.daddr, ip("203.0.113.1").bytes.data(), 4) == 0);
    CHECK(std::memcmp(&info.saddr, ip("198.51.100.7").bytes.data(), 4) == 0);
    // Selector: the inner traffic, here client 10.2.2.5 to anywhere.
    CHECK(info.sel.family == AF_INET);
    CHECK(info.sel.prefixlen_s == 32);
    CHECK(info.sel.prefixlen_d == 0);
    CHECK(std::memcmp(&info.sel.saddr, ip("10.2.2.5").bytes.data(), 4) == 0);
    CHECK(info.sel.sport_mask == 0);
    // 0 = unlimited -> XFRM_INF
    CHECK(info.lft.soft_byte_limit == XFRM_INF);
    CHECK(info.lft.hard_packet_limit == XFRM_INF);
    CHECK(info.lft.hard_add_expires_seconds == 0);

    const auto* aead = attr_payload<xfrm_algo_aead>(msg, sizeof(xfrm_usersa_info), XFRMA_ALG_AEAD);
    REQUIRE(aead != nullptr);
    CHECK(std::string(aead->alg_name) == "rfc4106(gcm(aes))");
    CHECK(aead->alg_key_len == 160);  // the kernel counts the salt in the key
    CHECK(aead->alg_icv_len == 128);
    CHECK(bytes_equal(aead->alg_key, sa.encr_key));
    CHECK(attrs_of(msg, sizeof(xfrm_usersa_info), XFRMA_ALG_CRYPT).empty());
    CHECK(attrs_of(msg, sizeof(xfrm_usersa_info), XFRMA_ALG_AUTH_TRUNC).empty());
    CHECK(attrs_of(msg, sizeof(xfrm_usersa_info), XFRMA_ENCAP).empty());
    CHECK(attrs_of(msg, sizeof(xfrm_usersa_info), XFRMA_REPLAY_ESN_VAL).empty());
}

TEST_CASE("NEWSA for AES-CBC + HMAC-SHA2-256-128 uses ALG_CRYPT and AUTH_TRUNC 128", "[kernel][xfrm]") {
    SaConfig sa = cbc_sha256_sa();
    sa.soft_bytes = 1000000;
    sa.hard_bytes = 2000000;
    sa.soft_seconds = 3000;
    sa.hard_seconds = 3600;
    const NlMessage msg = xfrm::new_sa(sa, false);
    const auto& info = fixed_struct<xfrm_usersa_info>(msg);
    CHECK(info.lft.soft_byte_limit == 1000000);
    CHECK(info.lft.hard_byte_limit == 2000000);
    CHECK(info.lft.soft_add_expires_seconds == 3000);
    CHECK(info.lft.hard_add_expires_seconds == 3600);
    CHECK(info.lft.soft_packet_limit == XFRM_INF);

    const auto* crypt = attr_payload<xfrm_algo>(msg, sizeof(xfrm_usersa_info), XFRMA_ALG_CRYPT);
    REQUIRE(crypt != nullptr);
    CHECK(std::string(crypt->alg_name) == "cbc(aes)");
    CHECK(crypt->alg_key_len == 256);
    CHECK(bytes_equal(crypt->alg_key, sa.encr_key));
    const auto* auth = attr_payload<xfrm_algo_auth>(msg, sizeof(xfrm_usersa_info), XFRMA_ALG_AUTH_TRUNC);
    REQUIRE(auth != nullptr);
    CHECK(std::string(auth->alg_name) == "hmac(sha256)");
    CHECK(auth->alg_key_len == 256);
    CHECK(auth->alg_trunc_len == 128);
    CHECK(bytes_equal(auth->alg_key, sa.integ_key));
    CHECK(attrs_of(msg, sizeof(xfrm_usersa_info), XFRMA_ALG_AEAD).empty());
}

TEST_CASE("HMAC-SHA1-96 and 3DES", "[kernel][xfrm]") {
    SaConfig sa = cbc_sha256_sa();
    sa.encr = iana::EncrId::TRIPLE_DES;
    sa.encr_key_bits = 192;
    sa.encr_key = key_of(24, 1);
    sa.integ = iana::IntegId::HMAC_SHA1_96;
    sa.integ_key = key_of(20, 2);
    const NlMessage msg = xfrm::new_sa(sa, false);
    const auto* crypt = attr_payload<xfrm_algo>(msg, sizeof(xfrm_usersa_info), XFRMA_ALG_CRYPT);
    REQUIRE(crypt != nullptr);
    CHECK(std::string(crypt->alg_name) == "cbc(des3_ede)");
    const auto* auth = attr_payload<xfrm_algo_auth>(msg, sizeof(xfrm_usersa_info), XFRMA_ALG_AUTH_TRUNC);
    REQUIRE(auth != nullptr);
    CHECK(std::string(auth->alg_name) == "hmac(sha1)");
    CHECK(auth->alg_key_len == 160);
    CHECK(auth->alg_trunc_len == 96);
}

TEST_CASE("ChaCha20-Poly1305 takes a 256-bit key plus 4-byte salt", "[kernel][xfrm]") {
    SaConfig sa = gcm_sa();
    sa.encr = iana::EncrId::CHACHA20_POLY1305;
    sa.encr_key_bits = 256;
    sa.encr_key = key_of(36, 3);
    const NlMessage msg = xfrm::new_sa(sa, false);
    const auto* aead = attr_payload<xfrm_algo_aead>(msg, sizeof(xfrm_usersa_info), XFRMA_ALG_AEAD);
    REQUIRE(aead != nullptr);
    CHECK(std::string(aead->alg_name) == "rfc7539esp(chacha20,poly1305)");
    CHECK(aead->alg_key_len == 288);
    CHECK(aead->alg_icv_len == 128);

    // IKEv2 carries no Key Length attribute for ChaCha20 (RFC 7634 2): 0 means 256.
    sa.encr_key_bits = 0;
    const NlMessage no_length = xfrm::new_sa(sa, false);
    const auto* aead0 = attr_payload<xfrm_algo_aead>(no_length, sizeof(xfrm_usersa_info), XFRMA_ALG_AEAD);
    REQUIRE(aead0 != nullptr);
    CHECK(aead0->alg_key_len == 288);
    sa.encr_key_bits = 128;
    CHECK(error_of([&] { xfrm::new_sa(sa, false); }) == EINVAL);
}

TEST_CASE("3DES without a Key Length attribute means its fixed 192 bits", "[kernel][xfrm]") {
    SaConfig sa = cbc_sha256_sa();
    sa.encr = iana::EncrId::TRIPLE_DES;
    sa.encr_key_bits = 0;
    sa.encr_key = key_of(24, 1);
    const NlMessage msg = xfrm::new_sa(sa, false);
    const auto* crypt = attr_payload<xfrm_algo>(msg, sizeof(xfrm_usersa_info), XFRMA_ALG_CRYPT);
    REQUIRE(crypt != nullptr);
    CHECK(crypt->alg_key_len == 192);
}

TEST_CASE("AES needs a key length of 128, 192 or 256", "[kernel][xfrm]") {
    SaConfig sa = gcm_sa();
    sa.encr_key_bits = 0;
    sa.encr_key = key_of(4, 0);
    CHECK(error_of([&] { xfrm::new_sa(sa, false); }) == EINVAL);
    sa.encr_key_bits = 160;
    sa.encr_key = key_of(24, 0);
    CHECK(error_of([&] { xfrm::new_sa(sa, false); }) == EINVAL);
}

TEST_CASE("ESN sets XFRM_STATE_ESN and the replay state moves to XFRMA_REPLAY_ESN_VAL", "[kernel][xfrm]") {
    SaConfig sa = gcm_sa();
    sa.esn = true;
    sa.replay_window = 128;
    const NlMessage msg = xfrm::new_sa(sa, false);
    const auto& info = fixed_struct<xfrm_usersa_info>(msg);
    CHECK((info.flags & XFRM_STATE_ESN) != 0);
    CHECK(info.replay_window == 0);  // the kernel refuses both forms at once
    const auto* esn = attr_payload<xfrm_replay_state_esn>(msg, sizeof(xfrm_usersa_info), XFRMA_REPLAY_ESN_VAL);
    REQUIRE(esn != nullptr);
    CHECK(esn->replay_window == 128);
    CHECK(esn->bmp_len == 4);
    const auto attr = attrs_of(msg, sizeof(xfrm_usersa_info), XFRMA_REPLAY_ESN_VAL);
    CHECK(mnl_attr_get_payload_len(attr[0]) == sizeof(xfrm_replay_state_esn) + 4 * sizeof(std::uint32_t));
}

TEST_CASE("a replay window above 32 without ESN also needs the bitmap form", "[kernel][xfrm]") {
    SaConfig sa = gcm_sa();
    sa.replay_window = 64;
    const NlMessage msg = xfrm::new_sa(sa, false);
    CHECK((fixed_struct<xfrm_usersa_info>(msg).flags & XFRM_STATE_ESN) == 0);
    CHECK(fixed_struct<xfrm_usersa_info>(msg).replay_window == 0);
    const auto* esn = attr_payload<xfrm_replay_state_esn>(msg, sizeof(xfrm_usersa_info), XFRMA_REPLAY_ESN_VAL);
    REQUIRE(esn != nullptr);
    CHECK(esn->bmp_len == 2);
}

TEST_CASE("NAT-T adds XFRMA_ENCAP ESPINUDP with ports in network order and no OA", "[kernel][xfrm]") {
    SaConfig sa = gcm_sa();
    sa.natt_ports = std::make_pair<std::uint16_t, std::uint16_t>(4500, 61234);
    const NlMessage msg = xfrm::new_sa(sa, false);
    const auto* encap = attr_payload<xfrm_encap_tmpl>(msg, sizeof(xfrm_usersa_info), XFRMA_ENCAP);
    REQUIRE(encap != nullptr);
    CHECK(encap->encap_type == 2);  // UDP_ENCAP_ESPINUDP (RFC 3948)
    CHECK(encap->encap_sport == htons(4500));
    CHECK(encap->encap_dport == htons(61234));
    const xfrm_address_t zero{};
    CHECK(std::memcmp(&encap->encap_oa, &zero, sizeof zero) == 0);
}

TEST_CASE("UPDSA completes a larval SA without CREATE|EXCL", "[kernel][xfrm]") {
    const NlMessage msg = xfrm::new_sa(gcm_sa(), true);
    CHECK(msg.type() == XFRM_MSG_UPDSA);
    CHECK((msg.header()->nlmsg_flags & (NLM_F_CREATE | NLM_F_EXCL)) == 0);
    CHECK((msg.header()->nlmsg_flags & NLM_F_ACK) != 0);
}

TEST_CASE("IPv6 SA addresses fill all 16 bytes", "[kernel][xfrm]") {
    SaConfig sa = gcm_sa();
    sa.src = ip("2001:db8::7");
    sa.dst = ip("2001:db8::1");
    sa.selector = {ip("2001:db8:2::5"), 128, ip("::"), 0};
    const NlMessage msg = xfrm::new_sa(sa, false);
    const auto& info = fixed_struct<xfrm_usersa_info>(msg);
    CHECK(info.family == AF_INET6);
    CHECK(std::memcmp(&info.id.daddr, ip("2001:db8::1").bytes.data(), 16) == 0);
    CHECK(std::memcmp(&info.saddr, ip("2001:db8::7").bytes.data(), 16) == 0);
    CHECK(info.sel.family == AF_INET6);
    CHECK(info.sel.prefixlen_s == 128);
}

// A tunnel-mode SA's inner mode follows its selector's family: an SA without one must say
// AF_UNSPEC (XFRM_STATE_AF_UNSPEC, as strongSwan) so that it carries both families over an
// outer address of either family; one with a selector may be IPv4 inside IPv6.
TEST_CASE("tunnel SAs over IPv6: no selector = both inner families, or IPv4 inside", "[kernel][xfrm]") {
    SaConfig sa = gcm_sa();
    sa.src = ip("2001:db8:0:1::11");
    sa.dst = ip("2001:db8:0:1::1");
    sa.selector.reset();  // a dual-stack Child SA
    {
        const NlMessage msg = xfrm::new_sa(sa, false);
        const auto& info = fixed_struct<xfrm_usersa_info>(msg);
        CHECK(info.family == AF_INET6);  // the outer family
        CHECK((info.flags & XFRM_STATE_AF_UNSPEC) != 0);
        CHECK(info.sel.family == AF_UNSPEC);
        // The same for UPDSA, which completes the larval SA of an inbound SPI.
        CHECK((fixed_struct<xfrm_usersa_info>(xfrm::new_sa(sa, true)).flags & XFRM_STATE_AF_UNSPEC) != 0);
    }
    sa.selector = Selector{ip("10.2.2.5"), 32, ip("0.0.0.0"), 0};  // IPv4 inside IPv6
    const NlMessage msg = xfrm::new_sa(sa, false);
    const auto& info = fixed_struct<xfrm_usersa_info>(msg);
    CHECK(info.family == AF_INET6);
    CHECK(info.sel.family == AF_INET);
    CHECK(info.sel.prefixlen_s == 32);
    CHECK((info.flags & XFRM_STATE_AF_UNSPEC) == 0);
}

TEST_CASE("an SA without a selector carries any inner traffic (dual stack)", "[kernel][xfrm]") {
    SaConfig sa = gcm_sa();
    sa.selector.reset();
    const NlMessage msg = xfrm::new_sa(sa, false);
    const auto& info = fixed_struct<xfrm_usersa_info>(msg);
    CHECK(info.family == AF_INET);  // the outer family
    CHECK(info.sel.family == AF_UNSPEC);
    CHECK(info.sel.prefixlen_s == 0);
    CHECK(info.sel.prefixlen_d == 0);
    const xfrm_address_t zero{};
    CHECK(std::memcmp(&info.sel.saddr, &zero, sizeof zero) == 0);
}

TEST_CASE("invalid SAs are refused before reaching the kernel", "[kernel][xfrm]") {
    SECTION("GCM key without its salt") {
        SaConfig sa = gcm_sa();
        sa.encr_key = key_of(16, 0);
        CHECK(error_of([&] { xfrm::new_sa(sa, false); }) == EINVAL);
    }
    SECTION("AEAD plus a separate integrity algorithm") {
        SaConfig sa = gcm_sa();
        sa.integ = iana::IntegId::HMAC_SHA2_256_128;
        sa.integ_key = key_of(32, 0);
        CHECK(error_of([&] { xfrm::new_sa(sa, false); }) == EINVAL);
    }
    SECTION("CBC without integrity") {
        SaConfig sa = cbc_sha256_sa();
        sa.integ = iana::IntegId::NONE;
        CHECK(error_of([&] { xfrm::new_sa(sa, false); }) == EINVAL);
    }
    SECTION("integrity key of the wrong size") {
        SaConfig sa = cbc_sha256_sa();
        sa.integ_key = key_of(20, 0);
        CHECK(error_of([&] { xfrm::new_sa(sa, false); }) == EINVAL);
    }
    SECTION("reserved SPI") {
        SaConfig sa = gcm_sa();
        sa.spi = 255;
        CHECK(error_of([&] { xfrm::new_sa(sa, false); }) == EINVAL);
    }
    SECTION("mixed address families") {
        SaConfig sa = gcm_sa();
        sa.dst = ip("2001:db8::1");
        CHECK(error_of([&] { xfrm::new_sa(sa, false); }) == EINVAL);
    }
    SECTION("reqid outside the band's size") {
        SaConfig sa = gcm_sa();
        sa.reqid = 0x01000000;
        CHECK(error_of([&] { xfrm::new_sa(sa, false); }) == EINVAL);
    }
    SECTION("unsupported cipher") {
        SaConfig sa = cbc_sha256_sa();
        sa.encr = iana::EncrId::DES;
        sa.encr_key_bits = 64;
        sa.encr_key = key_of(8, 0);
        CHECK(error_of([&] { xfrm::new_sa(sa, false); }) == EINVAL);
    }
    SECTION("the error names the operation and SPI") {
        SaConfig sa = gcm_sa();
        sa.encr_key = key_of(3, 0);
        try {
            xfrm::new_sa(sa, false);
            FAIL("no exception");
        } catch (const KernelError& e) {
            CHECK_THAT(e.what(), Catch::Contains("XFRM_MSG_NEWSA spi 0xc1234567"));
            CHECK_THAT(e.what(), Catch::Contains("Invalid argument"));
        }
    }
}

TEST_CASE("NEWPOLICY: selector, direction, tunnel template with our reqid", "[kernel][xfrm]") {
    PolicyConfig policy;
    policy.selector = {ip("10.2.2.0"), 24, ip("192.168.1.0"), 24, IPPROTO_TCP, 0, 443};
    policy.dir = PolicyConfig::Dir::Fwd;
    policy.tmpl_src = ip("198.51.100.7");
    policy.tmpl_dst = ip("203.0.113.1");
    policy.reqid = 7;
    policy.priority = 2000;
    const NlMessage msg = xfrm::new_policy(policy);
    REQUIRE(msg.type() == XFRM_MSG_NEWPOLICY);
    const auto& info = fixed_struct<xfrm_userpolicy_info>(msg);
    CHECK(info.dir == XFRM_POLICY_FWD);
    CHECK(info.action == XFRM_POLICY_ALLOW);
    CHECK(info.priority == 2000);
    CHECK(info.lft.hard_byte_limit == XFRM_INF);
    CHECK(info.sel.prefixlen_s == 24);
    CHECK(info.sel.prefixlen_d == 24);
    CHECK(info.sel.proto == IPPROTO_TCP);
    CHECK(info.sel.dport == htons(443));
    CHECK(info.sel.dport_mask == 0xffff);
    CHECK(info.sel.sport_mask == 0);
    const auto* tmpl = attr_payload<xfrm_user_tmpl>(msg, sizeof(xfrm_userpolicy_info), XFRMA_TMPL);
    REQUIRE(tmpl != nullptr);
    CHECK(tmpl->reqid == (kOwnReqidBand | 7));
    CHECK(tmpl->mode == XFRM_MODE_TUNNEL);
    CHECK(tmpl->id.proto == IPPROTO_ESP);
    CHECK(tmpl->family == AF_INET);
    CHECK(std::memcmp(&tmpl->id.daddr, ip("203.0.113.1").bytes.data(), 4) == 0);
    CHECK(std::memcmp(&tmpl->saddr, ip("198.51.100.7").bytes.data(), 4) == 0);
    CHECK(tmpl->ealgos == ~0u);

    policy.selector.src_prefix = 33;
    CHECK(error_of([&] { xfrm::new_policy(policy); }) == EINVAL);
}

TEST_CASE("DELPOLICY, DELSA, GETSA and ALLOCSPI requests", "[kernel][xfrm]") {
    const Selector sel{ip("10.2.2.5"), 32, ip("0.0.0.0"), 0};
    const NlMessage del_policy = xfrm::del_policy(sel, PolicyConfig::Dir::In);
    CHECK(del_policy.type() == XFRM_MSG_DELPOLICY);
    CHECK(fixed_struct<xfrm_userpolicy_id>(del_policy).dir == XFRM_POLICY_IN);
    CHECK(fixed_struct<xfrm_userpolicy_id>(del_policy).sel.prefixlen_s == 32);

    const NlMessage del_sa = xfrm::del_sa(ip("203.0.113.1"), 0xc0000001);
    CHECK(del_sa.type() == XFRM_MSG_DELSA);
    CHECK(fixed_struct<xfrm_usersa_id>(del_sa).spi == htonl(0xc0000001));
    CHECK(fixed_struct<xfrm_usersa_id>(del_sa).proto == IPPROTO_ESP);
    CHECK(fixed_struct<xfrm_usersa_id>(del_sa).family == AF_INET);

    CHECK(xfrm::get_sa(ip("203.0.113.1"), 0xc0000001).type() == XFRM_MSG_GETSA);

    const NlMessage alloc = xfrm::alloc_spi(ip("198.51.100.7"), ip("203.0.113.1"), 9);
    CHECK(alloc.type() == XFRM_MSG_ALLOCSPI);
    const auto& spi = fixed_struct<xfrm_userspi_info>(alloc);
    CHECK(spi.min == xfrm::kSpiMin);
    CHECK(spi.max == xfrm::kSpiMax);
    CHECK(spi.info.reqid == (kOwnReqidBand | 9));
    CHECK(spi.info.id.proto == IPPROTO_ESP);
    CHECK(spi.info.mode == XFRM_MODE_TUNNEL);
}

TEST_CASE("parse_sa reads counters and replay state from a GETSA answer", "[kernel][xfrm]") {
    NlMessage reply(XFRM_MSG_NEWSA, 0);
    auto& info = reply.put_struct<xfrm_usersa_info>();
    info.family = AF_INET;
    std::memcpy(&info.id.daddr, ip("203.0.113.1").bytes.data(), 4);
    std::memcpy(&info.saddr, ip("198.51.100.7").bytes.data(), 4);
    info.id.spi = htonl(0xc0000010);
    info.id.proto = IPPROTO_ESP;
    info.reqid = kOwnReqidBand | 5;
    info.curlft.bytes = 8400;
    info.curlft.packets = 100;
    info.curlft.add_time = 1700000000;
    info.curlft.use_time = 1700000005;
    info.stats.replay_window = 3;
    info.stats.replay = 2;
    info.stats.integrity_failed = 1;
    xfrm_replay_state replay{};
    replay.oseq = 77;
    replay.seq = 99;
    reply.put_attr(XFRMA_REPLAY_VAL, replay);

    const auto sa = xfrm::parse_sa(reply.header());
    REQUIRE(sa.has_value());
    CHECK(sa->dst == ip("203.0.113.1"));
    CHECK(sa->src == ip("198.51.100.7"));
    CHECK(sa->spi == 0xc0000010);
    CHECK(is_own_reqid(sa->kernel_reqid));
    CHECK(to_protocol_reqid(sa->kernel_reqid) == 5);
    CHECK(sa->counters.bytes == 8400);
    CHECK(sa->counters.packets == 100);
    CHECK(sa->counters.add_time == 1700000000);
    CHECK(sa->counters.use_time == 1700000005);
    CHECK(sa->counters.replay_window == 3);
    CHECK(sa->counters.replay_errors == 2);
    CHECK(sa->counters.integrity_errors == 1);
    CHECK(sa->counters.seq == 99);
    CHECK(sa->counters.oseq == 77);
}

TEST_CASE("parse_sa reads ESN replay state and copes with 4-byte aligned messages", "[kernel][xfrm]") {
    NlMessage reply(XFRM_MSG_NEWSA, 0);
    auto& info = reply.put_struct<xfrm_usersa_info>();
    info.family = AF_INET6;
    info.id.spi = htonl(0xc0000011);
    info.id.proto = IPPROTO_ESP;
    info.curlft.packets = 5;
    auto* esn = static_cast<xfrm_replay_state_esn*>(
        reply.put_attr_zeroed(XFRMA_REPLAY_ESN_VAL, sizeof(xfrm_replay_state_esn) + 4 * sizeof(std::uint32_t)));
    esn->bmp_len = 4;
    esn->seq = 1234;
    esn->oseq = 4321;
    esn->replay_window = 128;

    // Netlink delivers messages only 4-byte aligned; xfrm_usersa_info holds __u64s.
    std::vector<std::uint32_t> storage(reply.bytes().size() / 4 + 2);
    auto* shifted = reinterpret_cast<std::uint8_t*>(storage.data()) + 4;
    std::memcpy(shifted, reply.bytes().data(), reply.bytes().size());
    const auto sa = xfrm::parse_sa(reinterpret_cast<const nlmsghdr*>(shifted));
    REQUIRE(sa.has_value());
    CHECK(sa->dst.family == AF_INET6);
    CHECK(sa->spi == 0xc0000011);
    CHECK(sa->counters.packets == 5);
    CHECK(sa->counters.seq == 1234);
    CHECK(sa->counters.oseq == 4321);
}

TEST_CASE("parse_sa refuses short or foreign messages", "[kernel][xfrm]") {
    NlMessage short_reply(XFRM_MSG_NEWSA, 0);
    short_reply.put_struct<xfrm_usersa_id>();  // far shorter than xfrm_usersa_info
    CHECK_FALSE(xfrm::parse_sa(short_reply.header()).has_value());
    NlMessage policy(XFRM_MSG_NEWPOLICY, 0);
    policy.put_struct<xfrm_userpolicy_info>();
    CHECK_FALSE(xfrm::parse_sa(policy.header()).has_value());
}

TEST_CASE("parse_policy lists the template reqids", "[kernel][xfrm]") {
    PolicyConfig config;
    config.selector = {ip("10.2.2.0"), 24, ip("0.0.0.0"), 0};
    config.dir = PolicyConfig::Dir::Out;
    config.tmpl_src = ip("203.0.113.1");
    config.tmpl_dst = ip("198.51.100.7");
    config.reqid = 11;
    NlMessage msg = xfrm::new_policy(config);
    const auto policy = xfrm::parse_policy(msg.header());
    REQUIRE(policy.has_value());
    CHECK(policy->kernel_dir == XFRM_POLICY_OUT);
    CHECK(policy->selector == config.selector);
    REQUIRE(policy->tmpl_kernel_reqids.size() == 1);
    CHECK(policy->tmpl_kernel_reqids[0] == (kOwnReqidBand | 11));
}

TEST_CASE("parse_expire tells soft from hard", "[kernel][xfrm]") {
    NlMessage msg(XFRM_MSG_EXPIRE, 0);
    auto& expire = msg.put_struct<xfrm_user_expire>();
    expire.state.family = AF_INET;
    std::memcpy(&expire.state.id.daddr, ip("203.0.113.1").bytes.data(), 4);
    expire.state.id.spi = htonl(0xc0000020);
    expire.state.id.proto = IPPROTO_ESP;
    expire.state.reqid = kOwnReqidBand | 3;
    expire.hard = 1;
    auto event = xfrm::parse_expire(msg.header());
    REQUIRE(event.has_value());
    CHECK(event->kind == KernelEvent::Kind::HardExpire);
    CHECK(event->spi == 0xc0000020);
    CHECK(event->dst == ip("203.0.113.1"));
    CHECK(event->proto == IPPROTO_ESP);
    expire.hard = 0;
    CHECK(xfrm::parse_expire(msg.header())->kind == KernelEvent::Kind::SoftExpire);
}

TEST_CASE("reqid band", "[kernel][ownership]") {
    CHECK(to_kernel_reqid(1) == 0x1d000001);
    CHECK(is_own_reqid(to_kernel_reqid(kMaxProtocolReqid)));
    CHECK_FALSE(is_own_reqid(1));  // strongSwan's first reqid
    CHECK_FALSE(is_own_reqid(0));
    CHECK(to_protocol_reqid(to_kernel_reqid(1234)) == 1234);
    CHECK(error_of([] { to_kernel_reqid(kMaxProtocolReqid + 1); }) == EINVAL);
}
