// One IKE SA on the responder side: its few coarse states, negotiated algorithms,
// keys, the two message-ID windows and everything the exchanges keep between messages.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "crypto/kdf.hpp"
#include "crypto/prf.hpp"
#include "crypto/sk_crypter.hpp"
#include "aaa/eap_relay.hpp"
#include "eap/server.hpp"
#include "ike/byte_budget.hpp"
#include "ike/child_sa.hpp"
#include "ike/request_rate.hpp"
#include "ike/sa_deadlines.hpp"
#include "wire/message.hpp"
#include "wire/payloads.hpp"
#include "util/bytes.hpp"
#include "util/iana.hpp"
#include "util/ip_address.hpp"

namespace ikev2d::ike {

enum class IkeSaState {
    InitDone,     // IKE_SA_INIT answered, waiting for IKE_AUTH
    Authenticating,  // IKE_AUTH in progress (EAP round trips)
    Established,
    Deleting,     // we sent a Delete and wait for its answer
    Dead,         // to be removed from the table
};
const char* state_name(IkeSaState s);

// The algorithms chosen in IKE_SA_INIT.
struct IkeAlgorithms {
    iana::EncrId encr{};
    std::uint16_t encr_key_bits = 0;
    iana::IntegId integ = iana::IntegId::NONE;
    iana::PrfId prf{};
    iana::DhGroup dh{};
};

// How the client authenticates (decided in the first IKE_AUTH message).
enum class PeerAuth { None, Eap, Psk, Certificate };

// A request we sent (DPD probe, Delete) that waits for its response.
struct OutstandingRequest {
    std::uint32_t message_id = 0;
    std::vector<Bytes> packets;  // as sent (fragments), for retransmission
    std::uint64_t next_retransmit_ms = 0;
    std::uint32_t tries = 0;
    enum class Purpose { Dpd, DeleteIke, DeleteChild, Redirect } purpose = Purpose::Dpd;
};

// Fragments of one incoming message (RFC 7383 SKF or Cisco), keyed by fragment number.
struct Reassembly {
    std::uint32_t message_id = 0;
    std::uint16_t total = 0;  // Cisco: the last fragment's number, 0 until it arrived
    std::optional<std::uint16_t> cisco_fragment_id;  // set for Cisco fragments (slices of ciphertext)
    iana::PayloadType first_inner = iana::PayloadType::None;
    std::map<std::uint16_t, SecureBytes> plaintext_by_number;
    std::uint64_t started_ms = 0;  // for the reassembly timeout
    ByteBudgetShare bytes;         // what the fragments hold, charged to the gateway-wide budget
};

// What a RADIUS server's Access-Accept said about the session (aaa/radius_client.hpp).
struct RadiusGrant {
    std::optional<IpAddress> framed_ip;
    std::string framed_pool;
    std::vector<Bytes> classes;  // echoed in accounting
    std::vector<IpAddress> dns;
    std::optional<std::uint32_t> session_timeout_s, idle_timeout_s;
    std::string filter_id;
    std::string redirect_gateway;  // Cisco-AVPair "ikev2d:redirect=..." (redirect.hpp)
};

struct SessionLimits {
    std::uint64_t session_ends_ms = 0;
    std::uint32_t idle_timeout_s = 0;
    std::uint64_t idle_check_ms = 0;
    std::uint64_t last_traffic_ms = 0;
    std::uint64_t esp_bytes_seen = 0;  // inbound + outbound, at the last look
};

struct IkeSa {
    std::uint32_t unique_id = 0;  // "Tunnel-id" / "Session-id" in status output
    IkeSaState state = IkeSaState::InitDone;
    std::uint64_t spi_i = 0, spi_r = 0;
    Endpoint local, remote;
    Endpoint init_remote;  // where IKE_SA_INIT came from (its address keys the retransmission index)
    bool nat_local = false;   // we are behind a NAT
    bool nat_remote = false;  // the peer is behind a NAT
    bool peer_fragmentation = false;  // RFC 7383 negotiated
    bool peer_cisco_fragmentation = false;  // sent the FRAGMENTATION VID (used when RFC 7383 is not)
    std::uint16_t next_cisco_fragment_id = 1;  // for the messages we send in Cisco fragments
    bool peer_is_anyconnect = false;
    // MOBIKE (RFC 4555, mobike.hpp), agreed in IKE_AUTH: then only UPDATE_SA_ADDRESSES moves
    // local/remote. request_local/remote: where the request being answered came in (its
    // answer goes back there, RFC 7296 2.11), set for every authenticated request.
    bool mobike = false;
    Endpoint request_local, request_remote;
    std::vector<iana::HashAlgorithm> peer_signature_hashes;
    // RFC 5685 (redirect.hpp): REDIRECT_SUPPORTED or REDIRECTED_FROM in IKE_SA_INIT; a live
    // redirect sent: where to, and when we delete the SA if the client has not.
    bool peer_redirect_supported = false, peer_redirected_from = false;
    std::string redirected_to;
    std::uint64_t redirect_deadline_ms = 0;

