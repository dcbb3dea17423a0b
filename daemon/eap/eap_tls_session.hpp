// The TLS server under EAP-TLS (RFC 5216), GnuTLS underneath: credentials shared by all
// sessions, and one handshake per session fed through memory buffers (a custom
// push/pull transport) instead of a socket. TLS 1.2 only (RFC 9190's TLS 1.3 rules are
// not implemented, so 1.3 is not offered); no session tickets, no resumption.
//
// The client must present a certificate that chains to the gateway's trusted CAs (the
// CertStore that IKE certificate clients are checked against, CRLs included), suits a
// client (crypto/cert_policy.hpp) and names the EAP identity: that identity becomes the
// session's user. MSK = TLS-PRF(master secret, "client EAP encryption",
// client.random || server.random), first 64 bytes (RFC 5216 2.3).
#pragma once

#include <gnutls/gnutls.h>

#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "crypto/cert_store.hpp"
#include "crypto/private_key.hpp"
#include "crypto/x509.hpp"
#include "util/bytes.hpp"

namespace ikev2d::eap::tls {

inline constexpr std::size_t kMskSize = 64;
inline constexpr const char* kKeyLabel = "client EAP encryption";  // RFC 5216 2.3

// Immutable after make(), so sessions on several workers may share it.
class ServerCredentials {
public:
    // chain[0] is the gateway's certificate, `key` its key; `trusted` (with `trust_lock`,
    // held around each verification since IKE's workers use the same store) decides
    // which client certificates pass. Throws crypto::CryptoError.
    static std::shared_ptr<const ServerCredentials> make(const std::vector<crypto::Certificate>& chain,
                                                         const crypto::PrivateKey& key,
                                                         std::shared_ptr<const crypto::CertStore> trusted,
                                                         std::shared_ptr<std::mutex> trust_lock);
    ~ServerCredentials();
    ServerCredentials(const ServerCredentials&) = delete;
    ServerCredentials& operator=(const ServerCredentials&) = delete;

    gnutls_certificate_credentials_t native() const noexcept { return cred_; }
    const crypto::CertStore& trusted() const noexcept { return *trusted_; }
    std::mutex& trust_lock() const noexcept { return *trust_lock_; }

private:
    ServerCredentials() = default;
    gnutls_certificate_credentials_t cred_ = nullptr;
    std::shared_ptr<const crypto::CertStore> trusted_;
    std::shared_ptr<std::mutex> trust_lock_;
};

class ServerSession {
public:
    enum class State { InProgress, Done, Failed };

    // eap_identity: what the peer said it is; its certificate must name it.
    ServerSession(std::shared_ptr<const ServerCredentials> credentials, std::string eap_identity);
    ~ServerSession();
    ServerSession(const ServerSession&) = delete;
    ServerSession& operator=(const ServerSession&) = delete;

    // Hands the peer's (reassembled) TLS flight to the handshake and runs it as far as
    // it goes. Afterwards take_output() has what to send: the next flight, our last
    // flight (Done) or an alert (Failed, when GnuTLS made one).
    State step(ByteView peer_flight);
    State state() const noexcept { return state_; }
    Bytes take_output();
    const std::string& failure() const noexcept { return failure_; }  // after Failed
    const std::string& user() const noexcept { return user_; }        // after Done
    SecureBytes msk() const;                                          // after Done

private:
    friend class ServerCredentials;  // installs verify_peer
    static int verify_peer(gnutls_session_t session);
    static ssize_t pull(gnutls_transport_ptr_t self, void* data, size_t size);
    static ssize_t push(gnutls_transport_ptr_t self, const void* data, size_t size);
    static int pull_timeout(gnutls_transport_ptr_t self, unsigned ms);
    // The checks of the class comment; sets user_ or peer_refusal_.
    bool check_peer();
    State fail(std::string why, int gnutls_error);

    std::shared_ptr<const ServerCredentials> credentials_;
    std::string eap_identity_;
    gnutls_session_t session_ = nullptr;
    Bytes input_;
    std::size_t input_offset_{0};
    Bytes output_;
    State state_{State::InProgress};
    bool peer_checked_{false};
    std::string peer_refusal_;
    std::string user_;
    std::string failure_;
};

}  // namespace ikev2d::eap::tls
