#include "kernel/xfrm_sa_move.hpp"

#include <netinet/in.h>
#include <netinet/udp.h>
#include <linux/xfrm.h>

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>
#include <vector>

#include "kernel/ownership.hpp"
#include "kernel/xfrm_kernel.hpp"
#include "kernel/xfrm_messages.hpp"
#include "util/log.hpp"

namespace ikev2d::kernel {

namespace xfrm {
namespace {

xfrm_address_t to_xfrm(const IpAddress& addr) noexcept {
    xfrm_address_t out{};
    std::memcpy(&out, addr.bytes.data(), addr.size());
    return out;
}

// What a re-created SA takes over from the kernel's answer besides its usersa_info:
// everything the daemon (or the kernel, for state) put there. XFRMA_ENCAP and
// XFRMA_MTIMER_THRESH (valid only with encapsulation) go by the new place; XFRMA_ALG_AUTH
// is the untruncated twin of XFRMA_ALG_AUTH_TRUNC, which is taken instead when present.
bool carried_over(std::uint16_t type) {
    switch (type) {
        case XFRMA_ALG_AEAD:
        case XFRMA_ALG_CRYPT:
        case XFRMA_ALG_AUTH_TRUNC:
        case XFRMA_ALG_COMP:
        case XFRMA_REPLAY_VAL:
        case XFRMA_REPLAY_ESN_VAL:  // with the outbound sequence number: the peer's replay window stays happy
        case XFRMA_LTIME_VAL:       // byte counters and the add time the lifetimes run from
        case XFRMA_SA_EXTRA_FLAGS:
        case XFRMA_TFCPAD:
        case XFRMA_MARK:
        case XFRMA_SET_MARK:
        case XFRMA_SET_MARK_MASK:
        case XFRMA_IF_ID:
        case XFRMA_SEC_CTX:
        case XFRMA_COADDR: return true;
        default: return false;
    }
}

void copy_attr(NlMessage& msg, const nlattr* attr) {
    msg.put_attr(mnl_attr_get_type(attr), mnl_attr_get_payload(attr), mnl_attr_get_payload_len(attr));
}

template <class T>
bool holds(const nlmsghdr* nlh, std::uint16_t type) {
    return nlh->nlmsg_type == type && mnl_nlmsg_get_payload_len(nlh) >= sizeof(T);
}

}  // namespace

NlMessage get_policy(const Selector& selector, PolicyConfig::Dir dir) {
    // The same body as DELPOLICY: xfrm_userpolicy_id with the selector and direction.
    NlMessage msg = del_policy(selector, dir);
    msg.header()->nlmsg_type = XFRM_MSG_GETPOLICY;
    return msg;
}

NlMessage readd_sa(const nlmsghdr* answer, const std::optional<SaPlace>& place) {
    if (!holds<xfrm_usersa_info>(answer, XFRM_MSG_NEWSA))
        throw KernelError(EBADMSG, "XFRM_MSG_GETSA", "the answer holds no SA");
    xfrm_usersa_info info;
    std::memcpy(&info, mnl_nlmsg_get_payload(answer), sizeof info);
    char spi_hex[16];
    std::snprintf(spi_hex, sizeof spi_hex, "0x%08x", ntohl(info.id.spi));
    const std::string op = std::string("XFRM_MSG_NEWSA spi ") + spi_hex;
    if (!is_own_reqid(info.reqid)) throw KernelError(EPERM, op, "the SA is not this daemon's");
    if (place) {
        if (place->src.family != place->dst.family || place->dst.family != info.family)
            throw KernelError(EINVAL, op, "new tunnel addresses of another family");
        info.id.daddr = to_xfrm(place->dst);
        info.saddr = to_xfrm(place->src);
    }
    std::memset(&info.curlft, 0, sizeof info.curlft);  // NEWSA takes them from XFRMA_LTIME_VAL
    std::memset(&info.stats, 0, sizeof info.stats);

    bool has_auth_trunc = false;
    for_each_attr(answer, sizeof(xfrm_usersa_info), [&](const nlattr* attr) {
        has_auth_trunc = has_auth_trunc || mnl_attr_get_type(attr) == XFRMA_ALG_AUTH_TRUNC;
    });
    const bool encapsulated = place ? place->natt_ports.has_value() : false;
    NlMessage msg(XFRM_MSG_NEWSA, NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE | NLM_F_EXCL,
                  std::max<std::size_t>(answer->nlmsg_len + 64, NlMessage::kDefaultCapacity));
    msg.put_struct<xfrm_usersa_info>() = info;
    for_each_attr(answer, sizeof(xfrm_usersa_info), [&](const nlattr* attr) {
        const std::uint16_t type = mnl_attr_get_type(attr);
        if (carried_over(type) || (type == XFRMA_ALG_AUTH && !has_auth_trunc)) {
            copy_attr(msg, attr);
        } else if (type == XFRMA_ENCAP || type == XFRMA_MTIMER_THRESH) {
            if (!place || (encapsulated && type == XFRMA_MTIMER_THRESH)) copy_attr(msg, attr);
        }
    });
    if (encapsulated) {
        xfrm_encap_tmpl encap{};
        encap.encap_type = UDP_ENCAP_ESPINUDP;
        encap.encap_sport = htons(place->natt_ports->first);
        encap.encap_dport = htons(place->natt_ports->second);
        msg.put_attr(XFRMA_ENCAP, encap);
    }
    return msg;
}

NlMessage readd_policy(const nlmsghdr* answer, const std::optional<std::pair<IpAddress, IpAddress>>& tmpl) {
    if (!holds<xfrm_userpolicy_info>(answer, XFRM_MSG_NEWPOLICY))
        throw KernelError(EBADMSG, "XFRM_MSG_GETPOLICY", "the answer holds no policy");
    xfrm_userpolicy_info info;
    std::memcpy(&info, mnl_nlmsg_get_payload(answer), sizeof info);
    std::memset(&info.curlft, 0, sizeof info.curlft);
    NlMessage msg(XFRM_MSG_UPDPOLICY, NLM_F_REQUEST | NLM_F_ACK, std::max<std::size_t>(answer->nlmsg_len + 64, NlMessage::kDefaultCapacity));
    msg.put_struct<xfrm_userpolicy_info>() = info;
    bool ours = false;
    for_each_attr(answer, sizeof(xfrm_userpolicy_info), [&](const nlattr* attr) {
        const std::uint16_t type = mnl_attr_get_type(attr);
        if (type == XFRMA_TMPL) {
            const std::size_t count = mnl_attr_get_payload_len(attr) / sizeof(xfrm_user_tmpl);
            std::vector<xfrm_user_tmpl> templates(count);
            std::memcpy(templates.data(), mnl_attr_get_payload(attr), count * sizeof(xfrm_user_tmpl));
            for (auto& t : templates) {
                ours = ours || is_own_reqid(t.reqid);
                if (!tmpl) continue;
                t.saddr = to_xfrm(tmpl->first);
                t.id.daddr = to_xfrm(tmpl->second);
            }
            msg.put_attr(XFRMA_TMPL, templates.data(), templates.size() * sizeof(xfrm_user_tmpl));
        } else if (type == XFRMA_MARK || type == XFRMA_IF_ID || type == XFRMA_POLICY_TYPE || type == XFRMA_SEC_CTX) {
            copy_attr(msg, attr);
        }
    });
    if (!ours) throw KernelError(EPERM, "XFRM_MSG_UPDPOLICY", "the policy is not this daemon's");
    return msg;
}

}  // namespace xfrm

namespace {

std::string spi_op(const char* op, const IpAddress& dst, std::uint32_t spi) {
    char spi_hex[16];
    std::snprintf(spi_hex, sizeof spi_hex, "0x%08x", spi);
    return std::string(op) + " spi " + spi_hex + " dst " + dst.to_string();
}

std::string policy_op(const char* op, const Selector& selector, PolicyConfig::Dir dir) {
    return std::string(op) + " " + to_string(dir) + " " + selector.to_string();
}

bool maybe_applied(const NlOutcome& outcome) {
    return outcome.state == NlOutcome::State::Acked || outcome.state == NlOutcome::State::Unknown;
}

// One SA or policy of a move: the kernel's answer describing it now, and its requests.
struct MovedSa {
    IpAddress old_dst;
    std::uint32_t spi = 0;
    xfrm::SaPlace to;
    SecureBytes answer;  // GETSA: carries the keys
    std::size_t del = 0, add = 0;  // indexes in the move's batch
};
struct MovedPolicy {
    Selector selector;
    PolicyConfig::Dir dir{};
    std::pair<IpAddress, IpAddress> tmpl;
    SecureBytes answer;
    std::size_t update = 0;
};

const nlmsghdr* header_of(const SecureBytes& answer) { return reinterpret_cast<const nlmsghdr*>(answer.data()); }

// A batch handler that keeps the answer of the given type (the reply before the ack).
NlBatch::MessageHandler keep_answer(SecureBytes& into, std::uint16_t type) {
    return [&into, type](const nlmsghdr* nlh) {
        if (nlh->nlmsg_type == type) into = SecureBytes(ByteView(reinterpret_cast<const std::uint8_t*>(nlh), nlh->nlmsg_len));
    };
}

void throw_first_failure(const NlBatch& batch) {
    if (auto failed = batch.first_failure()) {
        const NlOutcome& o = batch.outcome(*failed);
        throw KernelError(o.err, batch.operation(*failed), o.detail);
    }
}

}  // namespace

void XfrmKernel::move_sas(const MoveSet& set) {
    if (set.local.family != set.remote.family || set.old_local.family != set.local.family)
        throw KernelError(EINVAL, "move_sas", "tunnel addresses of different families");
    std::vector<MovedSa> sas;
    std::optional<std::pair<std::uint16_t, std::uint16_t>> in_ports;
    if (set.natt_ports) in_ports = std::make_pair(set.natt_ports->second, set.natt_ports->first);
    for (std::uint32_t spi : set.inbound_spis) sas.push_back({set.old_local, spi, {set.remote, set.local, in_ports}, {}});
    for (std::uint32_t spi : set.outbound_spis) sas.push_back({set.old_remote, spi, {set.local, set.remote, set.natt_ports}, {}});
    std::vector<MovedPolicy> policies;
    for (const auto& [selector, dir] : set.policies) {
        const bool out = dir == PolicyConfig::Dir::Out;
        policies.push_back({selector, dir, out ? std::make_pair(set.local, set.remote) : std::make_pair(set.remote, set.local), {}});
    }

    // 1. Each SA (keys, replay state, counters) and policy as the kernel has it now.
    NlBatch read;
    for (MovedSa& sa : sas)
        read.add(xfrm::get_sa(sa.old_dst, sa.spi), spi_op("XFRM_MSG_GETSA", sa.old_dst, sa.spi),
                 keep_answer(sa.answer, XFRM_MSG_NEWSA));
    for (MovedPolicy& p : policies)
        read.add(xfrm::get_policy(p.selector, p.dir), policy_op("XFRM_MSG_GETPOLICY", p.selector, p.dir),
                 keep_answer(p.answer, XFRM_MSG_NEWPOLICY));
    xfrm_.request_batch(read);
    throw_first_failure(read);

    // 2. One batch: each SA deleted and re-added at its new place, then the templates.
    NlBatch move;
    for (MovedSa& sa : sas) {
        if (sa.answer.empty()) throw KernelError(EBADMSG, spi_op("XFRM_MSG_GETSA", sa.old_dst, sa.spi), "no SA in the answer");
        NlMessage add = xfrm::readd_sa(header_of(sa.answer), sa.to);
        sa.del = move.add(xfrm::del_sa(sa.old_dst, sa.spi), spi_op("XFRM_MSG_DELSA", sa.old_dst, sa.spi));
        sa.add = move.add(std::move(add), spi_op("XFRM_MSG_NEWSA", sa.to.dst, sa.spi));
    }
    for (MovedPolicy& p : policies) {
        if (p.answer.empty())
            throw KernelError(EBADMSG, policy_op("XFRM_MSG_GETPOLICY", p.selector, p.dir), "no policy in the answer");
        p.update = move.add(xfrm::readd_policy(header_of(p.answer), p.tmpl), policy_op("XFRM_MSG_UPDPOLICY", p.selector, p.dir));
    }
    xfrm_.request_batch(move);
    if (!move.first_failure()) {
        LOG_INFO(Platform, "kernel: moved %zu SAs and %zu policies to %s <-> %s%s", sas.size(), policies.size(),
                 set.local.to_string().c_str(), set.remote.to_string().c_str(), set.natt_ports ? " (UDP-encapsulated)" : "");
        return;
    }

    // 3. Put back what moved (or went), newest first, then report the first failure.
    NlBatch undo;
    for (auto p = policies.rbegin(); p != policies.rend(); ++p)
        if (maybe_applied(move.outcome(p->update)))
            undo.add(xfrm::readd_policy(header_of(p->answer), std::nullopt), policy_op("XFRM_MSG_UPDPOLICY (undo)", p->selector, p->dir));
    for (auto sa = sas.rbegin(); sa != sas.rend(); ++sa) {
        if (maybe_applied(move.outcome(sa->add)))
            undo.add(xfrm::del_sa(sa->to.dst, sa->spi), spi_op("XFRM_MSG_DELSA (undo)", sa->to.dst, sa->spi));
        if (maybe_applied(move.outcome(sa->del)))
            undo.add(xfrm::readd_sa(header_of(sa->answer), std::nullopt), spi_op("XFRM_MSG_NEWSA (undo)", sa->old_dst, sa->spi));
    }
    if (!undo.empty()) {
        xfrm_.request_batch(undo);
        for (std::size_t i = 0; i < undo.size(); ++i) {
            const NlOutcome& o = undo.outcome(i);
            if (o.state != NlOutcome::State::Acked)
                LOG_ERR(Platform, "kernel: undoing a failed move: %s", KernelError(o.err, undo.operation(i), o.detail).what());
        }
    }
    throw_first_failure(move);
}

}  // namespace ikev2d::kernel
