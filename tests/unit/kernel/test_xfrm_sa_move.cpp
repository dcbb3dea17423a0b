// MOBIKE moves over XFRM (kernel/xfrm_sa_move.hpp, issue 13): an SA re-created from the
// kernel's GETSA answer keeps its SPI, keys, replay state and counters and changes only
// its addresses and encapsulation; policies keep everything but their templates' ends;
// XfrmKernel::move_sas reads, moves in one batch, and puts back what moved when the
// kernel refuses part of it. FakeKernel::move_sas is checked here too.
#include <catch2/catch.hpp>

#include <netinet/in.h>
#include <linux/xfrm.h>
#include <sys/socket.h>

#include <cerrno>
#include <cstring>

#include "fake_netlink_peer.hpp"
#include "kernel/fake_kernel.hpp"
#include "kernel/ownership.hpp"
#include "kernel/xfrm_kernel.hpp"
#include "kernel/xfrm_messages.hpp"
#include "kernel/xfrm_sa_move.hpp"
#include "nl_inspect.hpp"

using namespace ikev2d;
using namespace ikev2d::kernel;
using namespace ikev2d::kernel::test;

namespace {

IpAddress ip(const char* text) { return IpAddress::from_string(text); }

const IpAddress kGateway = ip("192.0.2.1"), kOldPeer = ip("192.0.2.11"), kNewPeer = ip("198.51.100.77");
constexpr std::uint32_t kSpiIn = 0xc0000101, kSpiOut = 0xc2000202;

SaConfig sa_config(bool inbound, std::uint32_t spi, bool encapsulated) {
    SaConfig sa;
    sa.inbound = inbound;
    sa.src = inbound ? kOldPeer : kGateway;
    sa.dst = inbound ? kGateway : kOldPeer;
    sa.spi = spi;
    sa.reqid = 7;
    sa.encr = iana::EncrId::AES_CBC;
    sa.encr_key_bits = 128;
    sa.encr_key = SecureBytes(16);
    for (std::size_t i = 0; i < 16; ++i) sa.encr_key[i] = static_cast<std::uint8_t>(0xa0 + i + (inbound ? 0 : 0x10));
    sa.integ = iana::IntegId::HMAC_SHA2_256_128;
    sa.integ_key = SecureBytes(32);
    for (std::size_t i = 0; i < 32; ++i) sa.integ_key[i] = static_cast<std::uint8_t>(0x30 + i);
    if (encapsulated) sa.natt_ports = std::make_pair(std::uint16_t{4500}, std::uint16_t{4500});
    sa.hard_seconds = 3960;
    sa.selector = inbound ? Selector{ip("10.2.2.1"), 32, ip("198.51.100.0"), 24} : Selector{ip("198.51.100.0"), 24, ip("10.2.2.1"), 32};
    return sa;
}

PolicyConfig policy_config(PolicyConfig::Dir dir) {
    PolicyConfig p;
    p.dir = dir;
    const bool out = dir == PolicyConfig::Dir::Out;
    p.selector = out ? Selector{ip("198.51.100.0"), 24, ip("10.2.2.1"), 32} : Selector{ip("10.2.2.1"), 32, ip("198.51.100.0"), 24};
    p.tmpl_src = out ? kGateway : kOldPeer;
    p.tmpl_dst = out ? kOldPeer : kGateway;
    p.reqid = 7;
    p.priority = 1944;
    return p;
}

// What the kernel answers to GETSA: the SA as added, plus its state (replay, counters).
NlMessage kernel_sa_answer(const SaConfig& sa, std::uint32_t oseq) {
    NlMessage msg = xfrm::new_sa(sa, false);
    msg.header()->nlmsg_flags = 0;
    xfrm_replay_state replay{};
    replay.oseq = oseq;
    replay.seq = 77;
    replay.bitmap = 0x0f;
    msg.put_attr(XFRMA_REPLAY_VAL, replay);
    xfrm_lifetime_cur lifetime{};
    lifetime.bytes = 123456;
    lifetime.packets = 789;
    lifetime.add_time = 1700000000;
    msg.put_attr(XFRMA_LTIME_VAL, lifetime);
    return msg;
}

const nlattr* only_attr(const NlMessage& msg, std::size_t offset, std::uint16_t type) {
    auto found = attrs_of(msg, offset, type);
    return found.size() == 1 ? found[0] : nullptr;
}

bool same_attr(const NlMessage& a, const NlMessage& b, std::size_t offset, std::uint16_t type) {
    const nlattr* x = only_attr(a, offset, type);
    const nlattr* y = only_attr(b, offset, type);
    return x && y && mnl_attr_get_payload_len(x) == mnl_attr_get_payload_len(y) &&
           std::memcmp(mnl_attr_get_payload(x), mnl_attr_get_payload(y), mnl_attr_get_payload_len(x)) == 0;
}

IpAddress v4_of(const xfrm_address_t& a) {
    IpAddress out = IpAddress::any(AF_INET);
    std::memcpy(out.bytes.data(), &a, 4);
    return out;
}

NlMessage from_bytes(const std::vector<std::uint8_t>& whole) {
    NlMessage msg(0, 0, whole.size() + 16);
    std::memcpy(msg.header(), whole.data(), whole.size());
    return msg;
}

NetlinkSocket::Adopt idle_socket() {
    int fds[2];
    REQUIRE(socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, fds) == 0);
    close(fds[1]);
    return {fds[0]};
}

}  // namespace

