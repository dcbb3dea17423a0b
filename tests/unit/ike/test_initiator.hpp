// An IKEv2 initiator for the unit tests, built from the RFC. It drives the Gateway
// in-process: IKE_SA_INIT, IKE_AUTH with PSK or EAP, INFORMATIONAL. What it checks the
// gateway against does not come from the gateway: SKEYSEED, the SK_* keys, the signed
// octets' MACs and AUTH use tests/peer's independent KDF (nettle's HMAC); the codec is the
// project's (checked against the seed's real ASA messages), and the end-to-end check
// with an independent codec is tests/adversarial's prober, which is built on tests/peer.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "../../peer/kdf.hpp"
#include "crypto/kdf.hpp"
#include "crypto/key_exchange.hpp"
#include "crypto/prf.hpp"
#include "crypto/sk_crypter.hpp"
#include "util/ip_address.hpp"
#include "wire/message.hpp"

namespace test_ike {

using namespace ikev2d;

struct InitiatorProposal {
    iana::EncrId encr = iana::EncrId::AES_CBC;
    std::uint16_t key_bits = 256;
    iana::IntegId integ = iana::IntegId::HMAC_SHA2_256_128;
    iana::PrfId prf = iana::PrfId::HMAC_SHA2_256;
    std::vector<iana::DhGroup> groups = {iana::DhGroup::ECP_256};
};

class TestInitiator {
public:
    TestInitiator(Endpoint self, Endpoint gateway);

    // IKE_SA_INIT request with the KE for `ke_group` (default: the proposal's first group).
    Bytes sa_init_request(const InitiatorProposal& proposal, std::optional<iana::DhGroup> ke_group = std::nullopt,
                          const Bytes& cookie = {}, bool fragmentation = false);
    // Parses the answer; on success derives the keys. Returns the parsed message.
    wire::Message process_sa_init_response(ByteView response);
    // Notifies added to every IKE_SA_INIT request (e.g. RFC 5685 REDIRECT_SUPPORTED).
    std::vector<wire::Payload> extra_sa_init_payloads;
    const Bytes& nonce_i() const { return nonce_i_; }
    bool keyed() const { return crypter_ != nullptr; }

    // Encrypted request (fragmented per RFC 7383 when fragment_size > 0).
    std::vector<Bytes> request(iana::ExchangeType exchange, const std::vector<wire::Payload>& payloads,
                               std::size_t fragment_size = 0);
    // Encrypted request whose plaintext is given as raw bytes (to send malformed inner
    // payloads); `first` is the SK/SKF next-payload field. Fragmented when fragment_size > 0.
    std::vector<Bytes> request_raw(iana::ExchangeType exchange, iana::PayloadType first, ByteView plaintext,
                                   std::size_t fragment_size = 0);
    // Vendor IDs to add to the next IKE_SA_INIT request (e.g. Cisco's FRAGMENTATION).
    void set_sa_init_vendor_ids(std::vector<Bytes> vids) { sa_init_vids_ = std::move(vids); }
    // Cisco's fragmentation, written here from shared/protocol (not with the gateway's code):
    // the encrypted message cut into slices of `slice` bytes, each behind a copy of its
    // header (next payload 132) and a payload Next|Reserved|Length|ID(2)|Number(1)|Flags(1).
    static std::vector<Bytes> cisco_split(ByteView message, std::size_t slice, std::uint16_t fragment_id);
    // Puts Cisco fragments back together (all of one ID, numbers 1..last); throws if incomplete.
    static Bytes cisco_join(const std::vector<Bytes>& fragments);
    // Decrypts a response (one datagram, all SKF fragments, or all Cisco fragments). Throws on any error.
    std::vector<wire::Payload> open_response(const std::vector<Bytes>& packets);
    // Decrypts a request the gateway sent us (DPD, Delete) and builds the encrypted answer.
    std::pair<std::vector<wire::Payload>, Bytes> answer_request(ByteView packet, const std::vector<wire::Payload>& answer);

    // First IKE_AUTH payloads: IDi (+AUTH for PSK), CP request, SA (ESP), TSi, TSr.
    std::vector<wire::Payload> auth_payloads(const std::string& id, const std::optional<std::string>& psk, bool want_address);
    // Takes the IDi of these payloads (edited after auth_payloads()) for the AUTH octets.
    bool set_idi_body(const std::vector<wire::Payload>& payloads);
    // NAT_DETECTION_SOURCE_IP and _DESTINATION_IP of a request on the IKE SA sent from
    // `from` to `to` (RFC 7296 2.23, both SPIs), as MOBIKE's requests carry them (RFC 4555 3.5).
    std::vector<wire::Payload> nat_detection(const Endpoint& from, const Endpoint& to) const;
    // InitiatorSignedOctets for the IDi of the last auth_payloads() call.
    Bytes initiator_octets() const;
    // AUTH computed with a shared key (PSK or MSK) over our signed octets.
    Bytes shared_key_auth(ByteView key) const;
    // Checks the responder's AUTH (shared key) over its signed octets with its IDr.
    bool verify_responder_shared_auth(ByteView key, const wire::IdPayload& idr, ByteView auth) const;
    // ResponderSignedOctets for a signature check.
    Bytes responder_octets(const wire::IdPayload& idr) const;

    std::uint64_t spi_i() const { return spi_i_; }
    std::uint64_t spi_r() const { return spi_r_; }
    std::uint32_t next_message_id() const { return next_mid_; }
    void set_message_id(std::uint32_t mid) { next_mid_ = mid; }
    std::uint32_t esp_spi() const { return esp_spi_; }
    const Endpoint& self() const { return self_; }
    // Our SK_d (derived with tests/peer's KDF), to compute Child SA KEYMAT independently.
    ByteView sk_d() const { return keys_.sk_d.view(); }
    // SK_pi, for AUTH after an EAP method without MSK (GTC, RFC 7296 2.16).
    ByteView sk_pi() const { return keys_.sk_pi.view(); }

private:
    Bytes seal(const wire::Header& h, iana::PayloadType outer, iana::PayloadType first, ByteView plain,
               std::optional<std::pair<std::uint16_t, std::uint16_t>> frag) const;

    std::vector<Bytes> sa_init_vids_;
    Endpoint self_, gateway_;
    std::uint64_t spi_i_ = 0, spi_r_ = 0;
    std::uint32_t next_mid_ = 1;
    std::uint32_t esp_spi_ = 0x11223344;
    Bytes nonce_i_, nonce_r_;
    Bytes init_request_, init_response_;
    Bytes idi_body_;
    InitiatorProposal proposal_;
    std::unique_ptr<crypto::KeyExchange> kex_;
    peer::PrfAlg prf_alg_ = peer::PrfAlg::HmacSha256;
    std::unique_ptr<crypto::SkCrypter> crypter_;
    crypto::IkeSaKeys keys_;
};

}  // namespace test_ike
