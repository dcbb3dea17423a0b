#include "ike/eap_rounds.hpp"

#include <memory>
#include <string>
#include <utility>

#include "eap/packet.hpp"
#include "ike/auth_octets.hpp"
#include "ike/ike_auth_steps.hpp"
#include "ike/payload_helpers.hpp"
#include "ike/peer_authentication.hpp"
#include "ike/radius_eap.hpp"
#include "ike/session_policy.hpp"
#include "util/log.hpp"
#include "util/printable.hpp"

namespace ikev2d::ike {

using iana::AuthMethod;
using iana::NotifyType;
using iana::PayloadType;

namespace {

// The IKE answer to one step of the EAP conversation.
ExchangeResult eap_answer(IkeSa& sa, eap::Outcome o) {
    ExchangeResult r;
    r.payloads.push_back({PayloadType::EAP, false, wire::EapPayload{o.next_packet}});
    switch (o.kind) {
        case eap::Outcome::Kind::Continue: return r;
        case eap::Outcome::Kind::Success:
            sa.eap_succeeded = true;
            if (sa.eap_relay) {
                sa.username = o.username;  // the MSK came with the Access-Accept (radius_eap.cpp)
            } else {
                sa.msk = sa.eap->msk();
                sa.eap_tls = sa.eap->method() == iana::EapType::TLS;
                sa.username = sa.eap->authenticated_user().empty() ? o.username : sa.eap->authenticated_user();
                std::string token = sa.eap->anyconnect_session_token();
                sa.client_services_token = SecureBytes(as_bytes(token));
                if (!token.empty()) secure_wipe(token.data(), token.size());
            }
            LOG_EXCH(Eap, "(%u): EAP succeeded for user '%s'%s", sa.unique_id, printable(sa.username).c_str(),
                     sa.msk ? "" : " (no MSK: AUTH keyed with SK_p)");
            return r;
        case eap::Outcome::Kind::Failure:
            r.payloads.push_back(notify_payload(NotifyType::AUTHENTICATION_FAILED));
            r.close_after = true;
            r.auth_failed = true;
            r.reason = "EAP authentication failed: " + o.reason;
            return r;
        case eap::Outcome::Kind::CheckPassword:
        case eap::Outcome::Kind::RunJob: break;  // handled by eap_round, never from resume()
    }
    return fail("EAP: unexpected outcome");
}

// One EAP round through RADIUS: the server's answer is awaited off the loop (radcli blocks
// until a server answers or all timed out), on the RADIUS threads when the daemon has them.
ExchangeResult radius_round(GatewayContext& ctx, IkeSa& sa, ByteView client_packet) {
    std::string refusal;
    auto access = radius_access_request(ctx, sa, client_packet, refusal);
    if (!access) return eap_answer(sa, eap::Outcome::failure(0, refusal));
    auto reply = std::make_shared<aaa::AccessReply>();
    ExchangeResult r = defer([client = ctx.radius, request = std::move(*access), reply] { *reply = client->authenticate(request); },
                             [reply](GatewayContext& ctx, IkeSa& sa) {
                                 if (!sa.eap_relay) return fail("EAP: no RADIUS exchange in progress");
                                 return eap_answer(sa, radius_outcome(ctx, sa, *reply));
                             });
    r.deferred->executor = ctx.radius_io;
    return r;
}

// AnyConnect's password to the RADIUS server as PAP, on the RADIUS threads like a relay round.
ExchangeResult radius_password_round(GatewayContext& ctx, IkeSa& sa, std::shared_ptr<eap::PasswordCheckRequest> check) {
    std::string refusal;
    auto access = radius_password_request(ctx, sa, *check, refusal);
    if (!access) return eap_answer(sa, sa.eap->resume(eap::PasswordCheck::Mismatch));
    auto reply = std::make_shared<aaa::AccessReply>();
    ExchangeResult r = defer(
        [client = ctx.radius, request = std::move(*access), reply] { *reply = client->authenticate(request); },
        [reply](GatewayContext&, IkeSa& sa) {
            if (!sa.eap || !sa.eap->checking_password()) return fail("EAP: no password check in progress");
            return eap_answer(sa, sa.eap->resume(radius_password_outcome(sa, *reply)));
        });
    r.deferred->executor = ctx.radius_io;
    return r;
}

}  // namespace

ExchangeResult eap_round(GatewayContext& ctx, IkeSa& sa, const std::vector<wire::Payload>& request) {
    const auto* eap_p = find_payload<wire::EapPayload>(request, PayloadType::EAP);
    const auto* auth = find_payload<wire::AuthPayload>(request, PayloadType::AUTH);
    if (!sa.eap_succeeded) {
        if (!eap_p) return fail("expected an EAP response", NotifyType::INVALID_SYNTAX);
        if (sa.eap_relay) return radius_round(ctx, sa, eap_p->data);
        eap::Outcome o = sa.eap->process(eap_p->data);
        if (o.kind == eap::Outcome::Kind::CheckPassword && o.password_check->user.checked_by_radius)
            return radius_password_round(ctx, sa, o.password_check);
        if (o.kind == eap::Outcome::Kind::CheckPassword) {
            // crypt(3) on a worker, with the job's own copy of the password and hash.
            auto check = o.password_check;
            return defer([check] { check->run(); }, [check](GatewayContext&, IkeSa& sa) {
                if (!sa.eap || !sa.eap->checking_password()) return fail("EAP: no password check in progress");
                return eap_answer(sa, sa.eap->resume(check->result));
            });
        }
        if (o.kind == eap::Outcome::Kind::RunJob) {
            // A TLS handshake step (signatures, key exchange, the client's chain) on a
            // worker; the job holds the TLS session, so it may outlive the SA.
            return defer(std::move(o.job), [](GatewayContext&, IkeSa& sa) {
                if (!sa.eap || !sa.eap->running_job()) return fail("EAP: no method step in progress");
                return eap_answer(sa, sa.eap->resume_job());
            });
        }
        return eap_answer(sa, std::move(o));
    }
    // EAP done: the client's AUTH is a MAC keyed with the MSK (or SK_pi without one).
    if (auto failure = verify_eap_client(sa, auth)) return fail(*failure);
    // The authentication policy is checked again for the user EAP authenticated: their
    // own group must admit EAP with the method used (session_policy.hpp).
    const bool by_radius = sa.eap_relay || sa.radius;
    const config::GroupConfig* group = by_radius ? group_after_radius(*ctx.config, sa)
                                                 : group_after_eap(*ctx.config, sa.username, sa.eap->method());
    if (!group && by_radius)
        return fail("user '" + printable(sa.username) + "' accepted by RADIUS, but no group with authentication = radius takes them");
    if (!group)
        return fail("user '" + printable(sa.username) + "' may not authenticate with EAP-" +
                    eap::type_name(sa.eap->method()) + " (the policy of their group does not allow it)");
    ByteView sign_key = sa.msk ? sa.msk->view() : sa.keys.sk_pr.view();
    std::vector<wire::Payload> head;
    head.push_back({PayloadType::AUTH, false,
                    wire::AuthPayload{AuthMethod::SHARED_KEY, shared_key_auth(*sa.prf, sign_key, responder_signed_octets(sa))}});
    std::vector<wire::Payload> held = std::move(sa.pending_auth_request);
    sa.pending_auth_request.clear();
    return establish(ctx, sa, *group, std::move(head), held);
}

}  // namespace ikev2d::ike