TEST_CASE("readd_sa: the same SA (keys, replay state, counters) at new addresses, encapsulation as asked",
          "[kernel][mobike]") {
    const SaConfig original = sa_config(false, kSpiOut, true);
    const NlMessage answer = kernel_sa_answer(original, 4242);
    constexpr std::size_t off = sizeof(xfrm_usersa_info);

    SECTION("moved, out of the NAT: plain ESP") {
        const NlMessage moved = xfrm::readd_sa(answer.header(), xfrm::SaPlace{kGateway, kNewPeer, std::nullopt});
        CHECK(moved.type() == XFRM_MSG_NEWSA);
        const auto& info = fixed_struct<xfrm_usersa_info>(moved);
        CHECK(ntohl(info.id.spi) == kSpiOut);
        CHECK(v4_of(info.id.daddr) == kNewPeer);
        CHECK(v4_of(info.saddr) == kGateway);
        CHECK(info.reqid == to_kernel_reqid(7));
        CHECK(info.lft.hard_add_expires_seconds == 3960);
        for (std::uint16_t type : {XFRMA_ALG_CRYPT, XFRMA_ALG_AUTH_TRUNC, XFRMA_REPLAY_VAL, XFRMA_LTIME_VAL})
            CHECK(same_attr(moved, answer, off, type));
        CHECK(attr_payload<xfrm_replay_state>(moved, off, XFRMA_REPLAY_VAL)->oseq == 4242);
        CHECK(attrs_of(moved, off, XFRMA_ENCAP).empty());
    }
    SECTION("moved behind a NAT: the new ports") {
        const NlMessage moved = xfrm::readd_sa(answer.header(), xfrm::SaPlace{kGateway, kNewPeer, std::make_pair(std::uint16_t{4500}, std::uint16_t{31000})});
        const auto* encap = attr_payload<xfrm_encap_tmpl>(moved, off, XFRMA_ENCAP);
        REQUIRE(encap != nullptr);
        CHECK(ntohs(encap->encap_sport) == 4500);
        CHECK(ntohs(encap->encap_dport) == 31000);
        CHECK(attrs_of(moved, off, XFRMA_ENCAP).size() == 1);
    }
    SECTION("put back: where it was, with its own encapsulation") {
        const NlMessage back = xfrm::readd_sa(answer.header(), std::nullopt);
        CHECK(v4_of(fixed_struct<xfrm_usersa_info>(back).id.daddr) == kOldPeer);
        CHECK(same_attr(back, answer, off, XFRMA_ENCAP));
        CHECK(same_attr(back, answer, off, XFRMA_REPLAY_VAL));
    }
    SECTION("not ours: refused") {
        SaConfig foreign = original.clone();
        NlMessage other = kernel_sa_answer(foreign, 1);
        auto* info = static_cast<xfrm_usersa_info*>(mnl_nlmsg_get_payload(other.header()));
        info->reqid = 5;  // another daemon's band
        CHECK_THROWS_AS(xfrm::readd_sa(other.header(), std::nullopt), KernelError);
    }
}

