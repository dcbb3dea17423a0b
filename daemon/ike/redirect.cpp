// Redirect (RFC 5685): the load rule, the RADIUS server's choice, the REDIRECT payloads
// of IKE_SA_INIT, IKE_AUTH and INFORMATIONAL, and the live redirect of a session.
#include "ike/redirect.hpp"

#include "ike/gateway.hpp"
#include "ike/payload_helpers.hpp"
#include "util/log.hpp"
#include "util/printable.hpp"

namespace ikev2d::ike {
namespace {

using iana::NotifyType;

// What an IKE_SA_INIT request says about RFC 5685.
struct Announced {
    bool supported = false, redirected_from = false;
};
Announced announced(const std::vector<wire::Payload>& request) {
    Announced a;
    a.redirected_from = find_notify(request, NotifyType::REDIRECTED_FROM) != nullptr;
    // REDIRECTED_FROM stands for REDIRECT_SUPPORTED (RFC 5685 4).
    a.supported = a.redirected_from || find_notify(request, NotifyType::REDIRECT_SUPPORTED) != nullptr;
    return a;
}

// The load rule of [redirect] for a new client at this step, or nullopt.
std::optional<wire::GatewayIdentity> load_rule_target(GatewayContext& ctx, config::RedirectWhen when,
                                                      bool supported, bool redirected_from) {
    const auto& rule = ctx.config->redirect;
    if (!rule || rule->when != when || rule->gateways.empty()) return std::nullopt;
    // A client that comes redirected is not sent on again: two full gateways would
    // otherwise pass it to and fro.
    if (!supported || redirected_from) return std::nullopt;
    if (ctx.live_sessions < rule->max_sessions) return std::nullopt;
    const std::string& pick = rule->gateways[ctx.redirect_turn++ % rule->gateways.size()];
    return wire::GatewayIdentity::parse(pick);  // checked at load
}

}  // namespace

void note_redirect_support(IkeSa& sa, const std::vector<wire::Payload>& request) {
    const Announced a = announced(request);
    sa.peer_redirect_supported = a.supported;
    sa.peer_redirected_from = a.redirected_from;
}

std::optional<Bytes> sa_init_redirect(GatewayContext& ctx, const std::vector<wire::Payload>& request,
                                      const Endpoint& remote, const Bytes& nonce_i) {
    if (!ctx.config->redirect) return std::nullopt;
    const Announced a = announced(request);
    auto to = load_rule_target(ctx, config::RedirectWhen::SaInit, a.supported, a.redirected_from);
    if (!to) return std::nullopt;
    if (ctx.counters) ++ctx.counters->redirects;
    LOG_EXCH(Protocol, "%zu sessions up (redirect at %u): IKE_SA_INIT from %s redirected to %s", ctx.live_sessions,
             ctx.config->redirect->max_sessions, remote.to_string().c_str(), to->to_string().c_str());
    // RFC 5685 4: the REDIRECT answering IKE_SA_INIT carries the client's Ni.
    return wire::encode_redirect_data({*to, nonce_i});
}

std::optional<wire::GatewayIdentity> auth_redirect_target(GatewayContext& ctx, const IkeSa& sa) {
    if (sa.radius && !sa.radius->redirect_gateway.empty()) {
        auto to = wire::GatewayIdentity::parse(sa.radius->redirect_gateway);
        if (!to) {
            LOG_ERR(Protocol, "(%u): RADIUS redirect to '%s' ignored: not an address or host name", sa.unique_id,
                    printable(sa.radius->redirect_gateway).c_str());
        } else if (!sa.peer_redirect_supported) {
            LOG_INFO(Protocol, "(%u): RADIUS redirects to %s, but the client did not announce REDIRECT_SUPPORTED: served here",
                     sa.unique_id, to->to_string().c_str());
        } else {
            return to;
        }
    }
    return load_rule_target(ctx, config::RedirectWhen::Auth, sa.peer_redirect_supported, sa.peer_redirected_from);
}

ExchangeResult redirect_after_auth(GatewayContext& ctx, IkeSa& sa, std::vector<wire::Payload> head,
                                   const wire::GatewayIdentity& to) {
    if (ctx.counters) ++ctx.counters->redirects;
    LOG_EXCH(Protocol, "(%u): user '%s' authenticated, redirected to %s", sa.unique_id, printable(sa.username).c_str(),
             to.to_string().c_str());
    ExchangeResult r;
    r.payloads = std::move(head);
    // RFC 5685 5: no nonce outside IKE_SA_INIT; no Child SA; the client leaves this SA.
    r.payloads.push_back(notify_payload(NotifyType::REDIRECT, wire::encode_redirect_data({to, {}})));
    r.close_after = true;
    r.reason = "redirected to " + to.to_string();
    return r;
}

std::vector<wire::Payload> redirect_request(const wire::GatewayIdentity& to) {
    return {notify_payload(NotifyType::REDIRECT, wire::encode_redirect_data({to, {}}))};
}

std::string Gateway::redirect(std::uint32_t unique_id, const std::string& gateway) {
    auto to = wire::GatewayIdentity::parse(gateway);
    if (!to) return "'" + printable(gateway) + "' is neither an IPv4 or IPv6 address nor a host name";
    for (auto& [spi, sa] : sas_) {
        if (sa->unique_id != unique_id || sa->rekeyed_to || sa->state != IkeSaState::Established) continue;
        if (!sa->peer_redirect_supported)
            return "the client of session " + std::to_string(unique_id) + " did not announce REDIRECT_SUPPORTED";
        if (!sa->redirected_to.empty())
            return "session " + std::to_string(unique_id) + " is being redirected to " + sa->redirected_to + " already";
        // Our requests go one at a time (window 1): a DPD probe or Delete in flight first.
        if (sa->outstanding) return "session " + std::to_string(unique_id) + " has a request in flight, try again";
        ++counters_.redirects;
        LOG_EXCH(Protocol, "(%u): redirecting the session of '%s' (%s) to %s", sa->unique_id,
                 printable(sa->username).c_str(), sa->remote.to_string().c_str(), to->to_string().c_str());
        sa->redirected_to = to->to_string();
        // Like the old SA after a rekey: the client deletes it once it moved, else we do.
        sa->redirect_deadline_ms = clock_.now_ms() + rekey_grace_ms();
        send_request(*sa, redirect_request(*to), OutstandingRequest::Purpose::Redirect);
        return {};
    }
    return "no session with index/tunnel id " + std::to_string(unique_id);
}

bool Gateway::check_redirect_deadline(IkeSa& sa, std::uint64_t now) {
    if (sa.redirect_deadline_ms == 0 || now < sa.redirect_deadline_ms) return false;
    close_sa(sa, "administrator redirect to " + sa.redirected_to + ": the client did not leave", true);
    return true;
}

}  // namespace ikev2d::ike
