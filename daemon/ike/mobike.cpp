#include "ike/mobike.hpp"

#include <algorithm>
#include <optional>
#include <set>
#include <string>

#include "ike/payload_helpers.hpp"
#include "ike/sa_log_fields.hpp"
#include "net/nat_detection.hpp"
#include "util/log.hpp"

namespace ikev2d::ike {
namespace {

using iana::NotifyType;
using iana::PayloadType;

// RFC 4555 4.1: the error type answering a NO_NATS_ALLOWED whose addresses were rewritten.
constexpr auto kUnexpectedNatDetected = static_cast<NotifyType>(41);

// RFC 4555 4.2.5: COOKIE2 holds 8 to 64 octets.
constexpr std::size_t kCookie2Min = 8, kCookie2Max = 64;

struct NatState {
    bool local = false;   // we are behind a NAT
    bool remote = false;  // the peer is
};

// What the request's NAT detection notifies say about its own path (RFC 7296 2.23, with
// both SPIs now), or nullopt when it carries none.
std::optional<NatState> detect_nat(const IkeSa& sa, const std::vector<wire::Payload>& request, const Endpoint& local,
                                   const Endpoint& remote) {
    const auto* dst_hash = find_notify(request, NotifyType::NAT_DETECTION_DESTINATION_IP);
    const Bytes expect_src = net::nat_detection_hash(sa.spi_i, sa.spi_r, remote);
    bool any_src = false, src_match = false;
    for (const auto* n : find_all_payloads<wire::NotifyPayload>(request, PayloadType::Notify)) {
        if (n->type != static_cast<std::uint16_t>(NotifyType::NAT_DETECTION_SOURCE_IP)) continue;
        any_src = true;
        src_match = src_match || ct_equal(n->data, expect_src);
    }
    if (!any_src || !dst_hash) return std::nullopt;
    NatState nat;
    nat.remote = !src_match;
    nat.local = !ct_equal(dst_hash->data, net::nat_detection_hash(sa.spi_i, sa.spi_r, local));
    return nat;
}

// RFC 4555 3.9: NO_NATS_ALLOWED carries the addresses and ports the initiator sent from and
// to; they must be those we received from and on.
bool addresses_unchanged(ByteView data, const Endpoint& from, const Endpoint& to) {
    const std::size_t a = from.addr.size();
    if (to.addr.family != from.addr.family || data.size() != 2 * a + 4) return false;
    const auto port_at = [&](std::size_t offset) { return static_cast<std::uint16_t>(data[offset] << 8 | data[offset + 1]); };
    return std::equal(data.begin(), data.begin() + a, from.addr.bytes.begin()) &&
           std::equal(data.begin() + a, data.begin() + 2 * a, to.addr.bytes.begin()) && port_at(2 * a) == from.port &&
           port_at(2 * a + 2) == to.port;
}

kernel::MoveSet move_set(const IkeSa& sa, const Endpoint& local, const Endpoint& remote, bool encapsulate) {
    kernel::MoveSet set;
    set.old_local = sa.local.addr;
    set.old_remote = sa.remote.addr;
    set.local = local.addr;
    set.remote = remote.addr;
    if (encapsulate) set.natt_ports = std::make_pair(local.port, remote.port);
    std::set<std::pair<kernel::Selector, kernel::PolicyConfig::Dir>> policies;  // rekeyed children share theirs
    for (const ChildSa& child : sa.children) {
        if (!child.installed) continue;
        for (const auto& installed : child.kernel_sas)  // (destination, SPI)
            (installed.second == child.spi_in ? set.inbound_spis : set.outbound_spis).push_back(installed.second);
        for (const auto& policy : child.kernel_policies)
            if (policies.insert(policy).second) set.policies.push_back(policy);
    }
    return set;
}

// The client's route follows its outer address (routes.hpp: along the path toward it).
// Best effort: the tunnel stands without it, but the LAN's packets to the client may
// take another interface.
void move_client_routes(GatewayContext& ctx, IkeSa& sa) {
    std::set<IpAddress> moved;
    for (ChildSa& child : sa.children) {
        if (!child.installed) continue;
        const std::vector<IpAddress> routes = child.kernel_routes;
        for (const IpAddress& client : routes) {
            if (!moved.insert(client).second) continue;
            try {
                ctx.kernel->del_client_route(client);
                ctx.kernel->add_client_route(client, sa.remote.addr, sa.local.addr);
            } catch (const std::exception& e) {
                LOG_ERR(Platform, "(%u): the route to %s could not follow the client to %s: %s", sa.unique_id,
                        client.to_string().c_str(), sa.remote.addr.to_string().c_str(), e.what());
                for (ChildSa& c : sa.children)  // nothing of ours to remove later
                    c.kernel_routes.erase(std::remove(c.kernel_routes.begin(), c.kernel_routes.end(), client),
                                          c.kernel_routes.end());
            }
        }
    }
}

// RFC 4555 3.5: the IKE SA and its Child SAs move to the request's addresses.
void move_sa(GatewayContext& ctx, IkeSa& sa, const Endpoint& local, const Endpoint& remote,
             const std::optional<NatState>& detected, ExchangeResult& answer) {
    if (local.addr.family != sa.local.addr.family || remote.addr.family != sa.remote.addr.family) {
        // The Child SAs' selectors and the client's routes are of one family; a client
        // that changes family starts afresh.
        answer.delete_after = true;
        answer.reason = "MOBIKE: the client moved to " + remote.to_string() + ", another address family";
        return;
    }
    const NatState nat = detected.value_or(NatState{sa.nat_local, sa.nat_remote});
    const bool encapsulate = nat.local || nat.remote;
    const bool was_encapsulated = sa.nat_local || sa.nat_remote;
    const Endpoint old_remote = sa.remote;
    const bool same_path = local == sa.local && remote == sa.remote && encapsulate == was_encapsulated;
    if (!same_path) {
        try {
            ctx.kernel->move_sas(move_set(sa, local, remote, encapsulate));
        } catch (const std::exception& e) {
            // The kernel put back what it could: the Child SAs point at the old path.
            LOG_ERR(Platform, "(%u): MOBIKE: moving the Child SAs to %s failed: %s", sa.unique_id,
                    remote.to_string().c_str(), e.what());
            answer.delete_after = true;
            answer.reason = std::string("MOBIKE: the Child SAs could not move: ") + e.what();
            return;
        }
    }
    const bool addresses_changed = local.addr != sa.local.addr || remote.addr != sa.remote.addr;
    sa.local = local;
    sa.remote = remote;
    sa.nat_local = nat.local;
    sa.nat_remote = nat.remote;
    for (ChildSa& child : sa.children) {
        if (!child.installed) continue;
        child.udp_encap = encapsulate;
        for (auto& [dst, spi] : child.kernel_sas) dst = spi == child.spi_in ? local.addr : remote.addr;
    }
    if (addresses_changed) move_client_routes(ctx, sa);
    if (same_path) {
        LOG_INFO(Protocol, "(%u): MOBIKE: UPDATE_SA_ADDRESSES for the path in use (%s)", sa.unique_id, remote.to_string().c_str());
        return;
    }
    IKEV2D_LOG_FIELDS(Platform, log::kExchange, Info, sa_log_fields(sa, "session-moved", sa.remote.to_string()),
                      "(%u): peer moved from %s to %s (MOBIKE), user '%s'%s", sa.unique_id,
                      old_remote.to_string().c_str(), sa.remote.to_string().c_str(), sa.username.c_str(),
                      encapsulate == was_encapsulated ? "" : encapsulate ? ", ESP now in UDP (NAT)" : ", ESP no longer in UDP");
}

}  // namespace

void announce_mobike(const GatewayContext& ctx, IkeSa& sa, const std::vector<wire::Payload>& first_request,
                     std::vector<wire::Payload>& answer) {
    if (!ctx.config->global.mobike || !find_notify(first_request, NotifyType::MOBIKE_SUPPORTED)) return;
    sa.mobike = true;
    answer.push_back(notify_payload(NotifyType::MOBIKE_SUPPORTED));
}

void handle_mobike_request(GatewayContext& ctx, IkeSa& sa, const std::vector<wire::Payload>& request,
                           ExchangeResult& answer) {
    if (!sa.mobike) return;
    const Endpoint local = sa.request_local, remote = sa.request_remote;
    // RFC 4555 3.7: COOKIE2 is copied into the answer, which proves it answers this request.
    if (const auto* cookie2 = find_notify(request, NotifyType::COOKIE2);
        cookie2 && cookie2->data.size() >= kCookie2Min && cookie2->data.size() <= kCookie2Max)
        answer.payloads.push_back(notify_payload(NotifyType::COOKIE2, cookie2->data));
    const bool update = find_notify(request, NotifyType::UPDATE_SA_ADDRESSES) != nullptr;
    const auto nat = detect_nat(sa, request, local, remote);
    // The answer's NAT detection is for the path the request took (always after an update,
    // 3.5; for a path test, 3.10, when it asked with its own).
    if (update || nat) {
        answer.payloads.push_back(notify_payload(NotifyType::NAT_DETECTION_SOURCE_IP,
                                                 net::nat_detection_hash(sa.spi_i, sa.spi_r, local)));
        answer.payloads.push_back(notify_payload(NotifyType::NAT_DETECTION_DESTINATION_IP,
                                                 net::nat_detection_hash(sa.spi_i, sa.spi_r, remote)));
    }
    if (!update) return;
    if (const auto* no_nats = find_notify(request, NotifyType::NO_NATS_ALLOWED);
        no_nats && !addresses_unchanged(no_nats->data, remote, local)) {
        LOG_EXCH(Protocol, "(%u): MOBIKE: NO_NATS_ALLOWED, but the addresses were rewritten on the way from %s: not moved",
                 sa.unique_id, remote.to_string().c_str());
        answer.payloads.push_back(notify_payload(kUnexpectedNatDetected));
        return;
    }
    move_sa(ctx, sa, local, remote, nat, answer);
}

}  // namespace ikev2d::ike