TEST_CASE("readd_policy: an update with the templates' ends moved, nothing else changed", "[kernel][mobike]") {
    NlMessage answer = xfrm::new_policy(policy_config(PolicyConfig::Dir::In));
    const NlMessage moved = xfrm::readd_policy(answer.header(), std::make_pair(kNewPeer, kGateway));
    CHECK(moved.type() == XFRM_MSG_UPDPOLICY);
    const auto& info = fixed_struct<xfrm_userpolicy_info>(moved);
    const auto& was = fixed_struct<xfrm_userpolicy_info>(answer);
    CHECK(std::memcmp(&info.sel, &was.sel, sizeof info.sel) == 0);
    CHECK(info.priority == 1944);
    CHECK(info.dir == XFRM_POLICY_IN);
    const auto* tmpl = attr_payload<xfrm_user_tmpl>(moved, sizeof(xfrm_userpolicy_info), XFRMA_TMPL);
    REQUIRE(tmpl != nullptr);
    CHECK(v4_of(tmpl->saddr) == kNewPeer);
    CHECK(v4_of(tmpl->id.daddr) == kGateway);
    CHECK(tmpl->reqid == to_kernel_reqid(7));
    CHECK(tmpl->id.proto == IPPROTO_ESP);
}

namespace {

// Plays the kernel for move_sas: GETSA / GETPOLICY answered with the SA or policy as
// installed; the requests of the move acked, except a refused NEWSA when asked.
struct MoveKernel {
    bool refuse_outbound_add = false;
    std::vector<Datagram> operator()(const Datagram& d) const {
        std::vector<Datagram> out;
        for (const auto& m : parse_datagram(d)) {
            std::optional<NlMessage> reply;
            if (m.header.nlmsg_type == XFRM_MSG_GETSA) {
                const auto* id = reinterpret_cast<const xfrm_usersa_id*>(m.whole.data() + NLMSG_HDRLEN);
                reply = kernel_sa_answer(sa_config(ntohl(id->spi) == kSpiIn, ntohl(id->spi), false), 4242);
            } else if (m.header.nlmsg_type == XFRM_MSG_GETPOLICY) {
                const auto* id = reinterpret_cast<const xfrm_userpolicy_id*>(m.whole.data() + NLMSG_HDRLEN);
                reply = xfrm::new_policy(policy_config(id->dir == XFRM_POLICY_OUT  ? PolicyConfig::Dir::Out
                                                       : id->dir == XFRM_POLICY_IN ? PolicyConfig::Dir::In
                                                                                   : PolicyConfig::Dir::Fwd));
                reply->header()->nlmsg_type = XFRM_MSG_NEWPOLICY;
            }
            if (reply) {
                reply->header()->nlmsg_seq = m.header.nlmsg_seq;
                out.emplace_back(reply->bytes().begin(), reply->bytes().end());
            }
            bool refuse = false;
            if (refuse_outbound_add && m.header.nlmsg_type == XFRM_MSG_NEWSA) {
                const auto* info = reinterpret_cast<const xfrm_usersa_info*>(m.whole.data() + NLMSG_HDRLEN);
                refuse = ntohl(info->id.spi) == kSpiOut;
            }
            out.push_back(nl_error(m.header, refuse ? -EINVAL : 0, refuse ? "refused" : ""));
        }
        return out;
    }
};

MoveSet move_to_new_peer() {
    MoveSet set;
    set.old_local = kGateway;
    set.old_remote = kOldPeer;
    set.local = kGateway;
    set.remote = kNewPeer;
    set.natt_ports = std::make_pair(std::uint16_t{4500}, std::uint16_t{31000});
    set.inbound_spis = {kSpiIn};
    set.outbound_spis = {kSpiOut};
    for (auto dir : {PolicyConfig::Dir::Out, PolicyConfig::Dir::In, PolicyConfig::Dir::Fwd})
        set.policies.emplace_back(policy_config(dir).selector, dir);
    return set;
}

}  // namespace

