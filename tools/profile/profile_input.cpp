#include "profile/profile_input.hpp"

#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include <nettle/sha1.h>

#include <algorithm>
#include <fstream>
#include <memory>
#include <sstream>

#include "profile/proposal_mapping.hpp"

namespace ikev2d::profile {
namespace {

// The certificates of one PEM (or DER) file, owned.
class CertificateList {
public:
    explicit CertificateList(const std::string& path) : path_(path) {
        std::ifstream in(path, std::ios::binary);
        if (!in) throw ProfileError("cannot read certificate file " + path);
        std::ostringstream buf;
        buf << in.rdbuf();
        const std::string bytes = buf.str();
        gnutls_datum_t data{reinterpret_cast<unsigned char*>(const_cast<char*>(bytes.data())),
                            static_cast<unsigned>(bytes.size())};
        gnutls_x509_crt_t* list = nullptr;
        unsigned count = 0;
        int rc = gnutls_x509_crt_list_import2(&list, &count, &data, GNUTLS_X509_FMT_PEM, 0);
        if (rc < 0) rc = gnutls_x509_crt_list_import2(&list, &count, &data, GNUTLS_X509_FMT_DER, 0);
        if (rc < 0 || count == 0) throw ProfileError(path + ": no X.509 certificate in it (" + gnutls_strerror(rc) + ")");
        certs_.assign(list, list + count);
        gnutls_free(list);
    }
    ~CertificateList() {
        for (auto c : certs_) gnutls_x509_crt_deinit(c);
    }
    CertificateList(const CertificateList&) = delete;
    CertificateList& operator=(const CertificateList&) = delete;

    const std::vector<gnutls_x509_crt_t>& certs() const { return certs_; }
    const std::string& path() const { return path_; }

private:
    std::string path_;
    std::vector<gnutls_x509_crt_t> certs_;
};

std::string export_cert(gnutls_x509_crt_t crt, gnutls_x509_crt_fmt_t format) {
    gnutls_datum_t out{};
    if (gnutls_x509_crt_export2(crt, format, &out) < 0) throw ProfileError("cannot encode a certificate");
    std::string s(reinterpret_cast<char*>(out.data), out.size);
    gnutls_free(out.data);
    return s;
}

std::string common_name(gnutls_x509_crt_t crt) {
    char buf[512];
    size_t size = sizeof buf;
    if (gnutls_x509_crt_get_dn_by_oid(crt, GNUTLS_OID_X520_COMMON_NAME, 0, 0, buf, &size) < 0) return {};
    return std::string(buf, size);
}

bool self_signed(gnutls_x509_crt_t crt) { return gnutls_x509_crt_check_issuer(crt, crt) != 0; }

TrustAnchor anchor_of(gnutls_x509_crt_t crt, const std::string& origin, bool is_gateway) {
    TrustAnchor a;
    a.pem = export_cert(crt, GNUTLS_X509_FMT_PEM);
    const std::string der = export_cert(crt, GNUTLS_X509_FMT_DER);
    a.der.assign(der.begin(), der.end());
    a.common_name = common_name(crt);
    a.is_gateway_certificate = is_gateway;
    a.origin = origin;
    return a;
}

}  // namespace

TrustAnchor find_trust_anchor(const config::Config& config, const std::optional<std::string>& ca_file) {
    if (ca_file) {
        CertificateList ca(*ca_file);
        return anchor_of(ca.certs().front(), *ca_file, false);
    }
    const auto& tp = config.trustpoint;
    if (tp.certificate.empty()) throw ProfileError("the configuration names no gateway certificate: pass --ca FILE");
    std::unique_ptr<CertificateList> chain;
    try {
        chain = std::make_unique<CertificateList>(tp.certificate);
    } catch (const ProfileError& e) {
        throw ProfileError(std::string(e.what()) +
                           (tp.self_signed ? " (the gateway makes its self-signed certificate on first start: start it "
                                             "once, or pass --ca FILE)"
                                           : " (pass --ca FILE)"));
    }
    const auto& certs = chain->certs();
    if (self_signed(certs.front())) return anchor_of(certs.front(), tp.certificate, true);
    // The top of the chain in the file, if the file holds one, else the leaf.
    gnutls_x509_crt_t top = certs.front();
    for (std::size_t i = 1; i < certs.size(); ++i)
        if (gnutls_x509_crt_check_issuer(top, certs[i])) top = certs[i];
    if (top != certs.front() && self_signed(top)) return anchor_of(top, tp.certificate, false);
    for (const auto& path : tp.ca_certificates) {
        CertificateList cas(path);
        for (auto ca : cas.certs())
            if (gnutls_x509_crt_check_issuer(top, ca)) return anchor_of(ca, path, false);
    }
    if (top != certs.front()) return anchor_of(top, tp.certificate, false);  // an intermediate: better than nothing
    throw ProfileError("the issuer of the gateway certificate " + tp.certificate +
                       " is neither in that file nor in trustpoint.ca_certificates: pass it with --ca FILE");
}

std::string base64(const std::vector<std::uint8_t>& data) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    out.reserve((data.size() + 2) / 3 * 4);
    for (std::size_t i = 0; i < data.size(); i += 3) {
        const std::uint32_t n = (std::uint32_t{data[i]} << 16) | (i + 1 < data.size() ? std::uint32_t{data[i + 1]} << 8 : 0) |
                                (i + 2 < data.size() ? data[i + 2] : 0);
        out += kAlphabet[(n >> 18) & 63];
        out += kAlphabet[(n >> 12) & 63];
        out += i + 1 < data.size() ? kAlphabet[(n >> 6) & 63] : '=';
        out += i + 2 < data.size() ? kAlphabet[n & 63] : '=';
    }
    return out;
}

