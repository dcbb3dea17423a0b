// The gateway's side of IKE_AUTH: its IDr and how it proves it (RFC 7296 2.15) — a
// signature with the trustpoint's key and the certificate chain, or the group PSK.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "crypto/auth_signature.hpp"
#include "ike/context.hpp"
#include "ike/ike_sa.hpp"
#include "wire/payloads.hpp"

namespace ikev2d::ike {

// Our IDr: the trustpoint's identity (IP address, e-mail or FQDN) or else our certificate's DN.
wire::IdPayload own_id_payload(const GatewayContext& ctx);

// Our signature over ResponderSignedOctets, made on a worker: the job holds the
// credentials (so the key lives as long as it does) and its own copy of the octets.
struct SignatureJob {
    std::shared_ptr<const Credentials> credentials;
    crypto::AuthSignatureScheme scheme{};
    Bytes octets;
    Bytes signature;    // out
    std::string error;  // out: set when signing failed
};
// On a worker. Signs under the key's lock: GnuTLS promises thread safety for one object
// per thread, and does not say that a gnutls_privkey_t may sign in two threads at once.
void compute_signature(SignatureJob& job);
// The AUTH payload of a finished job.
wire::Payload signature_auth_payload(const SignatureJob& job);

// Appends IDr and our CERT chain, records the IDr and how we sign in `sa`, and returns
// the job that makes the AUTH payload; nullptr when there is no certificate and key.
std::shared_ptr<SignatureJob> begin_signed_identity(const GatewayContext& ctx, IkeSa& sa,
                                                    std::vector<wire::Payload>& out);

// Appends IDr and a shared-key AUTH with `psk`.
void add_psk_identity(const GatewayContext& ctx, IkeSa& sa, ByteView psk, std::vector<wire::Payload>& out);

}  // namespace ikev2d::ike
