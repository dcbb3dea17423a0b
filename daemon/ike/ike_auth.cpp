#include "ike/ike_auth.hpp"

#include "eap/anyconnect.hpp"
#include "eap/packet.hpp"
#include "ike/auth_octets.hpp"
#include "ike/eap_rounds.hpp"
#include "ike/id_text.hpp"
#include "ike/ike_auth_steps.hpp"
#include "ike/own_identity.hpp"
#include "ike/payload_helpers.hpp"
#include "ike/peer_authentication.hpp"
#include "ike/radius_eap.hpp"
#include "ike/session_policy.hpp"
#include "util/log.hpp"
#include "util/printable.hpp"

namespace ikev2d::ike {
namespace {

using iana::AuthMethod;
using iana::NotifyType;
using iana::PayloadType;

std::optional<Bytes> start_local_eap(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group,
                                     std::string& refusal);

// No AUTH: the client wants EAP (RFC 7296 2.16). IDi serves as the EAP identity when it
// names a user (strongSwan with id = user); AnyConnect's fixed IDi starts its XML method;
// otherwise an EAP-Identity round.
ExchangeResult start_eap(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group,
                         std::vector<wire::Payload> request) {
    if (group.client_auth != config::ClientAuth::Eap)
        return fail("client asked for EAP, group '" + group.name + "' does not use it");
    sa.peer_auth = PeerAuth::Eap;
    Bytes first_request;
    if (group.radius_authentication && sa.peer_id != eap::kAnyConnectIdentity) {
        // The RADIUS server runs the method; the gateway only carries the packets.
        first_request = start_radius_eap(ctx, sa);
    } else {
        std::string refusal;
        auto local = start_local_eap(ctx, sa, group, refusal);
        if (!local) return fail(refusal);
        first_request = std::move(*local);
    }
    std::vector<wire::Payload> head;
    auto signing = begin_signed_identity(ctx, sa, head);
    if (!signing) return fail("EAP needs a gateway certificate and key");
    sa.pending_auth_request = std::move(request);
    sa.state = IkeSaState::Authenticating;
    return defer([signing] { compute_signature(*signing); },
                 [signing, head = std::move(head), first_request = std::move(first_request)](GatewayContext&, IkeSa&) {
                     if (!signing->error.empty()) return fail("signing our AUTH failed: " + signing->error);
                     ExchangeResult r;
                     r.payloads = head;
                     r.payloads.push_back(signature_auth_payload(*signing));
                     r.payloads.push_back({PayloadType::EAP, false, wire::EapPayload{first_request}});
                     return r;
                 });
}

// EAP-TLS's server side: the gateway's certificate and key and the client CAs, made
// into GnuTLS credentials once per set of credentials. nullopt (TLS is then not offered)
// when the methods lack TLS or the credentials cannot serve it.
std::optional<eap::EapTlsSettings> eap_tls_settings(GatewayContext& ctx, const IkeSa& sa,
                                                    const std::vector<iana::EapType>& methods) {
    if (std::find(methods.begin(), methods.end(), iana::EapType::TLS) == methods.end()) return std::nullopt;
    const auto& creds = ctx.credentials;
    if (!creds) return std::nullopt;
    std::shared_ptr<const eap::tls::ServerCredentials> tls = creds->eap_tls.lock();
    if (!tls) {
        if (creds->chain.empty() || !creds->key) {
            LOG_ERR(Eap, "(%u): EAP-TLS not offered: no gateway certificate and key", sa.unique_id);
            return std::nullopt;
        }
        try {
            // The trust store lives as long as the credentials that own it.
            std::shared_ptr<const crypto::CertStore> trusted(creds, &creds->trusted);
            tls = eap::tls::ServerCredentials::make(creds->chain, *creds->key, trusted, creds->trust_lock);
            creds->eap_tls = tls;
        } catch (const std::exception& e) {
            LOG_ERR(Eap, "(%u): EAP-TLS not offered: %s", sa.unique_id, e.what());
            return std::nullopt;
        }
    }
    eap::EapTlsSettings settings;
    settings.credentials = std::move(tls);
    return settings;
}

// The gateway's own EAP server for the group's methods; its first request, or nullopt and
// `refusal` when no method suits the client (or the server cannot start). In a group with
// authentication = "radius" that is AnyConnect's method, its password checked by the server.
std::optional<Bytes> start_local_eap(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group,
                                     std::string& refusal) {
    std::optional<std::string> known;
    const bool anyconnect_id = sa.peer_id == eap::kAnyConnectIdentity;
    std::vector<iana::EapType> methods =
        group.radius_authentication ? std::vector<iana::EapType>{iana::EapType::Expanded} : group.eap_methods;
    eap::CredentialLookup lookup = credential_lookup(ctx.config);
    if (group.radius_authentication)
        lookup = [](std::string_view name) {
            eap::UserCredentials u;
            u.username = std::string(name);
            u.checked_by_radius = true;
            return std::optional<eap::UserCredentials>(std::move(u));
        };
    if (anyconnect_id) {
        known = std::string(eap::kAnyConnectIdentity);
        sa.peer_is_anyconnect = true;
    } else if (ctx.config->user(sa.peer_id)) {
        known = sa.peer_id;
    }
    if (!anyconnect_id) std::erase(methods, iana::EapType::Expanded);
    auto tls = eap_tls_settings(ctx, sa, methods);
    if (!tls) std::erase(methods, iana::EapType::TLS);
    if (methods.empty()) {
        refusal = "no EAP method of group '" + group.name + "' suits this client";
        return std::nullopt;
    }
    try {
        sa.eap = std::make_unique<eap::EapServer>(methods, std::move(lookup), known);
    } catch (const std::exception& e) {
        refusal = std::string("EAP server: ") + e.what();
        return std::nullopt;
    }
    if (anyconnect_id) {
        eap::AnyConnectSettings ac;
        ac.tunnel_group = group.name;
        ac.banner = group.banner;
        ac.csport = ctx.config->client_services.port;
        ac.profile_name = group.anyconnect_profile_name;
        ac.profile_sha1 = group.anyconnect_profile_sha1;
        sa.eap->set_anyconnect_settings(ac);
    }
    if (tls) sa.eap->set_tls_settings(std::move(*tls));
    // crypt(3) checks (GTC, AnyConnect) and TLS handshake steps come back as jobs: see eap_round.
    sa.eap->set_defer_password_checks(true);
    sa.eap->set_defer_jobs(true);
    return sa.eap->start();
}

ExchangeResult first_message(GatewayContext& ctx, IkeSa& sa, std::vector<wire::Payload> request) {
    const auto* idi = find_payload<wire::IdPayload>(request, PayloadType::IDi);
    if (!idi) return fail("IKE_AUTH without IDi", NotifyType::INVALID_SYNTAX);
    sa.peer_id_body = idi->raw_body();
    sa.peer_id = printable_id(*idi);
    sa.initial_contact = find_notify(request, NotifyType::INITIAL_CONTACT) != nullptr;
    const auto* auth = find_payload<wire::AuthPayload>(request, PayloadType::AUTH);
    const config::GroupConfig* group = group_for_identity(*ctx.config, sa.peer_id);
    if (!group) return fail("no group configured");
    if (auth == nullptr) return start_eap(ctx, sa, *group, std::move(request));

    std::vector<wire::Payload> head;
    if (auth->method == AuthMethod::SHARED_KEY) {
        if (auto failure = verify_psk_client(sa, *group, *auth)) return fail(*failure);
        Bytes psk(group->psk->begin(), group->psk->end());
        add_psk_identity(ctx, sa, psk, head);
        secure_wipe(psk.data(), psk.size());
        return establish(ctx, sa, *group, std::move(head), request);
    }
    // A signature: the client authenticates with its certificate. Checking it and
    // signing our answer are one job; the SA takes the result on the loop.
    std::string refusal;
    auto check = begin_certificate_check(ctx, sa, *group, *idi, *auth,
                                         find_all_payloads<wire::CertPayload>(request, PayloadType::CERT), refusal);
    if (!check) return fail(refusal);
    auto signing = begin_signed_identity(ctx, sa, head);
    if (!signing) return fail("no gateway certificate to answer a certificate client");
    // The group lives in this configuration: held until the job is done (a reload may replace it).
    return defer(
        [check, signing] {
            run_certificate_check(*check);
            if (!check->failure) compute_signature(*signing);
        },
        [check, signing, config = ctx.config, group, head = std::move(head), request = std::move(request)](
            GatewayContext& ctx, IkeSa& sa) {
            if (auto failure = apply_certificate_check(sa, *check)) return fail(*failure);
            if (!signing->error.empty()) return fail("signing our AUTH failed: " + signing->error);
            std::vector<wire::Payload> answer = head;
            answer.push_back(signature_auth_payload(*signing));
            return establish(ctx, sa, *group, std::move(answer), request);
        });
}

}  // namespace

ExchangeResult handle_ike_auth(GatewayContext& ctx, IkeSa& sa, std::vector<wire::Payload> request) {
    switch (sa.state) {
        case IkeSaState::InitDone: return first_message(ctx, sa, std::move(request));
        case IkeSaState::Authenticating: return eap_round(ctx, sa, request);
        default: return fail("IKE_AUTH on an established IKE SA", NotifyType::INVALID_SYNTAX);
    }
}

}  // namespace ikev2d::ike
