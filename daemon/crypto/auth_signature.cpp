#include "crypto/auth_signature.hpp"

#include <gnutls/abstract.h>
#include <gnutls/crypto.h>

#include <algorithm>
#include <optional>

namespace ikev2d::crypto {

using detail::borrow;
using detail::gnutls_check;
using detail::GnutlsDatum;
using iana::AuthMethod;
using iana::HashAlgorithm;

namespace {

// ---- DER encodings of the RFC 7427 AlgorithmIdentifiers (Appendix A; RFC 4055 for PSS,
// RFC 5758 for ECDSA, RFC 8410 for Ed25519) -----------------------------------------------

const Bytes kOidSha1{0x2b, 0x0e, 0x03, 0x02, 0x1a};                             // 1.3.14.3.2.26
const Bytes kOidSha2Prefix{0x60, 0x86, 0x48, 0x01, 0x65, 0x03, 0x04, 0x02};     // 2.16.840.1.101.3.4.2.x
const Bytes kOidPkcs1Prefix{0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01};    // 1.2.840.113549.1.1.x
const Bytes kOidEcdsaWithSha1{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01};        // 1.2.840.10045.4.1
const Bytes kOidEcdsaWithSha2Prefix{0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03};  // 1.2.840.10045.4.3.x
const Bytes kOidEd25519{0x2b, 0x65, 0x70};                                      // 1.3.101.112
constexpr std::uint8_t kPkcs1RsaSsaPss = 10, kPkcs1Mgf1 = 8;
constexpr std::uint8_t kTagInteger = 0x02, kTagNull = 0x05, kTagOid = 0x06, kTagSequence = 0x30;

Bytes tlv(std::uint8_t tag, ByteView value) {
    Bytes out{tag};
    if (value.size() < 0x80) {
        out.push_back(static_cast<std::uint8_t>(value.size()));
    } else {  // our encodings stay far below 64 KiB
        out.push_back(0x82);
        out.push_back(static_cast<std::uint8_t>(value.size() >> 8));
        out.push_back(static_cast<std::uint8_t>(value.size()));
    }
    append(out, value);
    return out;
}
Bytes concat(std::initializer_list<Bytes> parts) {
    Bytes out;
    for (const auto& p : parts) append(out, p);
    return out;
}
Bytes with_suffix(const Bytes& prefix, std::uint8_t last) {
    Bytes out = prefix;
    out.push_back(last);
    return out;
}

std::uint8_t sha2_arc(HashAlgorithm h) {  // sha256 = .1, sha384 = .2, sha512 = .3
    switch (h) {
        case HashAlgorithm::SHA2_256: return 1;
        case HashAlgorithm::SHA2_384: return 2;
        case HashAlgorithm::SHA2_512: return 3;
        default: throw CryptoError("no SHA-2 OID for hash " + iana::name(h));
    }
}
Bytes hash_oid(HashAlgorithm h) {
    return h == HashAlgorithm::SHA1 ? kOidSha1 : with_suffix(kOidSha2Prefix, sha2_arc(h));
}
// hash AlgorithmIdentifier with NULL parameters, as RFC 4055 2.1 asks generators to write
Bytes hash_alg_id(HashAlgorithm h) { return tlv(kTagSequence, concat({tlv(kTagOid, hash_oid(h)), {kTagNull, 0}})); }

std::uint8_t pkcs1_arc(HashAlgorithm h) {  // sha1WithRSAEncryption = .5, sha256/384/512 = .11/.12/.13
    switch (h) {
        case HashAlgorithm::SHA1: return 5;
        case HashAlgorithm::SHA2_256: return 11;
        case HashAlgorithm::SHA2_384: return 12;
        case HashAlgorithm::SHA2_512: return 13;
        default: throw CryptoError("RSA PKCS#1 v1.5 cannot use hash " + iana::name(h));
    }
}

unsigned hash_size(HashAlgorithm h) {
    switch (h) {
        case HashAlgorithm::SHA1: return 20;
        case HashAlgorithm::SHA2_256: return 32;
        case HashAlgorithm::SHA2_384: return 48;
        case HashAlgorithm::SHA2_512: return 64;
        default: return 0;
    }
}

Bytes pss_alg_id(HashAlgorithm h) {
    const Bytes params = concat({
        tlv(0xa0, hash_alg_id(h)),
        tlv(0xa1, tlv(kTagSequence, concat({tlv(kTagOid, with_suffix(kOidPkcs1Prefix, kPkcs1Mgf1)), hash_alg_id(h)}))),
        tlv(0xa2, tlv(kTagInteger, Bytes{static_cast<std::uint8_t>(hash_size(h))})),
    });
    return tlv(kTagSequence,
               concat({tlv(kTagOid, with_suffix(kOidPkcs1Prefix, kPkcs1RsaSsaPss)), tlv(kTagSequence, params)}));
}

// ---- key families and GnuTLS algorithm choices -----------------------------------------

enum class Family { RSA, ECDSA, ED25519 };
Family family_of(KeyType t) {
    switch (t) {
        case KeyType::RSA: return Family::RSA;
        case KeyType::ED25519: return Family::ED25519;
        default: return Family::ECDSA;
    }
}

struct Ecdsa {
    AuthMethod method;
    HashAlgorithm hash;
    unsigned field_bytes;
};
Ecdsa ecdsa_params(KeyType t) {  // RFC 4754 section 8 pairs each curve with one hash
    switch (t) {
        case KeyType::ECDSA_P256: return {AuthMethod::ECDSA_SHA256_P256, HashAlgorithm::SHA2_256, 32};
        case KeyType::ECDSA_P384: return {AuthMethod::ECDSA_SHA384_P384, HashAlgorithm::SHA2_384, 48};
        case KeyType::ECDSA_P521: return {AuthMethod::ECDSA_SHA512_P521, HashAlgorithm::SHA2_512, 66};
        default: throw CryptoError("not an ECDSA key: " + key_type_name(t));
    }
}

gnutls_sign_algorithm_t gnutls_sign(Family f, HashAlgorithm h, bool pss) {
    switch (f) {
        case Family::ED25519:
            if (h != HashAlgorithm::IDENTITY) break;
            return GNUTLS_SIGN_EDDSA_ED25519;
        case Family::RSA:
            if (pss) {  // the RSAE variants are RSA-PSS made with an rsaEncryption key
                if (h == HashAlgorithm::SHA2_256) return GNUTLS_SIGN_RSA_PSS_RSAE_SHA256;
                if (h == HashAlgorithm::SHA2_384) return GNUTLS_SIGN_RSA_PSS_RSAE_SHA384;
                if (h == HashAlgorithm::SHA2_512) return GNUTLS_SIGN_RSA_PSS_RSAE_SHA512;
                break;
            }
            if (h == HashAlgorithm::SHA1) return GNUTLS_SIGN_RSA_SHA1;
            if (h == HashAlgorithm::SHA2_256) return GNUTLS_SIGN_RSA_SHA256;
            if (h == HashAlgorithm::SHA2_384) return GNUTLS_SIGN_RSA_SHA384;
            if (h == HashAlgorithm::SHA2_512) return GNUTLS_SIGN_RSA_SHA512;
            break;
        case Family::ECDSA:
            if (h == HashAlgorithm::SHA1) return GNUTLS_SIGN_ECDSA_SHA1;
            if (h == HashAlgorithm::SHA2_256) return GNUTLS_SIGN_ECDSA_SHA256;
            if (h == HashAlgorithm::SHA2_384) return GNUTLS_SIGN_ECDSA_SHA384;
            if (h == HashAlgorithm::SHA2_512) return GNUTLS_SIGN_ECDSA_SHA512;
            break;
    }
    throw CryptoError("no signature algorithm for hash " + iana::name(h));
}

Bytes algorithm_identifier(Family f, HashAlgorithm h, bool pss) {
    switch (f) {
        case Family::ED25519: return tlv(kTagSequence, tlv(kTagOid, kOidEd25519));  // parameters absent (RFC 8410 3)
        case Family::RSA:
            if (pss) return pss_alg_id(h);
            return tlv(kTagSequence, concat({tlv(kTagOid, with_suffix(kOidPkcs1Prefix, pkcs1_arc(h))), {kTagNull, 0}}));
        case Family::ECDSA: {
            const Bytes oid = h == HashAlgorithm::SHA1
                                  ? kOidEcdsaWithSha1
                                  : with_suffix(kOidEcdsaWithSha2Prefix, static_cast<std::uint8_t>(sha2_arc(h) + 1));
            return tlv(kTagSequence, tlv(kTagOid, oid));  // parameters absent (RFC 5758 3.2)
        }
    }
    throw CryptoError("unknown key family");
}

// ---- ECDSA r|s (RFC 4754) <-> DER Ecdsa-Sig-Value ----------------------------------------

Bytes der_to_raw_rs(ByteView der, unsigned field_bytes) {
    GnutlsDatum r, s;
    gnutls_datum_t d = borrow(der);
    gnutls_check(gnutls_decode_rs_value(&d, r.out(), s.out()), "decoding ECDSA signature");
    Bytes out;
    for (ByteView v : {r.view(), s.view()}) {
        while (!v.empty() && v.front() == 0) v = v.subspan(1);  // DER sign octet / minimal form
        if (v.size() > field_bytes) throw CryptoError("ECDSA signature value longer than the field");
        out.insert(out.end(), field_bytes - v.size(), 0);
        append(out, v);
    }
    return out;
}

Bytes raw_rs_to_der(ByteView raw) {
    const std::size_t half = raw.size() / 2;
    gnutls_datum_t r = borrow(raw.first(half)), s = borrow(raw.subspan(half));
    GnutlsDatum der;
    gnutls_check(gnutls_encode_rs_value(der.out(), &r, &s), "encoding ECDSA signature");
    return der.bytes();
}

Bytes gnutls_sign_data(const PrivateKey& key, gnutls_sign_algorithm_t algo, ByteView data) {
    if (const RsaPkcs1Signer* rsa = key.rsa_pkcs1_signer()) {
        switch (algo) {
            case GNUTLS_SIGN_RSA_SHA1: return rsa->sign(HashAlgorithm::SHA1, data);
            case GNUTLS_SIGN_RSA_SHA256: return rsa->sign(HashAlgorithm::SHA2_256, data);
            case GNUTLS_SIGN_RSA_SHA384: return rsa->sign(HashAlgorithm::SHA2_384, data);
            case GNUTLS_SIGN_RSA_SHA512: return rsa->sign(HashAlgorithm::SHA2_512, data);
            default: break;  // RSA-PSS: GnuTLS
        }
    }
    gnutls_datum_t d = borrow(data);
    GnutlsDatum sig;
    gnutls_check(gnutls_privkey_sign_data2(key.native(), algo, 0, &d, sig.out()),
                 std::string("signing with ") + gnutls_sign_get_name(algo));
    return sig.bytes();
}

// ---- parsing a peer's AlgorithmIdentifier ------------------------------------------------

// Bounds-checked DER reader over untrusted bytes: definite lengths only, at most 4 length octets.
class DerReader {
public:
    explicit DerReader(ByteView data) : rest_(data) {}
    bool empty() const noexcept { return rest_.empty(); }
    std::optional<std::uint8_t> peek_tag() const {
        if (rest_.empty()) return std::nullopt;
        return rest_[0];
    }
    // The value of the next element if it has this tag.
    std::optional<ByteView> read(std::uint8_t tag) {
        if (rest_.size() < 2 || rest_[0] != tag) return std::nullopt;
        std::size_t len = rest_[1], pos = 2;
        if (len & 0x80) {
            const std::size_t n = len & 0x7f;
            if (n == 0 || n > 4 || rest_.size() < 2 + n) return std::nullopt;
            len = 0;
            for (std::size_t i = 0; i < n; ++i) len = (len << 8) | rest_[2 + i];
            pos += n;
        }
        if (len > rest_.size() - pos) return std::nullopt;
        ByteView value = rest_.subspan(pos, len);
        rest_ = rest_.subspan(pos + len);
        return value;
    }

private:
    ByteView rest_;
};

bool equal(ByteView a, const Bytes& b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }

std::optional<HashAlgorithm> hash_from_oid(ByteView oid) {
    if (equal(oid, kOidSha1)) return HashAlgorithm::SHA1;
    for (auto h : {HashAlgorithm::SHA2_256, HashAlgorithm::SHA2_384, HashAlgorithm::SHA2_512})
        if (equal(oid, hash_oid(h))) return h;
    return std::nullopt;
}

// hashAlgorithm AlgorithmIdentifier: OID with absent or NULL parameters (RFC 4055 2.1 allows both).
std::optional<HashAlgorithm> parse_hash_alg_id(ByteView seq_value) {
    DerReader r(seq_value);
    auto oid = r.read(kTagOid);
    if (!oid) return std::nullopt;
    if (!r.empty()) {
        auto null = r.read(kTagNull);
        if (!null || !null->empty() || !r.empty()) return std::nullopt;
    }
    return hash_from_oid(*oid);
}

struct ParsedAlgorithm {
    Family family;
    HashAlgorithm hash;
    bool pss = false;
};

// RSASSA-PSS-params (RFC 4055 3.1). We accept what we also send: MGF1 with the message hash,
// salt length = hash length, trailer field 1; the SHA-1 defaults are refused.
std::optional<ParsedAlgorithm> parse_pss_params(ByteView params, std::string& why) {
    DerReader r(params);
    std::optional<HashAlgorithm> hash, mgf_hash;
    std::size_t salt = 20;
    if (r.peek_tag() == 0xa0) {
        auto v = r.read(0xa0);
        DerReader inner(v ? *v : ByteView{});
        auto seq = inner.read(kTagSequence);
        if (!seq || !inner.empty() || !(hash = parse_hash_alg_id(*seq)))
            return why = "bad PSS hashAlgorithm", std::nullopt;
    }
    if (r.peek_tag() == 0xa1) {
        auto v = r.read(0xa1);
        DerReader inner(v ? *v : ByteView{});
        auto seq = inner.read(kTagSequence);
        if (!seq || !inner.empty()) return why = "bad PSS maskGenAlgorithm", std::nullopt;
        DerReader mgf(*seq);
        auto oid = mgf.read(kTagOid);
        auto mgf_params = mgf.read(kTagSequence);
        if (!oid || !equal(*oid, with_suffix(kOidPkcs1Prefix, kPkcs1Mgf1)) || !mgf_params || !mgf.empty() ||
            !(mgf_hash = parse_hash_alg_id(*mgf_params)))
            return why = "bad PSS maskGenAlgorithm", std::nullopt;
    }
    if (r.peek_tag() == 0xa2) {
        auto v = r.read(0xa2);
        DerReader inner(v ? *v : ByteView{});
        auto integer = inner.read(kTagInteger);
        if (!integer || !inner.empty() || integer->empty() || integer->size() > 2 || ((*integer)[0] & 0x80))
            return why = "bad PSS saltLength", std::nullopt;
        salt = 0;
        for (auto b : *integer) salt = (salt << 8) | b;
    }
    if (r.peek_tag() == 0xa3) {
        auto v = r.read(0xa3);
        DerReader inner(v ? *v : ByteView{});
        auto integer = inner.read(kTagInteger);
        if (!integer || !inner.empty() || integer->size() != 1 || (*integer)[0] != 1)
            return why = "bad PSS trailerField", std::nullopt;
    }
    if (!r.empty()) return why = "trailing data in PSS parameters", std::nullopt;
    if (!hash || !mgf_hash || *hash == HashAlgorithm::SHA1) return why = "PSS with SHA-1 is not accepted", std::nullopt;
    if (*mgf_hash != *hash) return why = "PSS MGF1 hash differs from the message hash", std::nullopt;
    if (salt != hash_size(*hash)) return why = "PSS salt length other than the hash length", std::nullopt;
    return ParsedAlgorithm{Family::RSA, *hash, true};
}

std::optional<ParsedAlgorithm> parse_algorithm_identifier(ByteView der, std::string& why) {
    DerReader outer(der);
    auto seq = outer.read(kTagSequence);
    if (!seq || !outer.empty()) return why = "AlgorithmIdentifier is not one DER SEQUENCE", std::nullopt;
    DerReader r(*seq);
    auto oid = r.read(kTagOid);
    if (!oid) return why = "AlgorithmIdentifier has no OID", std::nullopt;
    if (equal(*oid, kOidEd25519)) {
        if (!r.empty()) return why = "Ed25519 AlgorithmIdentifier with parameters", std::nullopt;
        return ParsedAlgorithm{Family::ED25519, HashAlgorithm::IDENTITY};
    }
    if (equal(*oid, kOidEcdsaWithSha1) ||
        (oid->size() == kOidEcdsaWithSha2Prefix.size() + 1 &&
         std::equal(kOidEcdsaWithSha2Prefix.begin(), kOidEcdsaWithSha2Prefix.end(), oid->begin()))) {
        if (!r.empty()) return why = "ECDSA AlgorithmIdentifier with parameters", std::nullopt;
        if (equal(*oid, kOidEcdsaWithSha1)) return ParsedAlgorithm{Family::ECDSA, HashAlgorithm::SHA1};
        switch (oid->back()) {
            case 2: return ParsedAlgorithm{Family::ECDSA, HashAlgorithm::SHA2_256};
            case 3: return ParsedAlgorithm{Family::ECDSA, HashAlgorithm::SHA2_384};
            case 4: return ParsedAlgorithm{Family::ECDSA, HashAlgorithm::SHA2_512};
            default: return why = "unsupported ECDSA hash", std::nullopt;
        }
    }
    if (oid->size() == kOidPkcs1Prefix.size() + 1 &&
        std::equal(kOidPkcs1Prefix.begin(), kOidPkcs1Prefix.end(), oid->begin())) {
        const std::uint8_t arc = oid->back();
        if (arc == kPkcs1RsaSsaPss) {
            auto params = r.read(kTagSequence);
            if (!params || !r.empty()) return why = "RSASSA-PSS without parameters", std::nullopt;
            return parse_pss_params(*params, why);
        }
        if (!r.empty()) {  // PKCS#1 v1.5 parameters: NULL (or absent, leniently)
            auto null = r.read(kTagNull);
            if (!null || !null->empty() || !r.empty())
                return why = "bad RSA AlgorithmIdentifier parameters", std::nullopt;
        }
        for (auto h : {HashAlgorithm::SHA1, HashAlgorithm::SHA2_256, HashAlgorithm::SHA2_384, HashAlgorithm::SHA2_512})
            if (arc == pkcs1_arc(h)) return ParsedAlgorithm{Family::RSA, h};
        return why = "unsupported RSA signature algorithm", std::nullopt;
    }
    return why = "unknown signature algorithm OID " + to_hex(*oid), std::nullopt;
}

bool gnutls_verify(const Certificate& signer, gnutls_sign_algorithm_t algo, ByteView data, ByteView sig,
                   bool allow_sha1, std::string& why) {
    gnutls_pubkey_t pub = nullptr;
    if (gnutls_pubkey_init(&pub) < 0) return why = "out of memory", false;
    std::unique_ptr<gnutls_pubkey_st, void (*)(gnutls_pubkey_t)> guard(pub, gnutls_pubkey_deinit);
    int rc = gnutls_pubkey_import_x509(pub, signer.native(), 0);
    if (rc < 0) return why = std::string("certificate key: ") + gnutls_strerror(rc), false;
    gnutls_datum_t d = borrow(data), s = borrow(sig);
    // SHA-1 only where the caller's policy allows it (old clients' method 1).
    rc = gnutls_pubkey_verify_data2(pub, algo, allow_sha1 ? GNUTLS_VERIFY_ALLOW_SIGN_WITH_SHA1 : 0, &d, &s);
    if (rc < 0) return why = std::string(gnutls_sign_get_name(algo)) + ": " + gnutls_strerror(rc), false;
    return true;
}

}  // namespace

std::string describe(const AuthSignatureScheme& s) {
    std::string out = iana::name(s.method);
    if (s.method == AuthMethod::DIGITAL_SIGNATURE) {
        out += s.rsa_pss ? " RSA-PSS " : " ";
        out += iana::name(s.hash);
    }
    return out;
}

std::vector<HashAlgorithm> supported_signature_hashes() {
    return {HashAlgorithm::SHA2_256, HashAlgorithm::SHA2_384, HashAlgorithm::SHA2_512, HashAlgorithm::IDENTITY};
}

AuthSignatureScheme choose_auth_scheme(const PrivateKey& key, const std::vector<HashAlgorithm>& peer_hashes,
                                       bool prefer_rsa_pss) {
    const auto peer_has = [&](HashAlgorithm h) {
        return std::find(peer_hashes.begin(), peer_hashes.end(), h) != peer_hashes.end();
    };
    switch (family_of(key.type())) {
        case Family::ED25519:
            // No classic method exists; without the notify we still try RFC 8420's form.
            return {AuthMethod::DIGITAL_SIGNATURE, HashAlgorithm::IDENTITY};
        case Family::RSA:
            for (auto h : {HashAlgorithm::SHA2_256, HashAlgorithm::SHA2_384, HashAlgorithm::SHA2_512})
                if (peer_has(h)) return {AuthMethod::DIGITAL_SIGNATURE, h, prefer_rsa_pss};
            return {AuthMethod::RSA_SIG, HashAlgorithm::SHA1};
        case Family::ECDSA: {
            const Ecdsa e = ecdsa_params(key.type());
            if (peer_has(e.hash)) return {AuthMethod::DIGITAL_SIGNATURE, e.hash};
            for (auto h : {HashAlgorithm::SHA2_512, HashAlgorithm::SHA2_384, HashAlgorithm::SHA2_256})
                if (peer_has(h)) return {AuthMethod::DIGITAL_SIGNATURE, h};
            return {e.method, e.hash};
        }
    }
    throw CryptoError("unknown key type");
}

Bytes sign_auth(const PrivateKey& key, const AuthSignatureScheme& scheme, ByteView signed_octets) {
    const Family family = family_of(key.type());
    const auto mismatch = [&] {
        return CryptoError("AUTH scheme " + describe(scheme) + " does not fit a " + key_type_name(key.type()) + " key");
    };
    if (scheme.rsa_pss && (family != Family::RSA || scheme.method != AuthMethod::DIGITAL_SIGNATURE)) throw mismatch();
    switch (scheme.method) {
        case AuthMethod::RSA_SIG:
            if (family != Family::RSA) throw mismatch();
            return gnutls_sign_data(key, GNUTLS_SIGN_RSA_SHA1, signed_octets);
        case AuthMethod::ECDSA_SHA256_P256:
        case AuthMethod::ECDSA_SHA384_P384:
        case AuthMethod::ECDSA_SHA512_P521: {
            if (family != Family::ECDSA) throw mismatch();
            const Ecdsa e = ecdsa_params(key.type());
            if (e.method != scheme.method) throw mismatch();
            return der_to_raw_rs(gnutls_sign_data(key, gnutls_sign(family, e.hash, false), signed_octets),
                                 e.field_bytes);
        }
        case AuthMethod::DIGITAL_SIGNATURE: {
            if ((family == Family::ED25519) != (scheme.hash == HashAlgorithm::IDENTITY)) throw mismatch();
            const Bytes alg_id = algorithm_identifier(family, scheme.hash, scheme.rsa_pss);
            const Bytes sig = gnutls_sign_data(key, gnutls_sign(family, scheme.hash, scheme.rsa_pss), signed_octets);
            Bytes out{static_cast<std::uint8_t>(alg_id.size())};
            append(out, alg_id);
            append(out, sig);
            return out;
        }
        default: throw CryptoError("not a signature AUTH method: " + iana::name(scheme.method));
    }
}

bool verify_auth(const Certificate& signer, AuthMethod method, ByteView auth_data, ByteView signed_octets,
                 std::string* why_out, bool allow_sha1) {
    constexpr const char* kSha1Refused = " signs with SHA-1, which is not accepted (allow_sha1_signatures)";
    std::string why;
    const bool ok = [&]() -> bool {
        KeyType key_type;
        try {
            key_type = signer.key_type();
        } catch (const CryptoError& e) {
            return why = e.what(), false;
        }
        const Family family = family_of(key_type);
        switch (method) {
            case AuthMethod::RSA_SIG:
                if (family != Family::RSA)
                    return why = "RSA signature method but a " + key_type_name(key_type) + " certificate", false;
                if (!allow_sha1) return why = std::string("RSA_SIG (method 1)") + kSha1Refused, false;
                return gnutls_verify(signer, GNUTLS_SIGN_RSA_SHA1, signed_octets, auth_data, allow_sha1, why);
            case AuthMethod::ECDSA_SHA256_P256:
            case AuthMethod::ECDSA_SHA384_P384:
            case AuthMethod::ECDSA_SHA512_P521: {
                if (family != Family::ECDSA || ecdsa_params(key_type).method != method)
                    return why = iana::name(method) + " but a " + key_type_name(key_type) + " certificate", false;
                const Ecdsa e = ecdsa_params(key_type);
                if (auth_data.size() != 2 * e.field_bytes) return why = "ECDSA signature has the wrong length", false;
                Bytes der;
                try {
                    der = raw_rs_to_der(auth_data);
                } catch (const CryptoError& err) {
                    return why = err.what(), false;
                }
                return gnutls_verify(signer, gnutls_sign(family, e.hash, false), signed_octets, der, allow_sha1, why);
            }
            case AuthMethod::DIGITAL_SIGNATURE: {
                if (auth_data.empty()) return why = "empty AUTH data", false;
                const std::size_t alg_len = auth_data[0];
                if (alg_len == 0 || alg_len >= auth_data.size())
                    return why = "AlgorithmIdentifier length exceeds the AUTH data", false;
                const auto parsed = parse_algorithm_identifier(auth_data.subspan(1, alg_len), why);
                if (!parsed) return false;
                if (parsed->family != family)
                    return why = "signature algorithm does not fit the " + key_type_name(key_type) + " certificate",
                           false;
                if (parsed->hash == HashAlgorithm::SHA1 && !allow_sha1)
                    return why = std::string("DIGITAL_SIGNATURE") + kSha1Refused, false;
                return gnutls_verify(signer, gnutls_sign(parsed->family, parsed->hash, parsed->pss), signed_octets,
                                     auth_data.subspan(1 + alg_len), allow_sha1, why);
            }
            default: return why = "not a signature AUTH method: " + iana::name(method), false;
        }
    }();
    if (!ok && why_out) *why_out = why;
    return ok;
}

}  // namespace ikev2d::crypto
