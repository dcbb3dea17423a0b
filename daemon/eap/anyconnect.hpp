// EAP-AnyConnect (Cisco expanded type, vendor 9, type 0x44425250): the aggregate-auth
// XML conversation of ../shared/protocol/anyconnect-ikev2.md carried in TLVs:
//   hello -> init -> auth-request -> auth-reply -> complete -> ack -> EAP-Success.
// The user name and password arrive inside the XML (the EAP identity is the fixed
// "*$AnyConnectClient$*"), so this method looks the credentials up itself. No MSK:
// the IKE layer then computes AUTH with SK_pi/SK_pr (RFC 7296 2.16).
#pragma once

#include <cstdint>
#include <string>

#include "eap/credentials.hpp"
#include "eap/method.hpp"
#include "util/result.hpp"

namespace ikev2d::eap {

inline constexpr std::uint32_t kCiscoVendorId = 9;
inline constexpr std::uint32_t kAnyConnectVendorType = 0x44425250;
// IDi of AnyConnect clients; EapServer starts EAP-AnyConnect for it when allowed.
inline constexpr std::string_view kAnyConnectIdentity = "*$AnyConnectClient$*";

struct AnyConnectSettings {
    std::string tunnel_group = "ikev2d";
    std::string message = "Please enter your username and password.";
    std::string banner;     // shown after login; empty = none
    int max_attempts = 3;   // auth-reply tries before EAP-Failure
    // Client services (docs/anyconnect-client-services.md): the HTTPS port named in
    // "complete" (0 = none, nothing announced) and the group's profile for its manifest.
    std::uint16_t csport = 0;
    std::string profile_name;  // served as kProfilePathPrefix + profile_name; empty = none
    std::string profile_sha1;  // hex
};

// Where the client-services endpoint serves profiles (as the ASA's /CACHE/stc/profiles/).
inline constexpr std::string_view kProfilePathPrefix = "/CACHE/stc/profiles/";
// The vpn-profile-manifest element for one user profile (empty name: none).
std::string profile_manifest_xml(std::string_view profile_name, std::string_view sha1_hex);

class AnyConnectMethod final : public EapMethod {
public:
    explicit AnyConnectMethod(CredentialLookup lookup, AnyConnectSettings settings = {});

    iana::EapType type() const override { return iana::EapType::Expanded; }
    Bytes start(std::uint8_t identifier) override;
    Outcome process(const EapPacket& response) override;
    Outcome resume(PasswordCheck result) override;

    // The user named in the accepted auth-reply, and the token sent in "complete".
    const std::string& authenticated_user() const { return user_; }
    const std::string& session_token() const { return session_token_; }

    // TLV framing: Type(2) | Length(2, value only) | Value; type 0 carries the XML.
    static Bytes wrap_xml(std::string_view xml);
    static Result<std::string, std::string> extract_xml(ByteView tlvs);

private:
    enum class State { Idle, AwaitInit, AwaitAuthReply, CheckingPassword, AwaitAck, Done };

    Bytes request(std::uint8_t identifier, const std::string& xml) const;
    std::string auth_request_xml(bool after_failure) const;
    std::string complete_xml() const;
    // After the password of an auth-reply was checked: complete, another try, or Failure.
    Outcome after_password_check(std::uint8_t identifier, const std::string& name, PasswordCheck check);

    CredentialLookup lookup_;
    AnyConnectSettings settings_;
    State state_{State::Idle};
    int attempts_{0};
    std::string user_;
    std::string session_id_;
    std::string session_token_;
    std::uint8_t checking_identifier_{0};  // State::CheckingPassword: the auth-reply's Response
    std::string checking_name_;
};

}  // namespace ikev2d::eap
