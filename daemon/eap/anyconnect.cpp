#include "eap/anyconnect.hpp"

#include <algorithm>
#include <stdexcept>

#include "eap/password_check.hpp"
#include "crypto/random.hpp"
#include "eap/xml.hpp"
#include "util/log.hpp"

namespace ikev2d::eap {
namespace {

constexpr std::uint16_t kTlvXml = 0;
constexpr std::string_view kXmlHeader = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";

std::string open_config_auth(std::string_view type) {
    return std::string(kXmlHeader) + "<config-auth client=\"vpn\" type=\"" + std::string(type) +
           "\" aggregate-auth-version=\"2\">";
}

// Wipes a std::string's characters (passwords parsed out of the XML).
void wipe_string(std::string& s) {
    if (!s.empty()) secure_wipe(s.data(), s.size());
    s.clear();
}

}  // namespace

std::string profile_manifest_xml(std::string_view profile_name, std::string_view sha1_hex) {
    if (profile_name.empty()) return "<vpn-profile-manifest></vpn-profile-manifest>";
    return "<vpn-profile-manifest><vpn rev=\"1.0\"><file type=\"profile\" service-type=\"user\"><uri>" +
           xml::escape(std::string(kProfilePathPrefix) + std::string(profile_name)) + "</uri><hash type=\"sha1\">" +
           xml::escape(sha1_hex) + "</hash></file></vpn></vpn-profile-manifest>";
}

AnyConnectMethod::AnyConnectMethod(CredentialLookup lookup, AnyConnectSettings settings)
    : lookup_(std::move(lookup)), settings_(std::move(settings)) {}

Bytes AnyConnectMethod::wrap_xml(std::string_view xml) {
    if (xml.size() > 0xffff) throw std::length_error("aggregate-auth XML larger than a TLV");
    Bytes out;
    out.reserve(4 + xml.size());
    out.push_back(static_cast<std::uint8_t>(kTlvXml >> 8));
    out.push_back(static_cast<std::uint8_t>(kTlvXml & 0xff));
    out.push_back(static_cast<std::uint8_t>(xml.size() >> 8));
    out.push_back(static_cast<std::uint8_t>(xml.size() & 0xff));
    out.insert(out.end(), xml.begin(), xml.end());
    return out;
}

Result<std::string, std::string> AnyConnectMethod::extract_xml(ByteView tlvs) {
    std::optional<std::string> xml;
    while (!tlvs.empty()) {
        if (tlvs.size() < 4) return unexpected("truncated AnyConnect TLV header (" + std::to_string(tlvs.size()) + " bytes)");
        const std::uint16_t type = static_cast<std::uint16_t>((tlvs[0] << 8) | tlvs[1]);
        const std::size_t length = (std::size_t{tlvs[2]} << 8) | tlvs[3];
        if (length > tlvs.size() - 4)
            return unexpected("AnyConnect TLV " + std::to_string(type) + " claims " + std::to_string(length) +
                              " bytes, only " + std::to_string(tlvs.size() - 4) + " left");
        const ByteView value = tlvs.subspan(4, length);
        if (type == kTlvXml) {
            if (xml) return unexpected(std::string("more than one XML TLV"));
            xml.emplace(value.begin(), value.end());
        }
        tlvs = tlvs.subspan(4 + length);  // other TLVs (signature, certificates) are not used
    }
    if (!xml) return unexpected(std::string("no XML TLV"));
    return std::move(*xml);
}

Bytes AnyConnectMethod::request(std::uint8_t identifier, const std::string& xml) const {
    // The "complete" document carries the session token: secret level only.
    LOG_SECRET(Eap, "EAP-AnyConnect: sending XML\n%s", xml.c_str());
    return make_expanded_request(identifier, kCiscoVendorId, kAnyConnectVendorType, wrap_xml(xml));
}

std::string AnyConnectMethod::auth_request_xml(bool after_failure) const {
    std::string x = open_config_auth("auth-request");
    x += "<opaque is-for=\"sg\"><tunnel-group>" + xml::escape(settings_.tunnel_group) +
         "</tunnel-group><config-hash>0</config-hash></opaque>";
    x += "<auth id=\"main\"><message>" + xml::escape(settings_.message) + "</message>";
    if (after_failure) x += "<error id=\"88\" param1=\"\" param2=\"\">Login failed.</error>";
    x += "<form><input type=\"text\" name=\"username\" label=\"Username:\"></input>"
         "<input type=\"password\" name=\"password\" label=\"Password:\"></input></form></auth>";
    x += "</config-auth>";
    return x;
}

std::string AnyConnectMethod::complete_xml() const {
    std::string x = open_config_auth("complete");
    x += "<session-id>" + session_id_ + "</session-id><session-token>" + session_token_ + "</session-token>";
    x += "<auth id=\"success\">";
    if (!settings_.banner.empty()) x += "<banner>" + xml::escape(settings_.banner) + "</banner>";
    x += "</auth><config client=\"vpn\" type=\"private\"><vpn-base-config></vpn-base-config>";
    if (settings_.csport != 0) {
        // Where the downloader fetches the profile with the session token (client services).
        x += "<csport>" + std::to_string(settings_.csport) + "</csport>";
        x += profile_manifest_xml(settings_.profile_name, settings_.profile_sha1);
    }
    x += "</config>";
    x += "</config-auth>";
    return x;
}

Bytes AnyConnectMethod::start(std::uint8_t identifier) {
    state_ = State::AwaitInit;
    attempts_ = 0;
    user_.clear();
    LOG_INFO(Eap, "EAP-AnyConnect: sending hello (id %u)", identifier);
    return request(identifier, open_config_auth("hello") + "</config-auth>");
}

Outcome AnyConnectMethod::process(const EapPacket& response) {
    const std::uint8_t id = response.identifier;
    const auto next_id = static_cast<std::uint8_t>(id + 1);
    const auto fail = [&](std::string why) {
        state_ = State::Done;
        return Outcome::failure(id, "AnyConnect: " + std::move(why));
    };
    if (state_ == State::Idle || state_ == State::Done) return fail("response outside the conversation");
    if (response.expanded_vendor_id() != kCiscoVendorId || response.expanded_vendor_type() != kAnyConnectVendorType)
        return fail("expanded type is not Cisco AnyConnect");
    auto document = extract_xml(response.expanded_data());
    if (!document) return fail(document.error());
    auto root = xml::parse(*document);
    // The document may hold the password: wipe our copies, now and when leaving.
    wipe_string(*document);
    if (!root) return fail(root.error());
    struct TreeWiper {
        xml::Element& tree;
        ~TreeWiper() { xml::wipe(tree); }
    } wiper{**root};
    const xml::Element& config = **root;
    if (config.name != "config-auth")
        return fail("root element is <" + loggable(config.name) + ">, not <config-auth>");
    const std::string type = config.attribute("type");
    LOG_INFO(Eap, "EAP-AnyConnect: received config-auth type \"%s\"", loggable(type).c_str());

    switch (state_) {
        case State::AwaitInit:
            if (type != "init") return fail("expected type \"init\", got \"" + loggable(type) + "\"");
            state_ = State::AwaitAuthReply;
            return Outcome::proceed(request(next_id, auth_request_xml(false)));

        case State::AwaitAuthReply: {
            if (type != "auth-reply") return fail("expected type \"auth-reply\", got \"" + loggable(type) + "\"");
            const xml::Element* auth = config.child("auth");
            const xml::Element* username = auth ? auth->child("username") : nullptr;
            const xml::Element* password = auth ? auth->child("password") : nullptr;
            if (!username || !password) return fail("auth-reply without auth/username and auth/password");
            const std::string name = username->text;
            std::string offered = password->text;
            const bool name_ok = !name.empty() && name.size() <= 253 &&
                                 std::none_of(name.begin(), name.end(), [](char c) {
                                     return static_cast<unsigned char>(c) < 0x20 || c == 0x7f;
                                 });
            const auto user = name_ok ? lookup_(name) : std::nullopt;
            if (user && defer_password_checks_ && password_check_is_slow(*user)) {
                state_ = State::CheckingPassword;
                checking_identifier_ = id;
                checking_name_ = name;
                Outcome deferred = Outcome::check_password(*user, offered);
                wipe_string(offered);
                return deferred;
            }
            const PasswordCheck check = user ? check_password(*user, offered) : PasswordCheck::Mismatch;
            wipe_string(offered);
            return after_password_check(id, name, check);
        }

        case State::AwaitAck:
            if (type != "ack") return fail("expected type \"ack\", got \"" + loggable(type) + "\"");
            state_ = State::Done;
            LOG_EXCH(Eap, "EAP-AnyConnect: user '%s' authenticated", loggable(user_).c_str());
            return Outcome::success(id, user_);

        case State::CheckingPassword:  // EapServer takes no Response meanwhile
        case State::Idle:
        case State::Done: break;
    }
    return fail("response outside the conversation");
}

Outcome AnyConnectMethod::resume(PasswordCheck result) {
    if (state_ != State::CheckingPassword) return EapMethod::resume(result);
    state_ = State::AwaitAuthReply;
    std::string name = std::move(checking_name_);
    checking_name_.clear();
    return after_password_check(checking_identifier_, name, result);
}

Outcome AnyConnectMethod::after_password_check(std::uint8_t id, const std::string& name, PasswordCheck check) {
    const auto next_id = static_cast<std::uint8_t>(id + 1);
    if (check == PasswordCheck::Match) {
        user_ = name;
        const Bytes sid = crypto::random_bytes(4);
        session_id_ = std::to_string((std::uint32_t{sid[0]} << 24 | std::uint32_t{sid[1]} << 16 |
                                      std::uint32_t{sid[2]} << 8 | sid[3]) & 0x7fffffff);
        session_token_ = to_hex(crypto::random_bytes(16));
        state_ = State::AwaitAck;
        LOG_INFO(Eap, "EAP-AnyConnect: password accepted for '%s'", loggable(name).c_str());
        return Outcome::proceed(request(next_id, complete_xml()));
    }
    LOG_EXCH(Eap, "EAP-AnyConnect: login failed for '%s' (attempt %d)", loggable(name).c_str(), attempts_ + 1);
    if (++attempts_ >= settings_.max_attempts) {
        state_ = State::Done;
        return Outcome::failure(id, "AnyConnect: " +
                                        (check == PasswordCheck::NoUsableCredential
                                             ? "no cleartext password or usable crypt hash for '" + loggable(name) + "'"
                                             : "wrong password or unknown user '" + loggable(name) + "' (" +
                                                   std::to_string(attempts_) + " attempts)"));
    }
    return Outcome::proceed(request(next_id, auth_request_xml(true)));
}

}  // namespace ikev2d::eap
