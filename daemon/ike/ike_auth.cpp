#include "ike/ike_auth.hpp"

#include "crypto/auth_signature.hpp"
#include "eap/anyconnect.hpp"
#include "ike/auth_octets.hpp"
#include "ike/child_negotiation.hpp"
#include "ike/payload_helpers.hpp"
#include "util/log.hpp"

namespace ikev2d::ike {
namespace {

using iana::AuthMethod;
using iana::NotifyType;
using iana::PayloadType;

std::string printable_id(const wire::IdPayload& id) {
    switch (id.type) {
        case iana::IdType::IPV4_ADDR:
        case iana::IdType::IPV6_ADDR:
            if (id.data.size() == 4 || id.data.size() == 16) return IpAddress::from_bytes(id.data).to_string();
            return "<bad address>";
        case iana::IdType::DER_ASN1_DN: return "asn1dn:" + to_hex(id.data);
        default: {
            std::string s;
            for (std::uint8_t c : id.data) s.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
            return s;
        }
    }
}

// Our IDr: the trustpoint's identity (IP address, e-mail or FQDN) or else our certificate's DN.
wire::IdPayload own_identity(const GatewayContext& ctx) {
    const std::string& identity = ctx.config->trustpoint.identity;
    wire::IdPayload id;
    if (auto ip = IpAddress::parse(identity)) {
        id.type = ip->is_v4() ? iana::IdType::IPV4_ADDR : iana::IdType::IPV6_ADDR;
        id.data.assign(ip->view().begin(), ip->view().end());
    } else if (!identity.empty()) {
        id.type = identity.find('@') != std::string::npos ? iana::IdType::RFC822_ADDR : iana::IdType::FQDN;
        id.data.assign(identity.begin(), identity.end());
    } else if (ctx.credentials && !ctx.credentials->chain.empty()) {
        id.type = iana::IdType::DER_ASN1_DN;
        id.data = ctx.credentials->chain.front().subject_dn_der();
    } else {
        id.type = iana::IdType::FQDN;
        std::string fallback = "ikev2d";
        id.data.assign(fallback.begin(), fallback.end());
    }
    return id;
}

const config::GroupConfig* group_for(const config::Config& cfg, std::string_view user) {
    if (const auto* u = cfg.user(user))
        if (const auto* g = cfg.group(u->group)) return g;
    if (const auto* g = cfg.group(cfg.default_group)) return g;
    return cfg.groups.empty() ? nullptr : &cfg.groups.front();
}

eap::CredentialLookup credential_lookup(std::shared_ptr<const config::Config> cfg) {
    return [cfg](std::string_view name) -> std::optional<eap::UserCredentials> {
        const auto* u = cfg->user(name);
        if (!u) return std::nullopt;
        eap::UserCredentials c;
        c.username = u->name;
        c.cleartext_password = u->password;
        c.nt_hash = u->nt_hash;
        c.crypt_hash = u->password_hash;
        return c;
    };
}

ExchangeResult fail(std::string reason, NotifyType notify = NotifyType::AUTHENTICATION_FAILED) {
    ExchangeResult r;
    r.payloads.push_back(notify_payload(notify));
    r.close_after = true;
    r.auth_failed = notify == NotifyType::AUTHENTICATION_FAILED;
    r.reason = std::move(reason);
    return r;
}

// Signs ResponderSignedOctets with our private key: IDr, CERT chain, AUTH.
bool add_signed_identity(const GatewayContext& ctx, IkeSa& sa, std::vector<wire::Payload>& out) {
    if (!ctx.credentials || !ctx.credentials->key || ctx.credentials->chain.empty()) return false;
    wire::IdPayload idr = own_identity(ctx);
    sa.own_id_body = idr.raw_body();
    sa.own_id = printable_id(idr);
    out.push_back({PayloadType::IDr, false, idr});
    for (const auto& cert : ctx.credentials->chain)
        out.push_back({PayloadType::CERT, false,
                       wire::CertPayload{static_cast<std::uint8_t>(iana::CertEncoding::X509_SIGNATURE), cert.der()}});
    auto scheme = crypto::choose_auth_scheme(*ctx.credentials->key, sa.peer_signature_hashes);
    Bytes signature = crypto::sign_auth(*ctx.credentials->key, scheme, responder_signed_octets(sa));
    out.push_back({PayloadType::AUTH, false, wire::AuthPayload{scheme.method, std::move(signature)}});
    sa.auth_sign = ctx.credentials->key->type() == crypto::KeyType::RSA ? "RSA" : "ECDSA";
    return true;
}

void add_psk_identity(const GatewayContext& ctx, IkeSa& sa, ByteView psk, std::vector<wire::Payload>& out) {
    wire::IdPayload idr = own_identity(ctx);
    sa.own_id_body = idr.raw_body();
    sa.own_id = printable_id(idr);
    out.push_back({PayloadType::IDr, false, idr});
    out.push_back({PayloadType::AUTH, false,
                   wire::AuthPayload{AuthMethod::SHARED_KEY, shared_key_auth(*sa.prf, psk, responder_signed_octets(sa))}});
    sa.auth_sign = "PSK";
}

ExchangeResult establish(GatewayContext& ctx, IkeSa& sa, const config::GroupConfig& group,
                         std::vector<wire::Payload> head, const std::vector<wire::Payload>& child_request) {
    ExchangeResult r;
    r.payloads = std::move(head);
    if (sa.initial_contact && ctx.replace_older_sas) ctx.replace_older_sas(sa);
    auto child = negotiate_first_child(ctx, sa, group, child_request);
    for (auto& p : child) r.payloads.push_back(std::move(p));
    sa.state = IkeSaState::Established;
    sa.group = group.name;
    r.established = true;
    return r;
}

ExchangeResult first_message(GatewayContext& ctx, IkeSa& sa, std::vector<wire::Payload> request) {
    const auto* idi = find_payload<wire::IdPayload>(request, PayloadType::IDi);
    if (!idi) return fail("IKE_AUTH without IDi", NotifyType::INVALID_SYNTAX);
    sa.peer_id_body = idi->raw_body();
    sa.peer_id = printable_id(*idi);
    sa.initial_contact = find_notify(request, NotifyType::INITIAL_CONTACT) != nullptr;
    const config::Config& cfg = *ctx.config;
    const auto* auth = find_payload<wire::AuthPayload>(request, PayloadType::AUTH);
    const config::GroupConfig* group = group_for(cfg, sa.peer_id);
    if (!group) return fail("no group configured");

    if (auth == nullptr) {
        // No AUTH: the client wants EAP (RFC 7296 2.16).
        if (group->client_auth != config::ClientAuth::Eap) return fail("client asked for EAP, group '" + group->name + "' does not use it");
        sa.peer_auth = PeerAuth::Eap;
        // IDi serves as the EAP identity when it names a user (strongSwan with id = user);
        // AnyConnect's fixed IDi starts its XML method; otherwise an EAP-Identity round.
        std::optional<std::string> known;
        std::vector<iana::EapType> methods = group->eap_methods;
        const bool anyconnect_id = sa.peer_id == eap::kAnyConnectIdentity;
        if (anyconnect_id) {
            known = std::string(eap::kAnyConnectIdentity);
            sa.peer_is_anyconnect = true;
        } else if (cfg.user(sa.peer_id)) {
            known = sa.peer_id;
        }
        if (!anyconnect_id) std::erase(methods, iana::EapType::Expanded);
        if (methods.empty()) return fail("no EAP method of group '" + group->name + "' suits this client");
        try {
            sa.eap = std::make_unique<eap::EapServer>(methods, credential_lookup(ctx.config), known);
        } catch (const std::exception& e) {
            return fail(std::string("EAP: ") + e.what());
        }
        if (anyconnect_id) {
            eap::AnyConnectSettings ac;
            ac.tunnel_group = group->name;
            ac.banner = group->banner;
            sa.eap->set_anyconnect_settings(ac);
        }
        ExchangeResult r;
        if (!add_signed_identity(ctx, sa, r.payloads)) return fail("EAP needs a gateway certificate and key");
        r.payloads.push_back({PayloadType::EAP, false, wire::EapPayload{sa.eap->start()}});
        sa.pending_auth_request = std::move(request);
        sa.state = IkeSaState::Authenticating;
        return r;
    }

    if (auth->method == AuthMethod::SHARED_KEY) {
        if (group->client_auth != config::ClientAuth::Psk || !group->psk) return fail("PSK not allowed for '" + sa.peer_id + "'");
        Bytes psk(group->psk->begin(), group->psk->end());
        Bytes expected = shared_key_auth(*sa.prf, psk, initiator_signed_octets(sa));
        if (!ct_equal(expected, auth->data)) {
            secure_wipe(psk.data(), psk.size());
            return fail("PSK AUTH mismatch for '" + sa.peer_id + "'");
        }
        sa.peer_auth = PeerAuth::Psk;
        sa.auth_verify = "PSK";
        sa.username = sa.peer_id;
        std::vector<wire::Payload> head;
        add_psk_identity(ctx, sa, psk, head);
        secure_wipe(psk.data(), psk.size());
        return establish(ctx, sa, *group, std::move(head), request);
    }

    // A signature: the client authenticates with its certificate.
    if (group->client_auth != config::ClientAuth::Certificate) return fail("certificate authentication not allowed");
    auto certs = find_all_payloads<wire::CertPayload>(request, PayloadType::CERT);
    if (certs.empty()) return fail("signature AUTH without a certificate");
    try {
        crypto::Certificate end_entity = crypto::Certificate::from_der(certs.front()->data);
        std::vector<crypto::Certificate> intermediates;
        for (std::size_t i = 1; i < certs.size(); ++i) intermediates.push_back(crypto::Certificate::from_der(certs[i]->data));
        std::string why;
        if (!ctx.credentials || !ctx.credentials->trusted.verify_chain(end_entity, intermediates, &why))
            return fail("client certificate not trusted: " + why);
        bool id_ok = idi->type == iana::IdType::DER_ASN1_DN ? idi->data == end_entity.subject_dn_der()
                                                            : end_entity.matches_identity(sa.peer_id);
        if (!id_ok) return fail("IDi '" + sa.peer_id + "' does not match the certificate");
        std::string sig_why;
        if (!crypto::verify_auth(end_entity, auth->method, auth->data, initiator_signed_octets(sa), &sig_why))
            return fail("client signature invalid: " + sig_why);
        sa.auth_verify = end_entity.key_type() == crypto::KeyType::RSA ? "RSA" : crypto::key_type_name(end_entity.key_type());
        sa.username = idi->type == iana::IdType::DER_ASN1_DN ? end_entity.subject_dn() : sa.peer_id;
    } catch (const std::exception& e) {
        return fail(std::string("client certificate: ") + e.what());
    }
    sa.peer_auth = PeerAuth::Certificate;
    std::vector<wire::Payload> head;
    if (!add_signed_identity(ctx, sa, head)) return fail("no gateway certificate to answer a certificate client");
    return establish(ctx, sa, *group, std::move(head), request);
}

ExchangeResult eap_round(GatewayContext& ctx, IkeSa& sa, const std::vector<wire::Payload>& request) {
    const auto* eap_p = find_payload<wire::EapPayload>(request, PayloadType::EAP);
    const auto* auth = find_payload<wire::AuthPayload>(request, PayloadType::AUTH);
    if (!sa.eap_succeeded) {
        if (!eap_p) return fail("expected an EAP response", NotifyType::INVALID_SYNTAX);
        eap::Outcome o = sa.eap->process(eap_p->data);
        ExchangeResult r;
        r.payloads.push_back({PayloadType::EAP, false, wire::EapPayload{o.next_packet}});
        switch (o.kind) {
            case eap::Outcome::Kind::Continue: return r;
            case eap::Outcome::Kind::Success:
                sa.eap_succeeded = true;
                sa.msk = sa.eap->msk();
                sa.username = sa.eap->authenticated_user().empty() ? o.username : sa.eap->authenticated_user();
                LOG_EXCH(Eap, "(%u): EAP succeeded for user '%s'%s", sa.unique_id, sa.username.c_str(),
                         sa.msk ? "" : " (no MSK: AUTH keyed with SK_p)");
                return r;
            case eap::Outcome::Kind::Failure:
                r.payloads.push_back(notify_payload(NotifyType::AUTHENTICATION_FAILED));
                r.close_after = true;
                r.auth_failed = true;
                r.reason = "EAP authentication failed: " + o.reason;
                return r;
        }
        return fail("EAP: unexpected outcome");
    }
    // EAP done: the client's AUTH is a MAC keyed with the MSK (or SK_pi without one).
    if (!auth || auth->method != AuthMethod::SHARED_KEY) return fail("expected AUTH after EAP success");
    ByteView verify_key = sa.msk ? sa.msk->view() : sa.keys.sk_pi.view();
    ByteView sign_key = sa.msk ? sa.msk->view() : sa.keys.sk_pr.view();
    if (!ct_equal(shared_key_auth(*sa.prf, verify_key, initiator_signed_octets(sa)), auth->data))
        return fail("AUTH after EAP does not match");
    sa.auth_verify = "EAP";
    const config::GroupConfig* group = group_for(*ctx.config, sa.username);
    if (!group) return fail("no group for user '" + sa.username + "'");
    std::vector<wire::Payload> head;
    head.push_back({PayloadType::AUTH, false,
                    wire::AuthPayload{AuthMethod::SHARED_KEY, shared_key_auth(*sa.prf, sign_key, responder_signed_octets(sa))}});
    std::vector<wire::Payload> held = std::move(sa.pending_auth_request);
    sa.pending_auth_request.clear();
    return establish(ctx, sa, *group, std::move(head), held);
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
