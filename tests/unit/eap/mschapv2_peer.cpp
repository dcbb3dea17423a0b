#include "mschapv2_peer.hpp"

#include "eap/mschapv2_crypto.hpp"

using namespace ikev2d;
namespace ms = ikev2d::eap::mschapv2;

namespace test_peer {
namespace {

// EAP header (4) + Type (1) + OpCode (1) + MS-CHAPv2-ID (1) + MS-Length (2)
constexpr std::size_t kHeader = 9;

Bytes eap_response(std::uint8_t id, ByteView type_data) {
    Bytes out{2, id, 0, 0, 26};
    out.insert(out.end(), type_data.begin(), type_data.end());
    out[2] = static_cast<std::uint8_t>(out.size() >> 8);
    out[3] = static_cast<std::uint8_t>(out.size());
    return out;
}

}  // namespace

std::optional<Bytes> MsChapV2Peer::answer_challenge(ByteView req) {
    // Request, MSCHAPv2, OpCode Challenge, Value-Size 16, a Name of at least 1 byte.
    if (req.size() < kHeader + 1 + 16 + 1 || req[0] != 1 || req[4] != 26 || req[5] != 1 || req[9] != 16)
        return std::nullopt;
    if (((req[2] << 8) | req[3]) != static_cast<int>(req.size())) return std::nullopt;
    if (((req[7] << 8) | req[8]) != static_cast<int>(req.size() - 5)) return std::nullopt;
    const std::uint8_t eap_id = req[1];
    const std::uint8_t ms_id = req[6];
    auth_challenge_.assign(req.begin() + 10, req.begin() + 26);
    peer_challenge_ = from_hex("0102030405060708090a0b0c0d0e0f10");

    auto hash = ms::nt_password_hash(password_);
    if (!hash) return std::nullopt;
    const auto nt = ms::generate_nt_response(auth_challenge_, peer_challenge_, ms::strip_domain(name_), hash->view());
    nt_response_.assign(nt.begin(), nt.end());

    Bytes td;
    td.push_back(2);  // OpCode Response
    td.push_back(ms_id);
    const std::size_t ms_length = 4 + 1 + 49 + name_.size();
    td.push_back(static_cast<std::uint8_t>(ms_length >> 8));
    td.push_back(static_cast<std::uint8_t>(ms_length));
    td.push_back(49);                                              // Value-Size
    td.insert(td.end(), peer_challenge_.begin(), peer_challenge_.end());
    td.insert(td.end(), 8, 0);                                     // Reserved
    td.insert(td.end(), nt_response_.begin(), nt_response_.end());
    td.push_back(0);                                               // Flags
    td.insert(td.end(), name_.begin(), name_.end());
    last_response = eap_response(eap_id, td);
    return last_response;
}

std::optional<Bytes> MsChapV2Peer::answer_success(ByteView req) {
    if (req.size() < kHeader + 42 || req[0] != 1 || req[4] != 26 || req[5] != 3) return std::nullopt;
    const std::string message(req.begin() + kHeader, req.end());
    auto hash = ms::nt_password_hash(password_);
    if (!hash) return std::nullopt;
    const std::string expected = ms::authenticator_response(hash->view(), nt_response_, peer_challenge_,
                                                            auth_challenge_, ms::strip_domain(name_));
    // "S=<40 hex> M=<message>": the S= value comes first and is followed by a space or the end.
    if (message.compare(0, 42, expected) != 0) return std::nullopt;
    if (message.size() > 42 && message[42] != ' ') return std::nullopt;
    const Bytes td{3};  // OpCode Success, nothing else
    last_response = eap_response(req[1], td);
    return last_response;
}

Bytes MsChapV2Peer::msk() const {
    auto hash = ms::nt_password_hash(password_);
    SecureBytes hash_hash = ms::hash_nt_password_hash(hash->view());
    SecureBytes master = ms::master_key(hash_hash.view(), nt_response_);
    SecureBytes send = ms::asymmetric_start_key(master.view(), /*is_send=*/true, /*is_server=*/false);
    SecureBytes recv = ms::asymmetric_start_key(master.view(), /*is_send=*/false, /*is_server=*/false);
    Bytes out(send.view().begin(), send.view().end());
    out.insert(out.end(), recv.view().begin(), recv.view().end());
    out.resize(64, 0);
    return out;
}

}  // namespace test_peer