TEST_CASE("XfrmKernel::move_sas reads, then moves every SA and policy in one batch", "[kernel][mobike]") {
    FakeNetlinkPeer peer(MoveKernel{});
    XfrmKernel kernel(XfrmKernel::TestSockets{{peer.take_daemon_fd()}, idle_socket(), idle_socket()});
    REQUIRE_NOTHROW(kernel.move_sas(move_to_new_peer()));
    const auto received = peer.received();
    REQUIRE(received.size() == 2);  // the reads, then the move
    const auto reads = parse_datagram(received[0]);
    REQUIRE(reads.size() == 5);
    CHECK(reads[0].header.nlmsg_type == XFRM_MSG_GETSA);
    CHECK(reads[2].header.nlmsg_type == XFRM_MSG_GETPOLICY);
    const auto move = parse_datagram(received[1]);
    REQUIRE(move.size() == 7);
    // Inbound: deleted and re-added at the gateway's address, from the new peer, encapsulated (31000 -> 4500).
    CHECK(move[0].header.nlmsg_type == XFRM_MSG_DELSA);
    CHECK(v4_of(reinterpret_cast<const xfrm_usersa_id*>(move[0].whole.data() + NLMSG_HDRLEN)->daddr) == kGateway);
    REQUIRE(move[1].header.nlmsg_type == XFRM_MSG_NEWSA);
    const NlMessage in = from_bytes(move[1].whole);
    CHECK(v4_of(fixed_struct<xfrm_usersa_info>(in).id.daddr) == kGateway);
    CHECK(v4_of(fixed_struct<xfrm_usersa_info>(in).saddr) == kNewPeer);
    const auto* in_encap = attr_payload<xfrm_encap_tmpl>(in, sizeof(xfrm_usersa_info), XFRMA_ENCAP);
    REQUIRE(in_encap != nullptr);
    CHECK(ntohs(in_encap->encap_sport) == 31000);
    CHECK(ntohs(in_encap->encap_dport) == 4500);
    // Outbound: deleted at the old peer's address, re-added at the new one with the same sequence number.
    CHECK(move[2].header.nlmsg_type == XFRM_MSG_DELSA);
    CHECK(v4_of(reinterpret_cast<const xfrm_usersa_id*>(move[2].whole.data() + NLMSG_HDRLEN)->daddr) == kOldPeer);
    const NlMessage out = from_bytes(move[3].whole);
    CHECK(v4_of(fixed_struct<xfrm_usersa_info>(out).id.daddr) == kNewPeer);
    CHECK(ntohl(fixed_struct<xfrm_usersa_info>(out).id.spi) == kSpiOut);
    CHECK(attr_payload<xfrm_replay_state>(out, sizeof(xfrm_usersa_info), XFRMA_REPLAY_VAL)->oseq == 4242);
    for (std::size_t i = 4; i < 7; ++i) {
        REQUIRE(move[i].header.nlmsg_type == XFRM_MSG_UPDPOLICY);
        const NlMessage p = from_bytes(move[i].whole);
        const bool outbound = fixed_struct<xfrm_userpolicy_info>(p).dir == XFRM_POLICY_OUT;
        const auto* tmpl = attr_payload<xfrm_user_tmpl>(p, sizeof(xfrm_userpolicy_info), XFRMA_TMPL);
        REQUIRE(tmpl != nullptr);
        CHECK(v4_of(tmpl->saddr) == (outbound ? kGateway : kNewPeer));
        CHECK(v4_of(tmpl->id.daddr) == (outbound ? kNewPeer : kGateway));
    }
}

