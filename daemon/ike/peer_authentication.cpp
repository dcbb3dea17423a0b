#include "ike/peer_authentication.hpp"

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

std::optional<std::string> verify_certificate_client(const GatewayContext& ctx, IkeSa& sa,
                                                     const config::GroupConfig& group, const wire::IdPayload& idi,
                                                     const wire::AuthPayload& auth,
                                                     const std::vector<const wire::CertPayload*>& certs) {
    if (group.client_auth != config::ClientAuth::Certificate) return "certificate authentication not allowed";
    if (certs.empty()) return "signature AUTH without a certificate";
    try {
        crypto::Certificate end_entity = crypto::Certificate::from_der(certs.front()->data);
        std::vector<crypto::Certificate> intermediates;
        for (std::size_t i = 1; i < certs.size(); ++i) intermediates.push_back(crypto::Certificate::from_der(certs[i]->data));
        std::string why;
        if (!ctx.credentials || !ctx.credentials->trusted.verify_chain(end_entity, intermediates, &why))
            return "client certificate not trusted: " + why;
        if (auto problem = crypto::client_certificate_problem(end_entity)) return "client certificate: " + *problem;
        const bool allow_cn = ctx.config->trustpoint.allow_cn_identity;
        const bool id_ok = idi.type == iana::IdType::DER_ASN1_DN ? idi.data == end_entity.subject_dn_der()
                                                                 : end_entity.matches_identity(sa.peer_id, allow_cn);
        if (!id_ok) return "IDi '" + sa.peer_id + "' does not match the certificate";
        std::string sig_why;
        if (!crypto::verify_auth(end_entity, auth.method, auth.data, initiator_signed_octets(sa), &sig_why,
                                 group.allow_sha1_signatures))
            return "client signature invalid: " + sig_why;
        sa.auth_verify = end_entity.key_type() == crypto::KeyType::RSA ? "RSA" : crypto::key_type_name(end_entity.key_type());
        sa.username = idi.type == iana::IdType::DER_ASN1_DN ? end_entity.subject_dn() : sa.peer_id;
    } catch (const std::exception& e) {
        return std::string("client certificate: ") + e.what();
    }
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
