#include "eap/eap_tls_session.hpp"

#include <cerrno>
#include <cstring>

#include "crypto/cert_policy.hpp"
#include "crypto/crypto_error.hpp"
#include "eap/method.hpp"

namespace ikev2d::eap::tls {
namespace {

// TLS 1.2 only: TLS 1.3 under EAP needs RFC 9190's commitment message and key schedule.
constexpr const char* kPriorities = "NORMAL:-VERS-ALL:+VERS-TLS1.2";

std::string gnutls_text(int rc) { return gnutls_strerror(rc); }

}  // namespace

std::shared_ptr<const ServerCredentials> ServerCredentials::make(const std::vector<crypto::Certificate>& chain,
                                                                 const crypto::PrivateKey& key,
                                                                 std::shared_ptr<const crypto::CertStore> trusted,
                                                                 std::shared_ptr<std::mutex> trust_lock) {
    if (chain.empty()) throw crypto::CryptoError("EAP-TLS needs the gateway's certificate");
    if (!trusted || trusted->empty()) throw crypto::CryptoError("EAP-TLS needs trusted CAs for client certificates");
    if (!trust_lock) throw crypto::CryptoError("EAP-TLS needs the trust store's lock");
    std::shared_ptr<ServerCredentials> out(new ServerCredentials());
    out->trusted_ = std::move(trusted);
    out->trust_lock_ = std::move(trust_lock);
    crypto::detail::gnutls_check(gnutls_certificate_allocate_credentials(&out->cred_),
                                 "gnutls_certificate_allocate_credentials");
    std::string chain_pem;
    for (const auto& cert : chain) chain_pem += cert.to_pem();
    // GnuTLS keeps its own copy of the key; the PEM text is wiped right away.
    std::string key_pem = key.to_pem();
    const gnutls_datum_t cert_datum = crypto::detail::borrow(as_bytes(chain_pem));
    const gnutls_datum_t key_datum = crypto::detail::borrow(as_bytes(key_pem));
    const int rc = gnutls_certificate_set_x509_key_mem(out->cred_, &cert_datum, &key_datum, GNUTLS_X509_FMT_PEM);
    secure_wipe(key_pem.data(), key_pem.size());
    crypto::detail::gnutls_check(rc, "EAP-TLS server certificate and key");
    // The CAs only name themselves in CertificateRequest (so that clients pick the right
    // certificate); the verification is ours, in verify_peer.
    std::vector<gnutls_x509_crt_t> cas;
    for (const auto& ca : out->trusted_->trusted()) cas.push_back(ca.native());
    const int added = gnutls_certificate_set_x509_trust(out->cred_, cas.data(), static_cast<int>(cas.size()));
    if (added < 0) crypto::detail::gnutls_check(added, "EAP-TLS trusted CAs");
    gnutls_certificate_set_verify_function(out->cred_, &ServerSession::verify_peer);
    return out;
}

ServerCredentials::~ServerCredentials() {
    if (cred_) gnutls_certificate_free_credentials(cred_);
}

ServerSession::ServerSession(std::shared_ptr<const ServerCredentials> credentials, std::string eap_identity)
    : credentials_(std::move(credentials)), eap_identity_(std::move(eap_identity)) {
    if (!credentials_) throw std::invalid_argument("EAP-TLS session without credentials");
    crypto::detail::gnutls_check(gnutls_init(&session_, GNUTLS_SERVER | GNUTLS_NONBLOCK | GNUTLS_NO_TICKETS),
                                 "gnutls_init");
    try {
        const char* error_at = nullptr;
        crypto::detail::gnutls_check(gnutls_priority_set_direct(session_, kPriorities, &error_at), "TLS priorities");
        crypto::detail::gnutls_check(gnutls_credentials_set(session_, GNUTLS_CRD_CERTIFICATE, credentials_->native()),
                                     "gnutls_credentials_set");
    } catch (...) {
        gnutls_deinit(session_);
        throw;
    }
    gnutls_certificate_server_set_request(session_, GNUTLS_CERT_REQUIRE);
    gnutls_handshake_set_timeout(session_, 0);  // the IKE SA's own timers bound the conversation
    gnutls_session_set_ptr(session_, this);
    gnutls_transport_set_ptr(session_, this);
    gnutls_transport_set_pull_function(session_, &ServerSession::pull);
    gnutls_transport_set_push_function(session_, &ServerSession::push);
    gnutls_transport_set_pull_timeout_function(session_, &ServerSession::pull_timeout);
}

ServerSession::~ServerSession() {
    gnutls_deinit(session_);
    if (!output_.empty()) secure_wipe(output_.data(), output_.size());
}

ssize_t ServerSession::pull(gnutls_transport_ptr_t ptr, void* data, size_t size) {
    auto* self = static_cast<ServerSession*>(ptr);
    const std::size_t left = self->input_.size() - self->input_offset_;
    if (left == 0) {
        gnutls_transport_set_errno(self->session_, EAGAIN);
        return -1;
    }
    const std::size_t n = std::min(left, size);
    std::memcpy(data, self->input_.data() + self->input_offset_, n);
    self->input_offset_ += n;
    return static_cast<ssize_t>(n);
}

ssize_t ServerSession::push(gnutls_transport_ptr_t ptr, const void* data, size_t size) {
    auto* self = static_cast<ServerSession*>(ptr);
    const auto* bytes = static_cast<const std::uint8_t*>(data);
    self->output_.insert(self->output_.end(), bytes, bytes + size);
    return static_cast<ssize_t>(size);
}

int ServerSession::pull_timeout(gnutls_transport_ptr_t ptr, unsigned) {
    auto* self = static_cast<ServerSession*>(ptr);
    return self->input_.size() > self->input_offset_ ? 1 : 0;
}

int ServerSession::verify_peer(gnutls_session_t session) {
    auto* self = static_cast<ServerSession*>(gnutls_session_get_ptr(session));
    return self != nullptr && self->check_peer() ? 0 : -1;
}

bool ServerSession::check_peer() {
    if (peer_checked_) return peer_refusal_.empty();
    peer_checked_ = true;
    unsigned count = 0;
    const gnutls_datum_t* ders = gnutls_certificate_get_peers(session_, &count);
    if (ders == nullptr || count == 0) {
        peer_refusal_ = "the client sent no certificate";
        return false;
    }
    try {
        const auto end_entity = crypto::Certificate::from_der({ders[0].data, ders[0].size});
        std::vector<crypto::Certificate> intermediates;
        for (unsigned i = 1; i < count; ++i) intermediates.push_back(crypto::Certificate::from_der({ders[i].data, ders[i].size}));
        std::string why;
        bool chained = false;
        {
            std::lock_guard<std::mutex> hold(credentials_->trust_lock());
            chained = credentials_->trusted().verify_chain(end_entity, intermediates, &why);
        }
        const std::string subject = loggable(end_entity.subject_dn());
        if (!chained) {
            peer_refusal_ = "client certificate '" + subject + "' does not chain to a trusted CA: " + why;
            return false;
        }
        if (auto problem = crypto::client_certificate_problem(end_entity)) {
            peer_refusal_ = "client certificate '" + subject + "' is " + *problem;
            return false;
        }
        // The certificate must name the identity the peer claimed, which then names the user.
        if (eap_identity_.empty() || !end_entity.matches_identity(eap_identity_, /*allow_subject_cn=*/true)) {
            peer_refusal_ = "client certificate '" + subject + "' does not name the EAP identity '" +
                            loggable(eap_identity_) + "'";
            return false;
        }
        user_ = eap_identity_;
        return true;
    } catch (const std::exception& e) {
        peer_refusal_ = std::string("client certificate unusable: ") + e.what();
        return false;
    }
}

ServerSession::State ServerSession::fail(std::string why, int gnutls_error) {
    state_ = State::Failed;
    failure_ = std::move(why);
    // An alert tells the peer why (RFC 5216 2.1.3); GnuTLS pushes it into output_.
    if (gnutls_error != 0 && gnutls_error != GNUTLS_E_FATAL_ALERT_RECEIVED)
        (void)gnutls_alert_send_appropriate(session_, gnutls_error);
    return state_;
}

ServerSession::State ServerSession::step(ByteView peer_flight) {
    if (state_ != State::InProgress) return fail("EAP-TLS data after the handshake ended", 0);
    input_.assign(peer_flight.begin(), peer_flight.end());
    input_offset_ = 0;
    int rc;
    do {
        rc = gnutls_handshake(session_);
    } while (rc == GNUTLS_E_INTERRUPTED);
    const bool input_left = input_offset_ < input_.size();
    input_.clear();
    input_offset_ = 0;
    if (rc == GNUTLS_E_AGAIN) {
        if (output_.empty()) return fail("the client's TLS flight was incomplete", GNUTLS_E_UNEXPECTED_PACKET);
        return state_;
    }
    if (rc < 0) {
        std::string why = "TLS handshake failed: " + gnutls_text(rc);
        if (rc == GNUTLS_E_FATAL_ALERT_RECEIVED || rc == GNUTLS_E_WARNING_ALERT_RECEIVED)
            why += std::string(" (") + gnutls_alert_get_name(gnutls_alert_get(session_)) + ")";
        if (!peer_refusal_.empty()) why = peer_refusal_;
        return fail(std::move(why), rc);
    }
    if (input_left) return fail("the client sent data after its TLS Finished", GNUTLS_E_UNEXPECTED_PACKET);
    // GnuTLS runs verify_peer once the Certificate arrives; if it had not, check now.
    if (!check_peer()) return fail(peer_refusal_, GNUTLS_E_CERTIFICATE_ERROR);
    state_ = State::Done;
    return state_;
}

Bytes ServerSession::take_output() {
    Bytes out = std::move(output_);
    output_.clear();
    return out;
}

SecureBytes ServerSession::msk() const {
    if (state_ != State::Done) throw std::logic_error("EAP-TLS MSK before the handshake finished");
    // RFC 5705's exporter without a context is RFC 5216's PRF(master, label, client.random || server.random).
    SecureBytes keying(2 * kMskSize);  // MSK || EMSK; the EMSK is not used
    crypto::detail::gnutls_check(gnutls_prf_rfc5705(session_, std::strlen(kKeyLabel), kKeyLabel, 0, nullptr,
                                                    keying.size(), reinterpret_cast<char*>(keying.data())),
                                 "EAP-TLS key derivation");
    return SecureBytes(keying.first(kMskSize));
}

}  // namespace ikev2d::eap::tls