TEST_CASE("XfrmKernel::move_sas puts back what moved when the kernel refuses part of the move", "[kernel][mobike]") {
    FakeNetlinkPeer peer(MoveKernel{true});
    XfrmKernel kernel(XfrmKernel::TestSockets{{peer.take_daemon_fd()}, idle_socket(), idle_socket()});
    try {
        kernel.move_sas(move_to_new_peer());
        FAIL("the move succeeded");
    } catch (const KernelError& e) {
        CHECK(e.err == EINVAL);
        CHECK(std::string(e.what()).find("XFRM_MSG_NEWSA spi 0xc2000202 dst 198.51.100.77") != std::string::npos);
    }
    const auto received = peer.received();
    REQUIRE(received.size() == 3);  // reads, move, undo
    const auto undo = parse_datagram(received[2]);
    // The policies back to the old templates (all three were updated), the outbound SA
    // re-added where it was (its DELSA went through, its NEWSA did not), the inbound one
    // taken from its new place and re-added at the old.
    REQUIRE(undo.size() == 3 + 1 + 2);
    for (std::size_t i = 0; i < 3; ++i) {
        REQUIRE(undo[i].header.nlmsg_type == XFRM_MSG_UPDPOLICY);
        const NlMessage p = from_bytes(undo[i].whole);
        const auto* tmpl = attr_payload<xfrm_user_tmpl>(p, sizeof(xfrm_userpolicy_info), XFRMA_TMPL);
        REQUIRE(tmpl != nullptr);
        CHECK((v4_of(tmpl->saddr) == kOldPeer || v4_of(tmpl->id.daddr) == kOldPeer));
    }
    REQUIRE(undo[3].header.nlmsg_type == XFRM_MSG_NEWSA);
    CHECK(v4_of(fixed_struct<xfrm_usersa_info>(from_bytes(undo[3].whole)).id.daddr) == kOldPeer);
    CHECK(undo[4].header.nlmsg_type == XFRM_MSG_DELSA);
    REQUIRE(undo[5].header.nlmsg_type == XFRM_MSG_NEWSA);
    const NlMessage in = from_bytes(undo[5].whole);
    CHECK(v4_of(fixed_struct<xfrm_usersa_info>(in).saddr) == kOldPeer);
    CHECK(attrs_of(in, sizeof(xfrm_usersa_info), XFRMA_ENCAP).empty());  // as it was: plain ESP
}

TEST_CASE("FakeKernel::move_sas moves SAs with their counters and policies' templates, or nothing", "[kernel][mobike]") {
    FakeKernel k;
    InstallSet set;
    set.sas.push_back(sa_config(true, kSpiIn, false));
    set.sas.push_back(sa_config(false, kSpiOut, false));
    for (auto dir : {PolicyConfig::Dir::Out, PolicyConfig::Dir::In, PolicyConfig::Dir::Fwd}) set.policies.push_back(policy_config(dir));
    k.install(set);
    SaCounters c;
    c.bytes = 99;
    k.set_counters(kOldPeer, kSpiOut, c);

    SECTION("moved") {
        k.move_sas(move_to_new_peer());
        REQUIRE(k.find_sa(kOldPeer, kSpiOut) == nullptr);
        const SaConfig* out = k.find_sa(kNewPeer, kSpiOut);
        REQUIRE(out != nullptr);
        CHECK(out->natt_ports == std::make_pair(std::uint16_t{4500}, std::uint16_t{31000}));
        CHECK(out->encr_key.size() == 16);
        CHECK(k.query_sa(kNewPeer, kSpiOut).bytes == 99);
        const SaConfig* in = k.find_sa(kGateway, kSpiIn);
        REQUIRE(in != nullptr);
        CHECK(in->src == kNewPeer);
        CHECK(in->natt_ports == std::make_pair(std::uint16_t{31000}, std::uint16_t{4500}));
        CHECK(k.find_policy(policy_config(PolicyConfig::Dir::Out).selector, PolicyConfig::Dir::Out)->tmpl_dst == kNewPeer);
        CHECK(k.find_policy(policy_config(PolicyConfig::Dir::Fwd).selector, PolicyConfig::Dir::Fwd)->tmpl_src == kNewPeer);
    }
    SECTION("an SA missing: nothing moves") {
        MoveSet bad = move_to_new_peer();
        bad.outbound_spis.push_back(0xdead0001);
        CHECK_THROWS_AS(k.move_sas(bad), KernelError);
        CHECK(k.find_sa(kOldPeer, kSpiOut) != nullptr);
        CHECK(k.find_sa(kGateway, kSpiIn)->src == kOldPeer);
        CHECK(k.find_policy(policy_config(PolicyConfig::Dir::Out).selector, PolicyConfig::Dir::Out)->tmpl_dst == kOldPeer);
    }
}