std::string xml_escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default: out += c;
        }
    }
    return out;
}

std::string uuid_for(const std::string& text) {
    // RFC 4122 4.3 with an ikev2d namespace (itself a v5 UUID of "ikev2d" in the URL namespace).
    static constexpr std::uint8_t kNamespace[16] = {0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1,
                                                    0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8};
    sha1_ctx ctx;
    sha1_init(&ctx);
    sha1_update(&ctx, sizeof kNamespace, kNamespace);
    const std::string name = "ikev2d:" + text;
    sha1_update(&ctx, name.size(), reinterpret_cast<const std::uint8_t*>(name.data()));
    std::uint8_t digest[SHA1_DIGEST_SIZE];
    sha1_digest(&ctx, sizeof digest, digest);
    digest[6] = static_cast<std::uint8_t>((digest[6] & 0x0f) | 0x50);
    digest[8] = static_cast<std::uint8_t>((digest[8] & 0x3f) | 0x80);
    static constexpr char kHex[] = "0123456789ABCDEF";
    std::string out;
    for (int i = 0; i < 16; ++i) {
        if (i == 4 || i == 6 || i == 8 || i == 10) out += '-';
        out += kHex[digest[i] >> 4];
        out += kHex[digest[i] & 15];
    }
    return out;
}

TunnelScope tunnel_scope(const ProfileInput& in) {
    const auto& group = *in.group;
    TunnelScope scope;
    const config::PoolConfig* pool = in.config->pool(group.pool);
    scope.ipv4 = !pool || pool->first.is_v4();
    scope.ipv6 = !group.ipv6_pool.empty() || (pool && !pool->first.is_v4());
    auto ours = [&](const std::vector<IpPrefix>& list) {
        std::vector<IpPrefix> out;
        for (const auto& p : list)
            if (p.addr.is_v4() ? scope.ipv4 : scope.ipv6) out.push_back(p);
        return out;
    };
    scope.networks = ours(group.split_include);
    scope.split = !scope.networks.empty();
    if (!scope.split) scope.networks = ours(group.local_networks);
    return scope;
}

std::vector<iana::EapType> eap_methods_among(const config::GroupConfig& group, std::vector<iana::EapType> supported) {
    std::vector<iana::EapType> out;
    for (auto m : group.eap_methods)
        if (std::find(supported.begin(), supported.end(), m) != supported.end()) out.push_back(m);
    return out;
}

}  // namespace ikev2d::profile
