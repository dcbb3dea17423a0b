// An IKEv2 initiator written from RFC 7296 for tests: IKE_SA_INIT (with the COOKIE and
// INVALID_KE_PAYLOAD retries of 2.6 and 1.2), IKE_AUTH with a pre-shared key (2.15) and
// a first Child SA (or none: RFC 6023), or with EAP-MD5 (2.16: no MSK, so the AUTH
// payloads after EAP are keyed with SK_pi/SK_pr) or EAP-MSCHAPv2 (keyed with its MSK);
// the gateway's certificate signature is not verified (this initiator parses no X.509);
// INFORMATIONAL (liveness, Delete, answering the gateway's DPD).
// Bytes in, bytes out: the caller owns the transport (a UDP socket, or nothing).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "codec.hpp"
#include "kdf.hpp"
#include "key_exchange.hpp"
#include "payloads.hpp"
#include "sk_cipher.hpp"

namespace peer {

class EapClient;

struct InitiatorConfig {
    SkCipher cipher = SkCipher::AesGcm16_256;
    PrfAlg prf = PrfAlg::HmacSha256;
    // Offered in this order; the KE payload uses the first until INVALID_KE_PAYLOAD asks
    // for another of them.
    std::vector<std::uint16_t> groups{31};
    std::string id = "peer@adversarial.test";  // an ID_RFC822_ADDR when it has '@', else ID_FQDN
    std::string psk;
    // EAP instead of the PSK when eap_user is set (IDi is then eap_user).
    std::string eap_user, eap_password;
    enum class EapMethod { Md5, MsChapV2, Gtc } eap_method = EapMethod::Md5;
    // RFC 6023: announce CHILDLESS_IKEV2_SUPPORTED and send IKE_AUTH without SA/TS/CP.
    bool childless = false;
    // An IKE_AUTH answer with a valid AUTH and an error notify refusing the Child SA
    // (RFC 7296 2.21.2) still establishes the IKE SA (child_refusal() says why).
    bool accept_refused_child = false;
    // One key pair for many initiators (load generators: the gateway's work per SA is
    // the same, the generator saves one scalar multiplication); unset: a fresh one.
    std::shared_ptr<const KeyExchange> key_exchange;
    bool fragmentation = false;  // announce IKEV2_FRAGMENTATION_SUPPORTED (RFC 7383)
};

class Initiator {
public:
    enum class Step { Done, Retry, Failed };

    explicit Initiator(InitiatorConfig config);
    ~Initiator();
    Initiator(Initiator&&) noexcept;
    Initiator& operator=(Initiator&&) noexcept;

    // IKE_SA_INIT: the request (with the COOKIE when one was asked for), then the answer.
    // Retry = send sa_init_request() again (a COOKIE or another KE group was asked for).
    std::vector<Payload> sa_init_payloads();
    Header sa_init_header() const;
    Bytes sa_init_request();
    Step on_sa_init_response(ByteView packet);

    // IKE_AUTH with the PSK (or without AUTH, for EAP) and a Child SA request (message ID
    // 1); auth_payloads() is its content before encryption. With EAP, on_auth_response
    // says Retry until the last round: then send auth_continuation(), whose answer has
    // message ID auth_message_id().
    std::vector<Payload> auth_payloads();
    Bytes auth_request();
    Step on_auth_response(ByteView packet);
    const Bytes& auth_continuation() const { return continuation_; }
    std::uint32_t auth_message_id() const { return auth_mid_; }

    // Our requests after IKE_AUTH; each takes the next message ID.
    Bytes informational_request(const std::vector<Payload>& inner = {});
    Bytes delete_request();
    // The decrypted payloads of the response to our request `message_id`.
    std::optional<std::vector<Payload>> open_response(ByteView packet, std::uint32_t message_id) const;
    // The response to a request the gateway sent us (DPD, Delete); nullopt when the
    // packet is no valid request of this IKE SA.
    std::optional<Bytes> answer_request(ByteView packet);

    // Raw building blocks (for the adversarial prober): a complete message whose SK
    // payload holds `plaintext` as is (any bytes), and one RFC 7383 fragment.
    Bytes seal(std::uint8_t exchange, std::uint32_t message_id, std::uint8_t flags, std::uint8_t inner_first,
               ByteView plaintext) const;
    Bytes seal_fragment(std::uint8_t exchange, std::uint32_t message_id, std::uint8_t flags,
                        std::uint8_t inner_first, ByteView plaintext, std::uint16_t number,
                        std::uint16_t total) const;
    // Header and decrypted payloads of any message protected with the gateway's keys.
    std::optional<Message> open(ByteView packet) const;

    const std::string& error() const { return error_; }
    std::uint64_t spi_i() const { return spi_i_; }
    std::uint64_t spi_r() const { return spi_r_; }
    std::uint32_t next_message_id() const { return next_mid_; }
    std::uint16_t ke_group() const { return ke_group_; }
    int cookie_rounds() const { return cookie_rounds_; }
    int ke_rounds() const { return ke_rounds_; }
    bool keys_ready() const { return keys_ready_; }
    bool established() const { return established_; }
    std::uint16_t child_refusal() const { return child_refusal_; }  // the notify, 0 when none
    bool deleted_by_peer() const { return deleted_by_peer_; }
    const std::string& assigned_address() const { return assigned_address_; }
    const Bytes& child_spi_out() const { return child_spi_r_; }  // the gateway's ESP SPI
    const Bytes& nonce_i() const { return nonce_i_; }
    const InitiatorConfig& config() const { return config_; }

private:
    Step fail(std::string why);
    Bytes id_payload_body() const;
    Bytes signed_octets(ByteView real_message, ByteView nonce, ByteView prf_key, ByteView id_body) const;
    Bytes psk_auth(ByteView octets) const;
    Bytes shared_key_mic(ByteView key, ByteView octets) const;
    Step finish_auth(const std::vector<Payload>& inner, ByteView auth_key);
    Step eap_round(const std::vector<Payload>& inner);

    InitiatorConfig config_;
    std::uint64_t spi_i_ = 0, spi_r_ = 0;
    std::uint16_t ke_group_ = 0;
    std::shared_ptr<const KeyExchange> kex_;
    Bytes nonce_i_, nonce_r_, cookie_, child_spi_i_, child_spi_r_;
    Bytes init_request_, init_response_;
    IkeKeys keys_;
    bool keys_ready_ = false, established_ = false, deleted_by_peer_ = false;
    std::uint32_t next_mid_ = 1;
    std::uint32_t peer_next_mid_ = 0;
    std::optional<std::pair<std::uint32_t, Bytes>> last_answer_;
    int cookie_rounds_ = 0, ke_rounds_ = 0;
    enum class AuthPhase { Psk, EapFirst, Eap, EapFinal } phase_ = AuthPhase::Psk;
    std::unique_ptr<EapClient> eap_;
    Bytes idr_body_, continuation_, msk_;
    std::uint16_t child_refusal_ = 0;
    std::uint32_t auth_mid_ = 1;
    std::string error_, assigned_address_;
};

}  // namespace peer
