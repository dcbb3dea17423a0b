// The peer side of EAP (RFC 3748) for the test initiator: Identity, MD5-Challenge (RFC
// 3748 5.4, the CHAP computation of RFC 1994), and a Nak naming MD5 for anything else.
#pragma once

#include <optional>
#include <string>

#include "bytes.hpp"

namespace peer {

struct EapResult {
    enum class Kind { Respond, Success, Failure, Invalid } kind = Kind::Invalid;
    Bytes response;  // for Respond
};

class EapMd5Client {
public:
    EapMd5Client(std::string identity, std::string password);
    ~EapMd5Client();
    EapResult process(ByteView packet) const;

private:
    std::string identity_, password_;
};

// MD5(identifier | password | challenge) (RFC 1994 4.1).
Bytes chap_md5(std::uint8_t identifier, std::string_view password, ByteView challenge);

}  // namespace peer
