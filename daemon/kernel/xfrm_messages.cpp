// XFRM message layouts follow linux/xfrm.h; the validation rules mirror what
// net/xfrm/xfrm_user.c checks, so that a bad SA is refused here with a clear message
// rather than by the kernel with a bare EINVAL.
#include "kernel/xfrm_messages.hpp"

#include <netinet/in.h>
#include <netinet/udp.h>
#include <linux/xfrm.h>

#include <algorithm>
#include <cerrno>
#include <cstddef>
#include <cstdio>

#include "kernel/ownership.hpp"
#include "kernel/xfrm_algorithms.hpp"

namespace ikev2d::kernel::xfrm {

namespace {

// Room for the largest NEWSA: info + AEAD/crypt + auth (64 B keys) + encap + ESN bitmap.
constexpr std::size_t kSaMessageCapacity = 4096 + XFRMA_REPLAY_ESN_MAX;

std::string spi_text(std::uint32_t spi) {
    char text[16];
    std::snprintf(text, sizeof text, "0x%08x", spi);
    return text;
}

std::string op_name(std::uint16_t type, std::uint32_t spi) {
    return std::string(message_name(type)) + " spi " + spi_text(spi);
}

xfrm_address_t to_xfrm(const IpAddress& addr) noexcept {
    xfrm_address_t out{};
    std::memcpy(&out, addr.bytes.data(), addr.size());
    return out;
}

IpAddress from_xfrm(const xfrm_address_t& addr, int family) {
    IpAddress out = IpAddress::any(family == AF_INET6 ? AF_INET6 : AF_INET);
    std::memcpy(out.bytes.data(), &addr, out.size());
    return out;
}

std::uint8_t check_prefix(std::uint8_t prefix, const IpAddress& addr, const std::string& op) {
    if (prefix > addr.size() * 8) throw KernelError(EINVAL, op, "prefix /" + std::to_string(prefix) + " too long");
    return prefix;
}

xfrm_selector to_xfrm(const Selector& sel, const std::string& op) {
    if (sel.src.family != sel.dst.family) throw KernelError(EINVAL, op, "selector mixes address families");
    xfrm_selector out{};
    out.family = static_cast<std::uint16_t>(sel.src.family);
    out.saddr = to_xfrm(sel.src);
    out.daddr = to_xfrm(sel.dst);
    out.prefixlen_s = check_prefix(sel.src_prefix, sel.src, op);
    out.prefixlen_d = check_prefix(sel.dst_prefix, sel.dst, op);
    out.proto = sel.proto;
    out.sport = htons(sel.sport);
    out.sport_mask = sel.sport != 0 ? 0xffff : 0;
    out.dport = htons(sel.dport);
    out.dport_mask = sel.dport != 0 ? 0xffff : 0;
    return out;
}

Selector from_xfrm(const xfrm_selector& sel) {
    Selector out;
    out.src = from_xfrm(sel.saddr, sel.family);
    out.dst = from_xfrm(sel.daddr, sel.family);
    out.src_prefix = sel.prefixlen_s;
    out.dst_prefix = sel.prefixlen_d;
    out.proto = sel.proto;
    out.sport = sel.sport_mask != 0 ? ntohs(sel.sport) : 0;
    out.dport = sel.dport_mask != 0 ? ntohs(sel.dport) : 0;
    return out;
}

std::uint64_t limit_or_infinite(std::uint64_t value) noexcept { return value == 0 ? XFRM_INF : value; }

void infinite_lifetime(xfrm_lifetime_cfg& lft) noexcept {
    lft.soft_byte_limit = lft.hard_byte_limit = XFRM_INF;
    lft.soft_packet_limit = lft.hard_packet_limit = XFRM_INF;
}

void put_algorithms(NlMessage& msg, const SaConfig& sa, const std::string& op) {
    const auto cipher = kernel_cipher(sa.encr);
    if (!cipher)
        throw KernelError(EINVAL, op, "unsupported encryption id " + std::to_string(static_cast<int>(sa.encr)));
    std::uint16_t encr_bits = sa.encr_key_bits;
    if (cipher->aes_key_length) {
        if (encr_bits != 128 && encr_bits != 192 && encr_bits != 256)
            throw KernelError(EINVAL, op, std::string(cipher->name) + " key length " + std::to_string(encr_bits));
    } else {
        if (encr_bits == 0) encr_bits = cipher->fixed_key_bits;
        if (encr_bits != cipher->fixed_key_bits)
            throw KernelError(EINVAL, op, std::string(cipher->name) + " has " + std::to_string(cipher->fixed_key_bits) +
                                              "-bit keys, not " + std::to_string(encr_bits));
    }
    const std::size_t want_key = encr_bits / 8 + cipher->salt_bytes;
    if (sa.encr_key.size() != want_key)
        throw KernelError(EINVAL, op, std::string(cipher->name) + " with " + std::to_string(encr_bits) +
                                          "-bit key needs " + std::to_string(want_key) + " key bytes, got " +
                                          std::to_string(sa.encr_key.size()));
    const auto key_bits = static_cast<unsigned>(sa.encr_key.size() * 8);  // the kernel counts the salt too

    if (cipher->aead) {
        if (sa.integ != iana::IntegId::NONE) throw KernelError(EINVAL, op, "AEAD cipher with a separate integrity algorithm");
        auto* aead = static_cast<xfrm_algo_aead*>(
            msg.put_attr_zeroed(XFRMA_ALG_AEAD, sizeof(xfrm_algo_aead) + sa.encr_key.size()));
        cipher->name.copy(aead->alg_name, sizeof aead->alg_name - 1);
        aead->alg_key_len = key_bits;
        aead->alg_icv_len = cipher->icv_bits;
        std::memcpy(aead->alg_key, sa.encr_key.data(), sa.encr_key.size());
        return;
    }

    // RFC 8221: ESP with a non-AEAD cipher and no integrity is not to be used.
    const auto integrity = kernel_integrity(sa.integ);
    if (!integrity)
        throw KernelError(EINVAL, op, "non-AEAD cipher needs a supported integrity algorithm, got id " +
                                          std::to_string(static_cast<int>(sa.integ)));
    if (sa.integ_key.size() * 8 != integrity->key_bits)
        throw KernelError(EINVAL, op, std::string(integrity->name) + " needs a " + std::to_string(integrity->key_bits) +
                                          "-bit key, got " + std::to_string(sa.integ_key.size() * 8));

    auto* crypt = static_cast<xfrm_algo*>(msg.put_attr_zeroed(XFRMA_ALG_CRYPT, sizeof(xfrm_algo) + sa.encr_key.size()));
    cipher->name.copy(crypt->alg_name, sizeof crypt->alg_name - 1);
    crypt->alg_key_len = key_bits;
    if (!sa.encr_key.empty()) std::memcpy(crypt->alg_key, sa.encr_key.data(), sa.encr_key.size());

    // AUTH_TRUNC rather than ALG_AUTH: the kernel's default truncation for hmac(sha256)
    // is the pre-RFC 4868 96 bits, so the ICV length must be explicit.
    auto* auth = static_cast<xfrm_algo_auth*>(
        msg.put_attr_zeroed(XFRMA_ALG_AUTH_TRUNC, sizeof(xfrm_algo_auth) + sa.integ_key.size()));
    integrity->name.copy(auth->alg_name, sizeof auth->alg_name - 1);
    auth->alg_key_len = integrity->key_bits;
    auth->alg_trunc_len = integrity->trunc_bits;
    std::memcpy(auth->alg_key, sa.integ_key.data(), sa.integ_key.size());
}

xfrm_usersa_id sa_id(const IpAddress& dst, std::uint32_t spi) {
    xfrm_usersa_id id{};
    id.daddr = to_xfrm(dst);
    id.spi = htonl(spi);
    id.family = static_cast<std::uint16_t>(dst.family);
    id.proto = IPPROTO_ESP;
    return id;
}

// Netlink guarantees only 4-byte alignment, and several xfrm structs hold __u64
// fields: copy them out instead of casting pointers.
template <class T>
std::optional<T> attr_struct(const nlattr* attr) {
    if (mnl_attr_get_payload_len(attr) < sizeof(T)) return std::nullopt;
    T out;
    std::memcpy(&out, mnl_attr_get_payload(attr), sizeof(T));
    return out;
}

template <class T>
std::optional<T> payload_struct(const nlmsghdr* nlh) {
    if (mnl_nlmsg_get_payload_len(nlh) < sizeof(T)) return std::nullopt;
    T out;
    std::memcpy(&out, mnl_nlmsg_get_payload(nlh), sizeof(T));
    return out;
}

}  // namespace

const char* message_name(std::uint16_t type) noexcept {
    switch (type) {
        case XFRM_MSG_NEWSA: return "XFRM_MSG_NEWSA";
        case XFRM_MSG_UPDSA: return "XFRM_MSG_UPDSA";
        case XFRM_MSG_DELSA: return "XFRM_MSG_DELSA";
        case XFRM_MSG_GETSA: return "XFRM_MSG_GETSA";
        case XFRM_MSG_ALLOCSPI: return "XFRM_MSG_ALLOCSPI";
        case XFRM_MSG_NEWPOLICY: return "XFRM_MSG_NEWPOLICY";
        case XFRM_MSG_UPDPOLICY: return "XFRM_MSG_UPDPOLICY";
        case XFRM_MSG_DELPOLICY: return "XFRM_MSG_DELPOLICY";
        case XFRM_MSG_GETPOLICY: return "XFRM_MSG_GETPOLICY";
        case XFRM_MSG_EXPIRE: return "XFRM_MSG_EXPIRE";
        default: return "XFRM_MSG_?";
    }
}

std::uint8_t kernel_dir(PolicyConfig::Dir dir) noexcept {
    switch (dir) {
        case PolicyConfig::Dir::In: return XFRM_POLICY_IN;
        case PolicyConfig::Dir::Out: return XFRM_POLICY_OUT;
        case PolicyConfig::Dir::Fwd: return XFRM_POLICY_FWD;
    }
    return XFRM_POLICY_OUT;
}

NlMessage new_sa(const SaConfig& sa, bool update) {
    const std::uint16_t type = update ? XFRM_MSG_UPDSA : XFRM_MSG_NEWSA;
    const std::string op = op_name(type, sa.spi);
    if (sa.src.family != sa.dst.family) throw KernelError(EINVAL, op, "tunnel addresses of different families");
    if (sa.spi < 256) throw KernelError(EINVAL, op, "SPIs 0..255 are reserved");

    NlMessage msg(type, NLM_F_REQUEST | NLM_F_ACK | (update ? 0 : NLM_F_CREATE | NLM_F_EXCL), kSaMessageCapacity);
    auto& info = msg.put_struct<xfrm_usersa_info>();
    // None: an empty selector (family AF_UNSPEC), and XFRM_STATE_AF_UNSPEC as strongSwan
    // sets it, so that the state carries both inner families (the kernel takes the inner
    // mode from the selector's family otherwise): a dual-stack Child SA. Its policies,
    // whose templates name the SA's reqid, select its traffic. A selector may be of the
    // other family than the tunnel (IPv4 inside IPv6).
    info.sel = sa.selector ? to_xfrm(*sa.selector, op) : xfrm_selector{};
    if (!sa.selector) info.flags |= XFRM_STATE_AF_UNSPEC;
    info.id.daddr = to_xfrm(sa.dst);
    info.id.spi = htonl(sa.spi);
    info.id.proto = IPPROTO_ESP;
    info.saddr = to_xfrm(sa.src);
    info.family = static_cast<std::uint16_t>(sa.dst.family);
    info.mode = XFRM_MODE_TUNNEL;
    info.reqid = to_kernel_reqid(sa.reqid);
    info.lft.soft_byte_limit = limit_or_infinite(sa.soft_bytes);
    info.lft.hard_byte_limit = limit_or_infinite(sa.hard_bytes);
    info.lft.soft_packet_limit = info.lft.hard_packet_limit = XFRM_INF;
    info.lft.soft_add_expires_seconds = sa.soft_seconds;
    info.lft.hard_add_expires_seconds = sa.hard_seconds;

    put_algorithms(msg, sa, op);

    // The legacy 32-bit replay field cannot express ESN or larger windows; the kernel
    // then wants the bitmap state in XFRMA_REPLAY_ESN_VAL and replay_window == 0.
    if (sa.esn || sa.replay_window > 32) {
        if (sa.replay_window > XFRMA_REPLAY_ESN_MAX * 8)
            throw KernelError(EINVAL, op, "replay window " + std::to_string(sa.replay_window) + " too large");
        const std::uint32_t bmp_len = (sa.replay_window + 31) / 32;
        auto* esn = static_cast<xfrm_replay_state_esn*>(
            msg.put_attr_zeroed(XFRMA_REPLAY_ESN_VAL, sizeof(xfrm_replay_state_esn) + bmp_len * sizeof(std::uint32_t)));
        esn->bmp_len = bmp_len;
        esn->replay_window = sa.replay_window;
        if (sa.esn) info.flags |= XFRM_STATE_ESN;
    } else {
        info.replay_window = static_cast<std::uint8_t>(sa.replay_window);
    }

    if (sa.natt_ports) {
        xfrm_encap_tmpl encap{};
        encap.encap_type = UDP_ENCAP_ESPINUDP;
        encap.encap_sport = htons(sa.natt_ports->first);
        encap.encap_dport = htons(sa.natt_ports->second);
        msg.put_attr(XFRMA_ENCAP, encap);  // encap_oa stays zero: tunnel mode needs no NAT-OA
    }
    return msg;
}

NlMessage del_sa(const IpAddress& dst, std::uint32_t spi) {
    NlMessage msg(XFRM_MSG_DELSA, NLM_F_REQUEST | NLM_F_ACK);
    msg.put_struct<xfrm_usersa_id>() = sa_id(dst, spi);
    return msg;
}

NlMessage get_sa(const IpAddress& dst, std::uint32_t spi) {
    NlMessage msg(XFRM_MSG_GETSA, NLM_F_REQUEST | NLM_F_ACK);
    msg.put_struct<xfrm_usersa_id>() = sa_id(dst, spi);
    return msg;
}

NlMessage alloc_spi(const IpAddress& src, const IpAddress& dst, std::uint32_t reqid, std::uint32_t min,
                    std::uint32_t max) {
    if (src.family != dst.family) throw KernelError(EINVAL, "XFRM_MSG_ALLOCSPI", "addresses of different families");
    NlMessage msg(XFRM_MSG_ALLOCSPI, NLM_F_REQUEST | NLM_F_ACK);
    auto& spi = msg.put_struct<xfrm_userspi_info>();
    spi.info.id.daddr = to_xfrm(dst);
    spi.info.id.proto = IPPROTO_ESP;
    spi.info.saddr = to_xfrm(src);
    spi.info.family = static_cast<std::uint16_t>(dst.family);
    spi.info.mode = XFRM_MODE_TUNNEL;
    spi.info.reqid = to_kernel_reqid(reqid);
    infinite_lifetime(spi.info.lft);
    spi.min = min;
    spi.max = max;
    return msg;
}

NlMessage new_policy(const PolicyConfig& policy) {
    const std::string op = std::string("XFRM_MSG_NEWPOLICY ") + to_string(policy.dir) + " " + policy.selector.to_string();
    if (policy.tmpl_src.family != policy.tmpl_dst.family)
        throw KernelError(EINVAL, op, "template addresses of different families");
    NlMessage msg(XFRM_MSG_NEWPOLICY, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL);
    auto& info = msg.put_struct<xfrm_userpolicy_info>();
    info.sel = to_xfrm(policy.selector, op);
    infinite_lifetime(info.lft);
    info.priority = policy.priority;
    info.dir = kernel_dir(policy.dir);
    info.action = XFRM_POLICY_ALLOW;
    info.share = XFRM_SHARE_ANY;

    xfrm_user_tmpl tmpl{};
    tmpl.id.daddr = to_xfrm(policy.tmpl_dst);
    tmpl.id.proto = IPPROTO_ESP;
    tmpl.family = static_cast<std::uint16_t>(policy.tmpl_dst.family);
    tmpl.saddr = to_xfrm(policy.tmpl_src);
    tmpl.reqid = to_kernel_reqid(policy.reqid);
    tmpl.mode = XFRM_MODE_TUNNEL;
    tmpl.aalgos = tmpl.ealgos = tmpl.calgos = ~0u;
    msg.put_attr(XFRMA_TMPL, tmpl);
    return msg;
}

NlMessage del_policy(const Selector& selector, PolicyConfig::Dir dir) {
    const std::string op = std::string("XFRM_MSG_DELPOLICY ") + to_string(dir) + " " + selector.to_string();
    NlMessage msg(XFRM_MSG_DELPOLICY, NLM_F_REQUEST | NLM_F_ACK);
    auto& id = msg.put_struct<xfrm_userpolicy_id>();
    id.sel = to_xfrm(selector, op);
    id.dir = kernel_dir(dir);
    return msg;
}

NlMessage del_policy_by_index(std::uint32_t index, std::uint8_t dir) {
    NlMessage msg(XFRM_MSG_DELPOLICY, NLM_F_REQUEST | NLM_F_ACK);
    auto& id = msg.put_struct<xfrm_userpolicy_id>();
    id.index = index;
    id.dir = dir;
    return msg;
}

NlMessage dump(std::uint16_t get_type) { return NlMessage(get_type, NLM_F_REQUEST | NLM_F_DUMP); }

std::optional<SaInfo> parse_sa(const nlmsghdr* nlh) {
    if (nlh->nlmsg_type != XFRM_MSG_NEWSA && nlh->nlmsg_type != XFRM_MSG_UPDSA) return std::nullopt;
    const auto info = payload_struct<xfrm_usersa_info>(nlh);
    if (!info) return std::nullopt;
    if (info->family != AF_INET && info->family != AF_INET6) return std::nullopt;

    SaInfo out;
    out.src = from_xfrm(info->saddr, info->family);
    out.dst = from_xfrm(info->id.daddr, info->family);
    out.spi = ntohl(info->id.spi);
    out.proto = info->id.proto;
    out.kernel_reqid = info->reqid;
    out.counters.bytes = info->curlft.bytes;
    out.counters.packets = info->curlft.packets;
    out.counters.add_time = info->curlft.add_time;
    out.counters.use_time = info->curlft.use_time;
    out.counters.replay_window = info->stats.replay_window;
    out.counters.replay_errors = info->stats.replay;
    out.counters.integrity_errors = info->stats.integrity_failed;

    for_each_attr(nlh, sizeof(xfrm_usersa_info), [&](const nlattr* attr) {
        if (mnl_attr_get_type(attr) == XFRMA_REPLAY_VAL) {
            if (const auto replay = attr_struct<xfrm_replay_state>(attr)) {
                out.counters.seq = replay->seq;
                out.counters.oseq = replay->oseq;
            }
        } else if (mnl_attr_get_type(attr) == XFRMA_REPLAY_ESN_VAL) {
            // Only the fixed head of xfrm_replay_state_esn (its bitmap is not needed).
            if (mnl_attr_get_payload_len(attr) >= sizeof(xfrm_replay_state_esn)) {
                const auto* head = static_cast<const std::uint8_t*>(mnl_attr_get_payload(attr));
                std::memcpy(&out.counters.seq, head + offsetof(xfrm_replay_state_esn, seq), sizeof(std::uint32_t));
                std::memcpy(&out.counters.oseq, head + offsetof(xfrm_replay_state_esn, oseq), sizeof(std::uint32_t));
            }
        }
    });
    return out;
}

std::optional<PolicyInfo> parse_policy(const nlmsghdr* nlh) {
    if (nlh->nlmsg_type != XFRM_MSG_NEWPOLICY && nlh->nlmsg_type != XFRM_MSG_UPDPOLICY) return std::nullopt;
    const auto info = payload_struct<xfrm_userpolicy_info>(nlh);
    if (!info) return std::nullopt;

    PolicyInfo out;
    out.index = info->index;
    out.kernel_dir = info->dir;
    if (info->sel.family == AF_INET || info->sel.family == AF_INET6) out.selector = from_xfrm(info->sel);
    for_each_attr(nlh, sizeof(xfrm_userpolicy_info), [&](const nlattr* attr) {
        if (mnl_attr_get_type(attr) != XFRMA_TMPL) return;
        // XFRMA_TMPL is an array of xfrm_user_tmpl; ignore a trailing partial entry.
        const std::size_t count = mnl_attr_get_payload_len(attr) / sizeof(xfrm_user_tmpl);
        const auto* first = static_cast<const std::uint8_t*>(mnl_attr_get_payload(attr));
        for (std::size_t i = 0; i < count; ++i) {
            xfrm_user_tmpl tmpl;
            std::memcpy(&tmpl, first + i * sizeof tmpl, sizeof tmpl);
            out.tmpl_kernel_reqids.push_back(tmpl.reqid);
        }
    });
    return out;
}

std::optional<KernelEvent> parse_expire(const nlmsghdr* nlh) {
    if (nlh->nlmsg_type != XFRM_MSG_EXPIRE) return std::nullopt;
    const auto expire = payload_struct<xfrm_user_expire>(nlh);
    if (!expire) return std::nullopt;
    const auto& info = expire->state;
    if (info.family != AF_INET && info.family != AF_INET6) return std::nullopt;
    KernelEvent event;
    event.kind = expire->hard ? KernelEvent::Kind::HardExpire : KernelEvent::Kind::SoftExpire;
    event.dst = from_xfrm(info.id.daddr, info.family);
    event.spi = ntohl(info.id.spi);
    event.proto = info.id.proto;
    event.reqid = info.reqid;
    return event;
}

}  // namespace ikev2d::kernel::xfrm