    IkeAlgorithms algs;
    std::unique_ptr<crypto::Prf> prf;
    std::unique_ptr<crypto::SkCrypter> crypter;
    crypto::IkeSaKeys keys;
    Bytes nonce_i, nonce_r;
    Bytes init_request, init_response;  // RealMessage1/2 for the AUTH octets

    // Message IDs (window 1). Requests from the peer:
    std::uint32_t next_peer_request_id = 1;  // IKE_SA_INIT used 0
    std::optional<std::uint32_t> last_response_id;
    std::vector<Bytes> last_response_packets;  // cached, byte-identical retransmission
    Bytes last_request_first_packet;           // only an identical copy of it is a retransmission
    std::optional<Reassembly> reassembly;
    // Our own requests:
    std::uint32_t next_own_request_id = 0;
    std::optional<OutstandingRequest> outstanding;

    // Authentication
    PeerAuth peer_auth = PeerAuth::None;
    Bytes peer_id_body;   // IDi: type|reserved|data, exactly as received
    std::string peer_id;  // printable
    Bytes own_id_body;    // IDr as sent
    std::string own_id;
    std::unique_ptr<eap::EapServer> eap;
    std::optional<SecureBytes> msk;
    bool eap_succeeded = false;
    bool eap_tls = false;  // the local EAP method was EAP-TLS (its users need no [user] entry)
    // AnyConnect's session token (sent in "complete"): what the client-services HTTPS
    // endpoint admits while this session lives (issue 13). Empty for other clients.
    SecureBytes client_services_token;
    std::string username;  // the authenticated user (EAP identity, or IDi for PSK/cert)
    std::string group;
    std::string client_version;
    bool initial_contact = false;  // the first IKE_AUTH carried INITIAL_CONTACT  // CP APPLICATION_VERSION, e.g. "AnyConnect Windows 3.0.1047"
    std::string auth_sign = "";    // how we signed: "RSA", "ECDSA", "PSK"
    std::string auth_verify = "";  // how the peer proved itself: "EAP", "PSK", "RSA", "ECDSA"

    // The first IKE_AUTH request's payloads (SA, TSi, TSr, CP), held until EAP is done.
    std::vector<wire::Payload> pending_auth_request;

    // Groups with authentication = "radius": EAP goes to the server (instead of `eap`), and
    // what its Access-Accept said stays with the session.
    std::unique_ptr<aaa::EapRelay> eap_relay;
    std::unique_ptr<RadiusGrant> radius;

    // The client's inner addresses (CFG_REQUEST), leased once per IKE SA and kept across
    // rekeys: IPv4 from `pool`, IPv6 from `pool6` (either, or both: dual stack).
    std::optional<IpAddress> assigned_address;
    std::string pool;
    std::optional<IpAddress> assigned_address6;
    std::string pool6;
    std::vector<ChildSa> children;

    // Times (monotonic ms)
    std::uint64_t created_ms = 0;
    std::uint64_t established_ms = 0;
    std::uint64_t established_unix = 0;
    std::uint64_t last_peer_activity_ms = 0;  // any valid message from the peer
    std::uint64_t auth_deadline_ms = 0;
    std::uint64_t next_dpd_ms = 0;
    std::uint64_t dead_since_ms = 0;
    std::uint64_t esp_bytes_in_seen = 0;  // for idleness detection by DPD
    std::uint32_t lifetime_s = 0;
    // Session limits (session_limits.cpp), carried to the successor at an IKE rekey:
    // the end of the maximum session time (0: none), the idle timeout (0: none), when the
    // ESP counters are looked at next and when they last moved.
    SessionLimits limits;
    std::string delete_reason;
    bool counted_half_open = false;
    // Rekeyed (RFC 7296 2.18): the successor's SPI; this SA only waits for the peer's Delete.
    std::optional<std::uint64_t> rekeyed_to;
    std::uint64_t rekeyed_ms = 0;  // still counted in the gateway's half-open total

    // Requests the peer may send per minute (limits against a hostile peer with keys).
    RequestRate create_child_rate, informational_rate;

    // Once established, frees (and wipes) what only IKE_SA_INIT/IKE_AUTH needed: the two
    // first messages and nonces (AUTH octets, first Child SA's keys), SK_pi/SK_pr, the EAP
    // server and MSK, the peer's hash list. A session keeps only what it lives on.
    void drop_negotiation_state();

    // The gateway's timer: the deadline this SA's current entry in SaDeadlines has
    // (kNone: none), and whether the gateway armed it at all (see Gateway::rearm).
    std::uint64_t timer_due_ms = SaDeadlines::kNone;
    bool timer_tracked = false;
    // A request whose answer is being computed on a worker (issue 11): its copies are
    // dropped until the answer is out; the job's completion finds the SA by SPI and this
    // ticket, and finds nothing if the SA went or moved on meanwhile.
    struct PendingAnswer {
        wire::Header request;
        std::uint64_t ticket = 0;
        std::uint64_t config_generation = 0;  // the gateway's, when the job started
    };
    std::optional<PendingAnswer> pending_answer;
};

}  // namespace ikev2d::ike
