// A minimal EAP-MSCHAPv2 peer (client) for the tests, written from
// draft-kamath-pppext-eap-mschapv2 and RFC 2759: it answers the Challenge, checks the
// authenticator's "S=" string and acknowledges the Success. The packet handling is
// independent of the server's; the RFC 2759/3079 arithmetic comes from
// mschapv2_crypto, which test_mschapv2_crypto.cpp checks against the RFC vectors.
#pragma once

#include <optional>
#include <string>

#include "util/bytes.hpp"

namespace test_peer {

class MsChapV2Peer {
public:
    MsChapV2Peer(std::string name, std::string password) : name_(std::move(name)), password_(std::move(password)) {}

    // Answers a Request/Challenge with a Response packet; nullopt if the Request is not
    // a well-formed Challenge.
    std::optional<ikev2d::Bytes> answer_challenge(ikev2d::ByteView request);
    // Checks the authenticator response in a Request/Success and returns the Response/
    // Success; nullopt if the "S=" value is missing or wrong.
    std::optional<ikev2d::Bytes> answer_success(ikev2d::ByteView request);
    // The peer's MSK, from its own side: client send key (Magic2) | client receive key
    // (Magic3) | 32 zeros, which must equal the server's receive|send layout.
    ikev2d::Bytes msk() const;

    // For tampering tests: the last Response built.
    ikev2d::Bytes last_response;

private:
    std::string name_;
    std::string password_;
    ikev2d::Bytes auth_challenge_;
    ikev2d::Bytes peer_challenge_;
    ikev2d::Bytes nt_response_;
};

}  // namespace test_peer
