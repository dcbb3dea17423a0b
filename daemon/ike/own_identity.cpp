#include "ike/own_identity.hpp"

#include <mutex>

#include "crypto/auth_signature.hpp"
#include "ike/auth_octets.hpp"
#include "ike/id_text.hpp"

namespace ikev2d::ike {

using iana::AuthMethod;
using iana::PayloadType;

wire::IdPayload own_id_payload(const GatewayContext& ctx) {
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

std::shared_ptr<SignatureJob> begin_signed_identity(const GatewayContext& ctx, IkeSa& sa,
                                                    std::vector<wire::Payload>& out) {
    if (!ctx.credentials || !ctx.credentials->key || ctx.credentials->chain.empty()) return nullptr;
    wire::IdPayload idr = own_id_payload(ctx);
    sa.own_id_body = idr.raw_body();
    sa.own_id = printable_id(idr);
    out.push_back({PayloadType::IDr, false, idr});
    for (const auto& cert : ctx.credentials->chain)
        out.push_back({PayloadType::CERT, false,
                       wire::CertPayload{static_cast<std::uint8_t>(iana::CertEncoding::X509_SIGNATURE), cert.der()}});
    auto job = std::make_shared<SignatureJob>();
    job->credentials = ctx.credentials;
    job->scheme = crypto::choose_auth_scheme(*ctx.credentials->key, sa.peer_signature_hashes);
    job->octets = responder_signed_octets(sa);
    sa.auth_sign = ctx.credentials->key->type() == crypto::KeyType::RSA ? "RSA" : "ECDSA";
    return job;
}

void compute_signature(SignatureJob& job) {
    try {
        std::lock_guard lock(*job.credentials->key_lock);
        job.signature = crypto::sign_auth(*job.credentials->key, job.scheme, job.octets);
    } catch (const std::exception& e) {
        job.error = e.what();
    }
}

wire::Payload signature_auth_payload(const SignatureJob& job) {
    return {PayloadType::AUTH, false, wire::AuthPayload{job.scheme.method, job.signature}};
}

void add_psk_identity(const GatewayContext& ctx, IkeSa& sa, ByteView psk, std::vector<wire::Payload>& out) {
    wire::IdPayload idr = own_id_payload(ctx);
    sa.own_id_body = idr.raw_body();
    sa.own_id = printable_id(idr);
    out.push_back({PayloadType::IDr, false, idr});
    out.push_back({PayloadType::AUTH, false,
                   wire::AuthPayload{AuthMethod::SHARED_KEY, shared_key_auth(*sa.prf, psk, responder_signed_octets(sa))}});
    sa.auth_sign = "PSK";
}

}  // namespace ikev2d::ike
