#include "ike/peer_authentication.hpp"

#include <mutex>

#include "crypto/auth_signature.hpp"
#include "crypto/cert_policy.hpp"
#include "ike/auth_octets.hpp"

namespace ikev2d::ike {

using iana::AuthMethod;

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

std::optional<std::string> verify_psk_client(IkeSa& sa, const config::GroupConfig& group, const wire::AuthPayload& auth) {
    if (group.client_auth != config::ClientAuth::Psk || !group.psk) return "PSK not allowed for '" + sa.peer_id + "'";
    Bytes psk(group.psk->begin(), group.psk->end());
    const Bytes expected = shared_key_auth(*sa.prf, psk, initiator_signed_octets(sa));
    secure_wipe(psk.data(), psk.size());
    if (!ct_equal(expected, auth.data)) return "PSK AUTH mismatch for '" + sa.peer_id + "'";
    sa.peer_auth = PeerAuth::Psk;
    sa.auth_verify = "PSK";
    sa.username = sa.peer_id;
    return std::nullopt;
}

std::shared_ptr<CertificateCheck> begin_certificate_check(const GatewayContext& ctx, const IkeSa& sa,
                                                          const config::GroupConfig& group, const wire::IdPayload& idi,
                                                          const wire::AuthPayload& auth,
                                                          const std::vector<const wire::CertPayload*>& certs,
                                                          std::string& failure) {
    if (group.client_auth != config::ClientAuth::Certificate) {
        failure = "certificate authentication not allowed";
        return nullptr;
    }
    if (certs.empty()) {
        failure = "signature AUTH without a certificate";
        return nullptr;
    }
    if (!ctx.credentials) {
        failure = "client certificate not trusted: no trusted CAs";
        return nullptr;
    }
    auto check = std::make_shared<CertificateCheck>();
    check->credentials = ctx.credentials;
    for (const auto* c : certs) check->certs.push_back(c->data);
    check->idi = idi;
    check->peer_id = sa.peer_id;
    check->method = auth.method;
    check->auth_data = auth.data;
    check->signed_octets = initiator_signed_octets(sa);
    check->allow_cn_identity = ctx.config->trustpoint.allow_cn_identity;
    check->allow_sha1 = group.allow_sha1_signatures;
    return check;
}

void run_certificate_check(CertificateCheck& check) {
    try {
        crypto::Certificate end_entity = crypto::Certificate::from_der(check.certs.front());
        std::vector<crypto::Certificate> intermediates;
        for (std::size_t i = 1; i < check.certs.size(); ++i)
            intermediates.push_back(crypto::Certificate::from_der(check.certs[i]));
        std::string why;
        bool trusted;
        {
            // One trust list for all workers: GnuTLS documents read-only use of shared
            // credentials as safe, but not this call; one at a time costs little.
            std::lock_guard lock(*check.credentials->trust_lock);
            trusted = check.credentials->trusted.verify_chain(end_entity, intermediates, &why);
        }
        if (!trusted) {
            check.failure = "client certificate not trusted: " + why;
            return;
        }
        if (auto problem = crypto::client_certificate_problem(end_entity)) {
            check.failure = "client certificate: " + *problem;
            return;
        }
        const wire::IdPayload& idi = check.idi;
        const bool id_ok = idi.type == iana::IdType::DER_ASN1_DN
                               ? idi.data == end_entity.subject_dn_der()
                               : end_entity.matches_identity(check.peer_id, check.allow_cn_identity);
        if (!id_ok) {
            check.failure = "IDi '" + check.peer_id + "' does not match the certificate";
            return;
        }
        std::string sig_why;
        if (!crypto::verify_auth(end_entity, check.method, check.auth_data, check.signed_octets, &sig_why,
                                 check.allow_sha1)) {
            check.failure = "client signature invalid: " + sig_why;
            return;
        }
        check.auth_verify =
            end_entity.key_type() == crypto::KeyType::RSA ? "RSA" : crypto::key_type_name(end_entity.key_type());
        check.username = idi.type == iana::IdType::DER_ASN1_DN ? end_entity.subject_dn() : check.peer_id;
    } catch (const std::exception& e) {
        check.failure = std::string("client certificate: ") + e.what();
    }
}

std::optional<std::string> apply_certificate_check(IkeSa& sa, const CertificateCheck& check) {
    if (check.failure) return check.failure;
    sa.auth_verify = check.auth_verify;
    sa.username = check.username;
    sa.peer_auth = PeerAuth::Certificate;
    return std::nullopt;
}

std::optional<std::string> verify_eap_client(IkeSa& sa, const wire::AuthPayload* auth) {
    if (!auth || auth->method != AuthMethod::SHARED_KEY) return "expected AUTH after EAP success";
    ByteView verify_key = sa.msk ? sa.msk->view() : sa.keys.sk_pi.view();
    if (!ct_equal(shared_key_auth(*sa.prf, verify_key, initiator_signed_octets(sa)), auth->data))
        return "AUTH after EAP does not match";
    sa.auth_verify = "EAP";
    return std::nullopt;
}

}  // namespace ikev2d::ike
