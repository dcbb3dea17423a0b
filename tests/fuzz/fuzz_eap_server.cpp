// libFuzzer target for EapServer (daemon/eap/server.*) running one EAP method, chosen at
// compile time (FUZZ_EAP_METHOD = 26 MSCHAPv2, 4 MD5, 6 GTC, 254 AnyConnect). One input is
// a whole conversation: start(), then up to kMaxRounds Responses built from the input.
//
// Input: byte 0 = setup flags, then rounds of  Mode(1) | Length(2, big endian) | Data.
//   setup bit 0: the identity is known from IDi (no Identity round)
//   setup bit 1: the known identity is "User" (NT hash only) instead of "alice"
//   Mode & 3 == 0: Data is the whole Response packet, as is
//   Mode & 3 == 1: Data is the Type-Data of a Response of the running method, with
//                  the right Identifier (AnyConnect: Data is the TLV area)
//   Mode & 3 == 2: an honest answer to the last Request (Identity: Data or "alice";
//                  MSCHAPv2: the test peer; MD5: the right hash; GTC: the password;
//                  AnyConnect: Data wrapped as the XML TLV)
//   Mode & 3 == 3: Data is the whole packet with the Identifier patched to the last
//                  Request's
// The Identifier patch and the honest answers let the fuzzer past the checks a random
// packet fails, into the method's later states. Whatever the input, the server must not
// crash and its outcomes must be well formed (checked below; a violation aborts).
#include <cstdio>
#include <cstdlib>
#include <map>
#include <optional>
#include <string>

#include "eap/anyconnect.hpp"
#include "eap/md5.hpp"
#include "eap/server.hpp"
#include "mschapv2_peer.hpp"
#include "util/log.hpp"

#ifndef FUZZ_EAP_METHOD
#error "FUZZ_EAP_METHOD must name the EAP type under test"
#endif

using namespace ikev2d;
using namespace ikev2d::eap;
using Kind = Outcome::Kind;

