#include "ike/new_child.hpp"

#include <memory>
#include <utility>

#include "crypto/random.hpp"
#include "ike/address_lease.hpp"
#include "ike/child_install.hpp"
#include "ike/create_child_keying.hpp"
#include "ike/payload_helpers.hpp"
#include "ike/session_policy.hpp"
#include "ike/traffic_selectors.hpp"
#include "util/log.hpp"

namespace ikev2d::ike {
namespace {

using iana::NotifyType;
using iana::PayloadType;

// The answer once the install is done: SA, Nr, [KEr,] TSi, TSr, or an error notify.
ExchangeResult answer_new_child(IkeSa& sa, ChildKeying& keying, const Bytes& nr, const NarrowedSelectors& narrowed,
                                InstalledChild installed) {
    ChildSa child;
    try {
        child = installed.take();
    } catch (const SelectorsInUse& e) {
        LOG_EXCH(Protocol, "(%u): new Child SA: traffic selectors in use by another Child SA: %s", sa.unique_id, e.what());
        return refuse(NotifyType::TS_UNACCEPTABLE);
    } catch (const std::exception& e) {
        LOG_ERR(Platform, "(%u): installing the new Child SA failed: %s", sa.unique_id, e.what());
        return refuse(NotifyType::TEMPORARY_FAILURE);
    }
    LOG_EXCH(Platform, "(%u): new Child SA installed, ESP spi in/out 0x%08x/0x%08x, %s <-> %s%s%s", sa.unique_id,
             child.spi_in, child.spi_out, to_string(child.local_ts).c_str(), to_string(child.remote_ts).c_str(),
             keying.dh ? ", PFS " : "", keying.dh ? iana::name(keying.esp->pfs).c_str() : "");

    ExchangeResult r;
    keying.esp->proposal.spi = u32_bytes(child.spi_in);
    r.payloads.push_back({PayloadType::SA, false, wire::SaPayload{{keying.esp->proposal}}});
    r.payloads.push_back({PayloadType::Nonce, false, wire::NoncePayload{nr}});
    if (keying.dh) r.payloads.push_back(ke_payload(*keying.dh->kex));
    r.payloads.push_back({PayloadType::TSi, false, payload_from_ranges(narrowed.remote)});
    r.payloads.push_back({PayloadType::TSr, false, payload_from_ranges(narrowed.local)});
    sa.children.push_back(std::move(child));
    return r;
}

}  // namespace

ExchangeResult handle_new_child(GatewayContext& ctx, IkeSa& sa, const std::vector<wire::Payload>& request,
                                const wire::SaPayload& offered, const wire::NoncePayload& ni) {
    if (!sa.children.empty()) {
        LOG_EXCH(Protocol, "(%u): additional Child SA refused (one is installed)", sa.unique_id);
        return refuse(NotifyType::NO_ADDITIONAL_SAS);
    }
    const config::GroupConfig* group = ctx.config->group(sa.group);
    if (!group) {
        LOG_EXCH(Protocol, "(%u): new Child SA refused: group '%s' no longer configured", sa.unique_id, sa.group.c_str());
        return refuse(NotifyType::NO_ADDITIONAL_SAS);
    }
    const auto* tsi = find_payload<wire::TsPayload>(request, PayloadType::TSi);
    const auto* tsr = find_payload<wire::TsPayload>(request, PayloadType::TSr);
    if (!tsi || !tsr) return refuse(NotifyType::INVALID_SYNTAX);
    const auto* ke = find_payload<wire::KePayload>(request, PayloadType::KE);

    ChildKeying keying = negotiate_child_keying(ctx, sa, offered, ke, "new Child SA");
    if (!keying.esp) return refuse(keying.refusal, std::move(keying.refusal_data));
    auto narrowed = narrow_selectors(*tsi, *tsr, inner_addresses(sa), local_networks_of(*group));
    if (!narrowed) {
        LOG_EXCH(Protocol, "(%u): new Child SA: traffic selectors unacceptable", sa.unique_id);
        return refuse(NotifyType::TS_UNACCEPTABLE);
    }

    const Bytes nr = crypto::random_nonce(kNonceSize);
    auto kept = std::make_shared<ChildKeying>(std::move(keying));  // for the answer, after the install
    // Keyed with this exchange's nonces (RFC 7296 2.17), not the IKE SA's; installed on the
    // kernel lane (child_install.hpp), answered once it is done.
    return install_child_sa(ctx, sa, *kept->esp, *narrowed, ni.data, nr, kept->dh ? kept->dh->shared.view() : ByteView{},
                            [kept, nr, narrowed = *narrowed](GatewayContext&, IkeSa& sa, InstalledChild installed) {
                                return answer_new_child(sa, *kept, nr, narrowed, std::move(installed));
                            });
}

}  // namespace ikev2d::ike
