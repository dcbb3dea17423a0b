#include "crypto/self_signed.hpp"

#include <fcntl.h>
#include <gnutls/crypto.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>

#include "util/ip_address.hpp"
#include "util/log.hpp"

namespace ikev2d::crypto {

using detail::gnutls_check;
using detail::GnutlsDatum;

namespace {

constexpr time_t kDay = 24 * 60 * 60;
// Backdate so that a peer whose clock is a little behind ours still accepts the certificate.
constexpr time_t kBackdate = 60 * 60;

gnutls_digest_algorithm_t certificate_digest(KeyType t) {
    switch (t) {
        case KeyType::ECDSA_P384: return GNUTLS_DIG_SHA384;
        case KeyType::ECDSA_P521: return GNUTLS_DIG_SHA512;
        case KeyType::ED25519: return GNUTLS_DIG_SHA512;  // fixed by Ed25519 itself; GnuTLS wants a value
        default: return GNUTLS_DIG_SHA256;
    }
}

void write_file_atomically(const std::string& path, ByteView data, mode_t mode) {
    const std::filesystem::path p(path);
    std::error_code ec;
    if (p.has_parent_path() && std::filesystem::create_directories(p.parent_path(), ec))
        std::filesystem::permissions(p.parent_path(), std::filesystem::perms::owner_all, ec);
    if (ec) throw CryptoError(path + ": cannot create the directory: " + ec.message());

    std::string tmp = path + ".XXXXXX";
    const int fd = mkstemp(tmp.data());
    if (fd < 0) throw CryptoError(path + ": cannot create a temporary file: " + std::strerror(errno));
    const auto fail = [&](const char* what) {
        const int err = errno;
        ::close(fd);
        ::unlink(tmp.c_str());
        throw CryptoError(path + ": " + what + ": " + std::strerror(err));
    };
    if (fchmod(fd, mode) != 0) fail("chmod");
    for (std::size_t done = 0; done < data.size();) {
        const ssize_t n = ::write(fd, data.data() + done, data.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("write");
        done += static_cast<std::size_t>(n);
    }
    if (fsync(fd) != 0) fail("fsync");
    if (::close(fd) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw CryptoError(path + ": close: " + std::strerror(err));
    }
    if (::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw CryptoError(path + ": rename: " + std::strerror(err));
    }
}

void write_key(const std::string& path, const PrivateKey& key) {
    std::string pem = key.to_pem();
    try {
        write_file_atomically(path, as_bytes(pem), 0600);
    } catch (...) {
        secure_wipe(pem.data(), pem.size());
        throw;
    }
    secure_wipe(pem.data(), pem.size());
}

}  // namespace

Certificate make_self_signed(const PrivateKey& key, const SelfSignedOptions& options) {
    if (options.identities.empty() || options.identities[0].empty())
        throw CryptoError("self-signed certificate: no identity");
    gnutls_x509_crt_t raw = nullptr;
    gnutls_check(gnutls_x509_crt_init(&raw), "gnutls_x509_crt_init");
    std::unique_ptr<gnutls_x509_crt_int, void (*)(gnutls_x509_crt_t)> crt(raw, gnutls_x509_crt_deinit);

    gnutls_check(gnutls_x509_crt_set_version(raw, 3), "setting version");
    // RFC 5280 4.1.2.2: positive, at most 20 octets; random so that a remade certificate
    // never repeats an issuer+serial pair.
    std::uint8_t serial[16];
    gnutls_check(gnutls_rnd(GNUTLS_RND_NONCE, serial, sizeof serial), "random serial");
    serial[0] = static_cast<std::uint8_t>((serial[0] & 0x7f) | 0x40);
    gnutls_check(gnutls_x509_crt_set_serial(raw, serial, sizeof serial), "setting serial");

    const time_t now = time(nullptr);
    gnutls_check(gnutls_x509_crt_set_activation_time(raw, now - kBackdate), "setting notBefore");
    gnutls_check(gnutls_x509_crt_set_expiration_time(raw, now + options.validity_days * kDay), "setting notAfter");

    const std::string& cn = options.identities[0];
    gnutls_check(gnutls_x509_crt_set_dn_by_oid(raw, GNUTLS_OID_X520_COMMON_NAME, 0, cn.data(), cn.size()),
                 "setting the subject CN");
    for (const auto& id : options.identities) {
        int rc;
        if (auto ip = IpAddress::parse(id))
            rc = gnutls_x509_crt_set_subject_alt_name(raw, GNUTLS_SAN_IPADDRESS, ip->view().data(), ip->size(),
                                                      GNUTLS_FSAN_APPEND);
        else
            rc =
                gnutls_x509_crt_set_subject_alt_name(raw, GNUTLS_SAN_DNSNAME, id.data(), id.size(), GNUTLS_FSAN_APPEND);
        gnutls_check(rc, "setting subjectAltName " + id);
    }

    gnutls_check(gnutls_x509_crt_set_basic_constraints(raw, 0, -1), "setting basicConstraints");
    gnutls_check(gnutls_x509_crt_set_key_usage(raw, GNUTLS_KEY_DIGITAL_SIGNATURE), "setting keyUsage");
    for (const auto& oid : options.extended_key_usages)
        gnutls_check(gnutls_x509_crt_set_key_purpose_oid(raw, oid.c_str(), 0), "setting extendedKeyUsage " + oid);

    gnutls_pubkey_t pub = nullptr;
    gnutls_check(gnutls_pubkey_init(&pub), "gnutls_pubkey_init");
    std::unique_ptr<gnutls_pubkey_st, void (*)(gnutls_pubkey_t)> pub_guard(pub, gnutls_pubkey_deinit);
    gnutls_check(gnutls_pubkey_import_privkey(pub, key.native(), 0, 0), "deriving the public key");
    gnutls_check(gnutls_x509_crt_set_pubkey(raw, pub), "setting the public key");
    std::uint8_t key_id[64];
    size_t key_id_size = sizeof key_id;
    gnutls_check(gnutls_pubkey_get_key_id(pub, GNUTLS_KEYID_USE_SHA1, key_id, &key_id_size), "computing key id");
    gnutls_check(gnutls_x509_crt_set_subject_key_id(raw, key_id, key_id_size), "setting subjectKeyIdentifier");
    gnutls_check(gnutls_x509_crt_set_authority_key_id(raw, key_id, key_id_size), "setting authorityKeyIdentifier");

    gnutls_check(gnutls_x509_crt_privkey_sign(raw, raw, key.native(), certificate_digest(key.type()), 0),
                 "signing the self-signed certificate");
    GnutlsDatum der;
    gnutls_check(gnutls_x509_crt_export2(raw, GNUTLS_X509_FMT_DER, der.out()), "exporting certificate");
    return Certificate::from_der(der.view());
}

GatewayCredentials load_or_create_self_signed(const std::string& cert_path, const std::string& key_path,
                                              const std::string& identity, KeyType type) {
    namespace fs = std::filesystem;
    std::error_code ec;
    const bool have_cert = fs::exists(cert_path, ec);
    const bool have_key = fs::exists(key_path, ec);
    if (have_cert && !have_key)
        throw CryptoError(cert_path + ": certificate without its key " + key_path +
                          "; remove the certificate to have a new key and certificate made");

    std::optional<PrivateKey> key;
    if (have_key) {
        key = PrivateKey::load_file(key_path);
    } else {
        LOG_INFO(Platform, "generating a %s key for the self-signed gateway certificate: %s",
                 key_type_name(type).c_str(), key_path.c_str());
        key = PrivateKey::generate(type);
        write_key(key_path, *key);
    }

    if (have_cert) {
        std::vector<Certificate> certs = Certificate::load_file(cert_path);
        if (certs.empty()) throw CryptoError(cert_path + ": no certificate");
        Certificate& cert = certs.front();
        if (!key->matches(cert)) throw CryptoError(cert_path + ": certificate does not belong to the key " + key_path);
        const bool current = cert.not_after() > time(nullptr);
        if (current && cert.matches_identity(identity)) return {cert, *key};
        LOG_INFO(Platform, "self-signed certificate %s %s; making a new one for %s", cert_path.c_str(),
                 current ? "names another identity" : "expired", identity.c_str());
    }

    SelfSignedOptions options;
    options.identities = {identity};
    Certificate cert = make_self_signed(*key, options);
    write_file_atomically(cert_path, as_bytes(cert.to_pem()), 0644);
    LOG_INFO(Platform, "self-signed gateway certificate %s: subject %s, SPKI SHA-1 %s", cert_path.c_str(),
             cert.subject_dn().c_str(), to_hex(cert.spki_sha1()).c_str());
    return {cert, *key};
}

}  // namespace ikev2d::crypto
