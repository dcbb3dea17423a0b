#include "crypto/cert_policy.hpp"

#include <algorithm>

namespace ikev2d::crypto {

std::optional<std::string> client_certificate_problem(const Certificate& cert, std::time_t now) {
    if (now < cert.not_before()) return "not valid yet (notBefore " + std::to_string(cert.not_before()) + ")";
    if (now > cert.not_after()) return "expired (notAfter " + std::to_string(cert.not_after()) + ")";
    const auto usages = cert.extended_key_usages();
    if (usages.empty()) return std::nullopt;
    for (const char* fits : {kEkuClientAuth, kEkuIpsecIke, kEkuAny})
        if (std::find(usages.begin(), usages.end(), fits) != usages.end()) return std::nullopt;
    std::string listed;
    for (const auto& oid : usages) listed += (listed.empty() ? "" : ", ") + oid;
    return "extendedKeyUsage (" + listed + ") allows neither clientAuth nor ipsecIKE";
}

}  // namespace ikev2d::crypto
