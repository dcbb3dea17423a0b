// The peer side of EAP (RFC 3748) for the test initiator: the interface of a method
// client, and EAP-MD5: Identity, MD5-Challenge (RFC 3748 5.4, the CHAP computation of
// RFC 1994), and a Nak naming MD5 for anything else (EAP-MSCHAPv2: eap_mschapv2.hpp).
#pragma once

#include <optional>
#include <string>

#include "bytes.hpp"

namespace peer {

struct EapResult {
    enum class Kind { Respond, Success, Failure, Invalid } kind = Kind::Invalid;
    Bytes response;  // for Respond
};

class EapClient {
public:
    virtual ~EapClient() = default;
    virtual EapResult process(ByteView packet) = 0;
    // The MSK after EAP Success (RFC 7296 2.16: it keys the AUTH payloads); nullopt for
    // methods that make none (MD5), whose AUTH payloads are keyed with SK_pi/SK_pr.
    virtual std::optional<Bytes> msk() const { return std::nullopt; }
};

// What MD5 and GTC share: an identity and a password (wiped at the end), the framing of
// Success/Failure/Request, the Identity answer, and a Nak naming the method for any other
// type; the method's own Request comes to respond().
class PasswordEapClient : public EapClient {
public:
    PasswordEapClient(std::uint8_t method, std::string identity, std::string password);
    ~PasswordEapClient() override;
    EapResult process(ByteView packet) final;

protected:
    // The Response to the method's Request with `id` and type data `data`; nullopt: invalid.
    virtual std::optional<Bytes> respond(std::uint8_t id, ByteView data) const = 0;
    const std::string& password() const { return password_; }

private:
    std::uint8_t method_;
    std::string identity_, password_;
};

class EapMd5Client final : public PasswordEapClient {
public:
    EapMd5Client(std::string identity, std::string password);

private:
    std::optional<Bytes> respond(std::uint8_t id, ByteView data) const override;
};

// EAP-GTC (RFC 3748 5.6): the password in the clear as the Response (inside the IKE SA);
// Identity like MD5; a Nak naming GTC for anything else. No MSK.
class EapGtcClient final : public PasswordEapClient {
public:
    EapGtcClient(std::string identity, std::string password);

private:
    std::optional<Bytes> respond(std::uint8_t id, ByteView data) const override;
};

// An EAP Response packet (RFC 3748 4.1) of `type` with `data`.
Bytes eap_response(std::uint8_t identifier, std::uint8_t type, ByteView data);

// MD5(identifier | password | challenge) (RFC 1994 4.1).
Bytes chap_md5(std::uint8_t identifier, std::string_view password, ByteView challenge);

}  // namespace peer