namespace {

constexpr int kMaxRounds = 24;  // above EapServer::kMaxRequests, to reach the cap
constexpr iana::EapType kMethod = static_cast<iana::EapType>(FUZZ_EAP_METHOD);
const std::string kPassword = "s3cret-P\xc3\xa4ssword";
bool g_trace = false;  // FUZZ_EAP_TRACE=1: print each outcome (to check what a seed reaches)

void require(bool condition) {
    if (!condition) std::abort();
}

std::optional<UserCredentials> lookup(std::string_view name) {
    UserCredentials c;
    c.username = std::string(name);
    if (name == "alice") {
        c.cleartext_password = kPassword;
        return c;
    }
    if (name == "User") {  // RFC 2759 9.2: NtPasswordHash("clientPass"), no cleartext
        c.nt_hash = std::array<std::uint8_t, 16>{0x44, 0xEB, 0xBA, 0x8D, 0x53, 0x12, 0xB8, 0xD6,
                                                 0x11, 0x47, 0x44, 0x11, 0xF5, 0x69, 0x89, 0xAE};
        return c;
    }
    if (name == "carol") {  // openssl passwd -1 -salt saltsalt hunter2 (MD5-crypt: cheaper per exec than SHA-512)
        c.crypt_hash = "$1$saltsalt$ZliGyAN3DciDHEkDboonh/";
        return c;
    }
    return std::nullopt;
}

std::vector<iana::EapType> allowed_methods() {
    std::vector<iana::EapType> out{kMethod};
    for (iana::EapType t : {iana::EapType::MSCHAPV2, iana::EapType::MD5, iana::EapType::GTC, iana::EapType::Expanded})
        if (t != kMethod) out.push_back(t);
    return out;
}

Bytes response(std::uint8_t id, iana::EapType type, ByteView type_data) {
    return EapPacket{iana::EapCode::Response, id, type, Bytes(type_data.begin(), type_data.end())}.encode();
}

Bytes expanded_response(std::uint8_t id, ByteView tlvs) {
    Bytes data{0, 0, 9, 0x44, 0x42, 0x52, 0x50};  // Vendor-Id 9, Vendor-Type 0x44425250
    data.insert(data.end(), tlvs.begin(), tlvs.end());
    return response(id, iana::EapType::Expanded, data);
}

// What the Request asks for: Identity (type 1) or the method running.
iana::EapType requested_type(const Bytes& request) {
    return request.size() > 4 ? static_cast<iana::EapType>(request[4]) : iana::EapType::Identity;
}

std::optional<Bytes> honest_answer(const Bytes& request, ByteView data, test_peer::MsChapV2Peer& peer) {
    if (request.size() < 5) return std::nullopt;
    const std::uint8_t id = request[1];
    switch (requested_type(request)) {
        case iana::EapType::Identity:
            return response(id, iana::EapType::Identity, data.empty() ? as_bytes(std::string_view("alice")) : data);
        case iana::EapType::MSCHAPV2:
            return request.size() > 5 && request[5] == 3 ? peer.answer_success(request) : peer.answer_challenge(request);
        case iana::EapType::MD5: {
            // Request Type-Data: Value-Size | challenge | name
            if (request.size() < 6 || request.size() < 6u + request[5]) return std::nullopt;
            const ByteView challenge(request.data() + 6, request[5]);
            const auto hash = Md5Method::chap_md5(id, kPassword, challenge);
            Bytes value{16};
            value.insert(value.end(), hash.begin(), hash.end());
            return response(id, iana::EapType::MD5, value);
        }
        case iana::EapType::GTC: return response(id, iana::EapType::GTC, as_bytes(std::string_view(kPassword)));
        case iana::EapType::Expanded:
            if (data.size() > 0xffff) return std::nullopt;
            return expanded_response(id, AnyConnectMethod::wrap_xml(
                                             std::string_view(reinterpret_cast<const char*>(data.data()), data.size())));
        default: return std::nullopt;
    }
}

// Every packet the server emits must parse, with the code its outcome claims.
void check_outcome(const Outcome& out, const EapServer& server) {
    auto packet = EapPacket::parse(out.next_packet);
    require(packet.ok());
    switch (out.kind) {
        case Kind::Continue:
            require(packet.value().code == iana::EapCode::Request && !server.finished());
            break;
        case Kind::Success:
            require(packet.value().code == iana::EapCode::Success && server.finished());
            require(!out.username.empty() && out.username == server.authenticated_user());
            // Only MSCHAPv2 derives an MSK (64 bytes, RFC 3079 / strongSwan layout).
            if (server.method() == iana::EapType::MSCHAPV2)
                require(server.msk() && server.msk()->size() == 64);
            else
                require(!server.msk());
            break;
        case Kind::Failure:
            require(packet.value().code == iana::EapCode::Failure && server.finished());
            require(!out.reason.empty() && out.username.empty() && !server.msk());
            break;
        case Kind::CheckPassword:  // deferral is off here: never handed out
        case Kind::RunJob:
            require(false);
            break;
    }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    g_trace = std::getenv("FUZZ_EAP_TRACE") != nullptr;
    // Logging formats peer data at high levels: keep it on so those paths run, but quiet.
    log::set_sink([](log::Category, int, std::string_view) {});
    for (auto c : {log::Category::Protocol, log::Category::Platform, log::Category::Eap}) log::set_level(c, 127);
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    if (size < 1) return 0;
    const std::uint8_t setup = data[0];
    ByteView rest(data + 1, size - 1);

    std::optional<std::string> known;
    if (kMethod == iana::EapType::Expanded && (setup & 1))
        known = std::string(kAnyConnectIdentity);
    else if (setup & 1)
        known = (setup & 2) ? "User" : "alice";
    EapServer server(allowed_methods(), lookup, known);
    test_peer::MsChapV2Peer peer(known && *known == "User" ? "User" : "alice",
                                 known && *known == "User" ? "clientPass" : kPassword);
    Bytes last_request = server.start();
    require(EapPacket::parse(last_request).ok());

    for (int round = 0; round < kMaxRounds && rest.size() >= 3; ++round) {
        const std::uint8_t mode = rest[0];
        std::size_t length = (std::size_t{rest[1]} << 8) | rest[2];
        rest = rest.subspan(3);
        if (length > rest.size()) length = rest.size();
        const ByteView chunk = rest.first(length);
        rest = rest.subspan(length);

        Bytes packet;
        const std::uint8_t id = last_request.size() > 1 ? last_request[1] : 0;
        switch (mode & 3) {
            case 0: packet.assign(chunk.begin(), chunk.end()); break;
            case 1:
                packet = server.method() == iana::EapType::Expanded ? expanded_response(id, chunk)
                                                                      : response(id, requested_type(last_request), chunk);
                break;
            case 2: {
                auto answer = honest_answer(last_request, chunk, peer);
                if (!answer) continue;
                packet = std::move(*answer);
                break;
            }
            case 3:
                packet.assign(chunk.begin(), chunk.end());
                if (packet.size() > 1) packet[1] = id;
                break;
        }
        const bool was_finished = server.finished();
        const Outcome out = server.process(packet);
        if (was_finished) {
            require(out.kind == Kind::Failure);  // nothing is accepted after the end
            continue;
        }
        check_outcome(out, server);
        if (g_trace)
            std::fprintf(stderr, "round %d: mode %u -> %s %s\n", round, mode & 3,
                         out.kind == Kind::Continue ? "Continue" : out.kind == Kind::Success ? "Success" : "Failure",
                         out.kind == Kind::Success ? out.username.c_str() : out.reason.c_str());
        if (out.kind == Kind::Continue) last_request = out.next_packet;
    }
    return 0;
}
