#include "ike/informational.hpp"

#include <algorithm>

#include "ike/child_install.hpp"
#include "ike/mobike.hpp"
#include "ike/payload_helpers.hpp"
#include "util/log.hpp"

namespace ikev2d::ike {
namespace {

using iana::PayloadType;

}  // namespace

std::vector<wire::Payload> delete_ike_request() {
    wire::DeletePayload d;
    d.protocol = static_cast<std::uint8_t>(iana::ProtocolId::IKE);
    d.spi_size = 0;
    return {wire::Payload{PayloadType::Delete, false, d}};
}

ExchangeResult handle_informational(GatewayContext& ctx, IkeSa& sa, const std::vector<wire::Payload>& request) {
    ExchangeResult r;
    wire::DeletePayload ours;
    ours.protocol = static_cast<std::uint8_t>(iana::ProtocolId::ESP);
    ours.spi_size = 4;
    for (const auto* del : find_all_payloads<wire::DeletePayload>(request, PayloadType::Delete)) {
        if (del->protocol == static_cast<std::uint8_t>(iana::ProtocolId::IKE)) {
            // The whole IKE SA goes; the answer is an empty INFORMATIONAL (RFC 7296 1.4.1).
            r.payloads.clear();
            r.close_after = true;
            r.reason = "peer deleted the IKE SA";
            return r;
        }
        if (del->protocol != static_cast<std::uint8_t>(iana::ProtocolId::ESP) || del->spi_size != 4) continue;
        for (const Bytes& spi_bytes : del->spis) {
            if (spi_bytes.size() != 4) continue;
            std::uint32_t spi = load_be32(spi_bytes);
            auto it = std::find_if(sa.children.begin(), sa.children.end(), [spi](const ChildSa& c) { return c.spi_out == spi; });
            if (it == sa.children.end()) continue;
            LOG_EXCH(Protocol, "(%u): peer deleted Child SA 0x%08x/0x%08x", sa.unique_id, it->spi_in, it->spi_out);
            remove_child_sa(ctx, sa, *it);
            ours.spis.push_back(u32_bytes(it->spi_in));
            sa.children.erase(it);
        }
    }
    if (!ours.spis.empty()) r.payloads.push_back({PayloadType::Delete, false, std::move(ours)});
    for (const auto* n : find_all_payloads<wire::NotifyPayload>(request, PayloadType::Notify))
        if (n->type < iana::kFirstStatusNotify)
            LOG_EXCH(Protocol, "(%u): peer reports %s", sa.unique_id, iana::name(static_cast<iana::NotifyType>(n->type)).c_str());
    handle_mobike_request(ctx, sa, request, r);  // RFC 4555: path updates and tests
    return r;
}

}  // namespace ikev2d::ike
