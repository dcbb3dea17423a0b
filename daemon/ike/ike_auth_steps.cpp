#include "ike/ike_auth_steps.hpp"

#include <memory>
#include <utility>

#include "ike/child_negotiation.hpp"
#include "ike/mobike.hpp"
#include "ike/payload_helpers.hpp"
#include "ike/redirect.hpp"

namespace ikev2d::ike {

using iana::NotifyType;

namespace {

// The answer once the first Child SA is settled (installed, refused or none asked for).
ExchangeResult established(IkeSa& sa, std::vector<wire::Payload> head, FirstChild child) {
    ExchangeResult r;
    r.payloads = std::move(head);
    for (auto& p : child.payloads) r.payloads.push_back(std::move(p));
    sa.state = IkeSaState::Established;
    r.established = true;
    if (sa.radius) {
        r.session_timeout_s = sa.radius->session_timeout_s;
        r.idle_timeout_s = sa.radius->idle_timeout_s;
    }
    if (!child.session_refused.empty()) {
        r.delete_after = true;
        r.reason = std::move(child.session_refused);
    }
    return r;
}

}  // namespace

ExchangeResult fail(std::string reason, NotifyType notify) {
    ExchangeResult r;
    r.payloads.push_back(notify_payload(notify));
    r.close_after = true;
    r.auth_failed = notify == NotifyType::AUTHENTICATION_FAILED;
    r.reason = std::move(reason);
    return r;
}

ExchangeResult defer(std::function<void()> work, std::function<ExchangeResult(GatewayContext&, IkeSa&)> finish) {
    ExchangeResult r;
    r.deferred = std::make_shared<DeferredExchange>(DeferredExchange{std::move(work), std::move(finish)});
    return r;
}

ExchangeResult establish(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group,
                         std::vector<wire::Payload> head, const std::vector<wire::Payload>& child_request) {
    if (auto to = auth_redirect_target(ctx, sa)) return redirect_after_auth(ctx, sa, std::move(head), *to);
    sa.group = group.name;
    if (sa.initial_contact && ctx.replace_older_sas) ctx.replace_older_sas(sa);
    announce_mobike(ctx, sa, child_request, head);  // child_request: the first IKE_AUTH request's payloads
    // Answered once the Child SA is in the kernel (installed off the loop: child_install.hpp).
    return negotiate_first_child(ctx, sa, group, child_request,
                                 [head = std::move(head)](GatewayContext&, IkeSa& sa, FirstChild child) {
                                     return established(sa, head, std::move(child));
                                 });
}

}  // namespace ikev2d::ike
