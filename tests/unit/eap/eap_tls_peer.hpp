// A test EAP-TLS peer: a GnuTLS *client* over memory buffers, with its own EAP-TLS
// framing (written here from RFC 5216, not shared with the server), that answers the
// server's Requests. Its MSK comes from gnutls_prf with RFC 5216's label, computed on
// the client's side of the handshake.
#pragma once

#include <gnutls/abstract.h>
#include <gnutls/gnutls.h>

#include <string>

#include "util/bytes.hpp"

namespace test_peer {

class EapTlsPeer {
public:
    // PEM files: the client's certificate chain (end entity first), its key, and the CA
    // the server's certificate must chain to (empty: not checked). fragment_size: TLS bytes per Response.
    // With offer_regardless, the certificate goes out even when the server's
    // CertificateRequest names other CAs (GnuTLS would otherwise send none).
    EapTlsPeer(const std::string& chain_pem_file, const std::string& key_file, const std::string& ca_file,
               std::size_t fragment_size = 300, bool offer_regardless = false);
    ~EapTlsPeer();
    EapTlsPeer(const EapTlsPeer&) = delete;
    EapTlsPeer& operator=(const EapTlsPeer&) = delete;

    // The Response to one EAP-TLS Request (throws on anything a peer would not expect).
    ikev2d::Bytes respond(const ikev2d::Bytes& request);
    bool handshake_done() const { return done_; }
    int last_error() const { return last_error_; }  // the client's last gnutls_handshake result
    ikev2d::Bytes msk() const;                       // 64 bytes, after the handshake

private:
    static int retrieve(gnutls_session_t, const gnutls_datum_t*, int, const gnutls_pk_algorithm_t*, int,
                        gnutls_pcert_st** pcert, unsigned* pcert_length, gnutls_privkey_t* key);
    static ssize_t pull(gnutls_transport_ptr_t self, void* data, size_t size);
    static ssize_t push(gnutls_transport_ptr_t self, const void* data, size_t size);
    ikev2d::Bytes response(std::uint8_t id, const ikev2d::Bytes& type_data) const;
    ikev2d::Bytes next_fragment();
    void run_handshake();

    gnutls_certificate_credentials_t cred_ = nullptr;
    gnutls_session_t session_ = nullptr;
    gnutls_pcert_st pcerts_[4]{};
    unsigned pcert_count_ = 0;
    gnutls_privkey_t key_ = nullptr;
    std::size_t fragment_size_;
    ikev2d::Bytes in_, out_;
    std::size_t in_offset_ = 0, out_offset_ = 0;
    bool done_ = false;
    int last_error_ = 0;
};

}  // namespace test_peer
