// MOBIKE moves (RFC 4555 3.5) over XFRM: the messages that re-create an SA or a policy
// the kernel reported, elsewhere. XfrmKernel::move_sas (xfrm_sa_move.cpp) reads each SA
// and policy (GETSA, GETPOLICY), then in one batch deletes and re-adds each SA at its new
// addresses and updates each policy's template.
//
// Why not XFRM_MSG_MIGRATE: it cannot take UDP encapsulation away (a migrated state keeps
// the old one when the request has none), but a client that leaves a NAT needs plain ESP;
// it also needs CONFIG_XFRM_MIGRATE. Re-adding the state from what GETSA returned keeps
// everything MIGRATE would (SPI, keys, replay state with the outbound sequence number,
// lifetimes, byte counters), works on any kernel, and is what strongSwan does.
#pragma once

#include <cstdint>
#include <optional>
#include <utility>

#include "kernel/kernel_ipsec.hpp"
#include "kernel/netlink_message.hpp"

namespace ikev2d::kernel::xfrm {

// Where a re-created SA goes.
struct SaPlace {
    IpAddress src, dst;
    std::optional<std::pair<std::uint16_t, std::uint16_t>> natt_ports;  // (sport, dport); nullopt: plain ESP
};

// GETPOLICY for (selector, dir).
NlMessage get_policy(const Selector& selector, PolicyConfig::Dir dir);

// A NEWSA that re-creates the SA of `answer` (the kernel's answer to GETSA) with its keys,
// replay state, lifetimes and counters, at `place` (nullopt: where it was, with its own
// encapsulation). Throws KernelError(EBADMSG) when answer is no complete SA of ours.
NlMessage readd_sa(const nlmsghdr* answer, const std::optional<SaPlace>& place);

// An UPDPOLICY that puts back the policy of `answer` (the answer to GETPOLICY) with its
// templates' tunnel ends set to (src, dst) (nullopt: as they were).
NlMessage readd_policy(const nlmsghdr* answer, const std::optional<std::pair<IpAddress, IpAddress>>& tmpl);

}  // namespace ikev2d::kernel::xfrm
