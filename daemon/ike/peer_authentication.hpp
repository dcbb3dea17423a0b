// The client's side of IKE_AUTH: checking what it proves — the group PSK, a certificate
// chain and signature, or the MSK-keyed AUTH after EAP — and the user credentials EAP
// looks up. Each check returns nullopt when the client proved itself (and records how in
// the IKE SA), else the reason, for the log only.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "config/config.hpp"
#include "eap/credentials.hpp"
#include "ike/context.hpp"
#include "ike/ike_sa.hpp"
#include "wire/payloads.hpp"

namespace ikev2d::ike {

// Users of this configuration, for the EAP methods.
eap::CredentialLookup credential_lookup(std::shared_ptr<const config::Config> cfg);

// AUTH = prf(prf(group PSK, "Key Pad for IKEv2"), InitiatorSignedOctets).
std::optional<std::string> verify_psk_client(IkeSa& sa, const config::GroupConfig& group, const wire::AuthPayload& auth);

// The end-entity certificate (first CERT) chains to a trusted CA through the others, is
// not revoked, may be used by a client (extendedKeyUsage), names the IDi, and signed
// InitiatorSignedOctets with a scheme the group accepts (SHA-1 only if allowed).
// The checking runs on a worker, on the job's own copies; the result goes into the SA
// on the loop.
struct CertificateCheck {
    std::shared_ptr<const Credentials> credentials;  // the trusted CAs
    std::vector<Bytes> certs;  // CERT payloads, end entity first
    wire::IdPayload idi;
    std::string peer_id;
    iana::AuthMethod method{};
    Bytes auth_data, signed_octets;
    bool allow_cn_identity = false, allow_sha1 = false;
    // Out
    std::optional<std::string> failure;
    std::string auth_verify, username;
};
// On the loop: the checks that need no crypto; nullptr with `failure` set when one fails.
std::shared_ptr<CertificateCheck> begin_certificate_check(const GatewayContext& ctx, const IkeSa& sa,
                                                          const config::GroupConfig& group, const wire::IdPayload& idi,
                                                          const wire::AuthPayload& auth,
                                                          const std::vector<const wire::CertPayload*>& certs,
                                                          std::string& failure);
// On a worker.
void run_certificate_check(CertificateCheck& check);
// On the loop: nullopt (and the SA knows who the peer is) or the reason.
std::optional<std::string> apply_certificate_check(IkeSa& sa, const CertificateCheck& check);

// After EAP success: AUTH keyed with the MSK (SK_pi when the method gave none).
std::optional<std::string> verify_eap_client(IkeSa& sa, const wire::AuthPayload* auth);

}  // namespace ikev2d::ike
