#include "eap_tls_peer.hpp"

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace test_peer {
using ikev2d::Bytes;

namespace {
void check(int rc, const char* what) {
    if (rc < 0) throw std::runtime_error(std::string(what) + ": " + gnutls_strerror(rc));
}
}  // namespace

EapTlsPeer::EapTlsPeer(const std::string& chain_pem_file, const std::string& key_file, const std::string& ca_file,
                       std::size_t fragment_size, bool offer_regardless)
    : fragment_size_(fragment_size) {
    check(gnutls_certificate_allocate_credentials(&cred_), "credentials");
    if (offer_regardless) {
        pcert_count_ = 4;
        check(gnutls_pcert_list_import_x509_file(pcerts_, &pcert_count_, chain_pem_file.c_str(), GNUTLS_X509_FMT_PEM,
                                                 nullptr, nullptr, 0),
              "client chain");
        gnutls_datum_t pem{};
        check(gnutls_load_file(key_file.c_str(), &pem), "client key file");
        check(gnutls_privkey_init(&key_), "privkey_init");
        const int rc = gnutls_privkey_import_x509_raw(key_, &pem, GNUTLS_X509_FMT_PEM, nullptr, 0);
        gnutls_free(pem.data);
        check(rc, "client key");
        gnutls_certificate_set_retrieve_function2(cred_, &EapTlsPeer::retrieve);
    } else {
        check(gnutls_certificate_set_x509_key_file(cred_, chain_pem_file.c_str(), key_file.c_str(), GNUTLS_X509_FMT_PEM),
              "client certificate");
    }
    if (!ca_file.empty())
        check(gnutls_certificate_set_x509_trust_file(cred_, ca_file.c_str(), GNUTLS_X509_FMT_PEM), "client trust");
    check(gnutls_init(&session_, GNUTLS_CLIENT | GNUTLS_NONBLOCK), "gnutls_init");
    check(gnutls_set_default_priority(session_), "priority");
    check(gnutls_credentials_set(session_, GNUTLS_CRD_CERTIFICATE, cred_), "credentials_set");
    if (!ca_file.empty()) gnutls_session_set_verify_cert(session_, "vpn.example.com", 0);  // the peer checks the server too
    gnutls_handshake_set_timeout(session_, 0);
    gnutls_transport_set_ptr(session_, this);
    gnutls_session_set_ptr(session_, this);
    gnutls_transport_set_pull_function(session_, &EapTlsPeer::pull);
    gnutls_transport_set_push_function(session_, &EapTlsPeer::push);
}

EapTlsPeer::~EapTlsPeer() {
    gnutls_deinit(session_);
    gnutls_certificate_free_credentials(cred_);
    for (unsigned i = 0; i < pcert_count_ && key_ != nullptr; ++i) gnutls_pcert_deinit(&pcerts_[i]);
    if (key_ != nullptr) gnutls_privkey_deinit(key_);
}

int EapTlsPeer::retrieve(gnutls_session_t session, const gnutls_datum_t*, int, const gnutls_pk_algorithm_t*, int,
                         gnutls_pcert_st** pcert, unsigned* pcert_length, gnutls_privkey_t* key) {
    auto* self = static_cast<EapTlsPeer*>(gnutls_session_get_ptr(session));
    *pcert = self->pcerts_;
    *pcert_length = self->pcert_count_;
    *key = self->key_;
    return 0;
}

ssize_t EapTlsPeer::pull(gnutls_transport_ptr_t p, void* data, size_t size) {
    auto* self = static_cast<EapTlsPeer*>(p);
    const std::size_t left = self->in_.size() - self->in_offset_;
    if (left == 0) {
        gnutls_transport_set_errno(self->session_, EAGAIN);
        return -1;
    }
    const std::size_t n = std::min(left, size);
    std::memcpy(data, self->in_.data() + self->in_offset_, n);
    self->in_offset_ += n;
    return static_cast<ssize_t>(n);
}

ssize_t EapTlsPeer::push(gnutls_transport_ptr_t p, const void* data, size_t size) {
    auto* self = static_cast<EapTlsPeer*>(p);
    const auto* b = static_cast<const std::uint8_t*>(data);
    self->out_.insert(self->out_.end(), b, b + size);
    return static_cast<ssize_t>(size);
}

Bytes EapTlsPeer::response(std::uint8_t id, const Bytes& type_data) const {
    const std::size_t length = 5 + type_data.size();
    Bytes p{2, id, static_cast<std::uint8_t>(length >> 8), static_cast<std::uint8_t>(length), 13};
    p.insert(p.end(), type_data.begin(), type_data.end());
    return p;
}

Bytes EapTlsPeer::next_fragment() {
    const bool first = out_offset_ == 0;
    const std::size_t n = std::min(fragment_size_, out_.size() - out_offset_);
    const bool more = out_offset_ + n < out_.size();
    Bytes td{static_cast<std::uint8_t>((first ? 0x80 : 0) | (more ? 0x40 : 0))};
    if (first)
        for (int shift : {24, 16, 8, 0}) td.push_back(static_cast<std::uint8_t>(out_.size() >> shift));
    td.insert(td.end(), out_.begin() + static_cast<long>(out_offset_), out_.begin() + static_cast<long>(out_offset_ + n));
    out_offset_ += n;
    if (!more) {
        out_.clear();
        out_offset_ = 0;
    }
    return td;
}

void EapTlsPeer::run_handshake() {
    int rc;
    do rc = gnutls_handshake(session_);
    while (rc == GNUTLS_E_INTERRUPTED);
    last_error_ = rc;
    if (rc == 0) done_ = true;
    in_.clear();
    in_offset_ = 0;
}

Bytes EapTlsPeer::respond(const Bytes& request) {
    if (request.size() < 6 || request[0] != 1 || request[4] != 13) throw std::runtime_error("not an EAP-TLS Request");
    const std::uint8_t id = request[1];
    const std::size_t length = (std::size_t{request[2]} << 8) | request[3];
    if (length != request.size()) throw std::runtime_error("EAP length mismatch");
    const std::uint8_t flags = request[5];
    std::size_t pos = 6;
    if (flags & 0x80) pos += 4;
    if (pos > request.size()) throw std::runtime_error("short EAP-TLS Request");
    const Bytes data(request.begin() + static_cast<long>(pos), request.end());
    if (!out_.empty()) {  // we are sending fragments: this must be the server's ACK
        if (!data.empty() || (flags & 0x40)) throw std::runtime_error("server sent data instead of an ACK");
        return response(id, next_fragment());
    }
    if (flags & 0x20) {
        run_handshake();  // ClientHello
    } else {
        in_.insert(in_.end(), data.begin(), data.end());
        if (flags & 0x40) return response(id, Bytes{0});  // ACK the server's fragment
        run_handshake();
    }
    if (out_.empty()) return response(id, Bytes{0});  // nothing to say: ACK (after the server's Finished or alert)
    return response(id, next_fragment());
}

Bytes EapTlsPeer::msk() const {
    if (!done_) throw std::logic_error("no MSK before the handshake");
    const char label[] = "client EAP encryption";
    Bytes out(64);
    // RFC 5216 2.3: PRF(master secret, label, client.random || server.random).
    check(gnutls_prf(session_, std::strlen(label), label, 0, 0, nullptr, out.size(), reinterpret_cast<char*>(out.data())),
          "gnutls_prf");
    return out;
}

}  // namespace test_peer
