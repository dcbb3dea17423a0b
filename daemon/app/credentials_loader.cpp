#include "app/credentials_loader.hpp"

#include <filesystem>
#include <stdexcept>

#include "crypto/self_signed.hpp"
#include "util/log.hpp"

namespace ikev2d::app {
namespace {

crypto::KeyType key_type_of(const std::string& name) {
    if (name == "ecdsa-p384") return crypto::KeyType::ECDSA_P384;
    if (name == "ecdsa-p521") return crypto::KeyType::ECDSA_P521;
    if (name.rfind("rsa", 0) == 0) return crypto::KeyType::RSA;
    if (name == "ed25519") return crypto::KeyType::ED25519;
    return crypto::KeyType::ECDSA_P256;
}

}  // namespace

std::shared_ptr<const ike::Credentials> load_credentials(const config::Config& config, SelfSigned self_signed) {
    auto creds = std::make_shared<ike::Credentials>();
    const config::Trustpoint& tp = config.trustpoint;
    try {
        if (tp.self_signed && self_signed == SelfSigned::ReadOnly) {
            // Only what is already there; load_or_create_self_signed() may (re)write files.
            if (std::filesystem::exists(tp.certificate) && std::filesystem::exists(tp.private_key)) {
                creds->chain = crypto::Certificate::load_file(tp.certificate);
                creds->key = crypto::PrivateKey::load_file(tp.private_key);
            }
        } else if (tp.self_signed) {
            std::string identity = tp.identity.empty() ? "ikev2d" : tp.identity;
            auto made = crypto::load_or_create_self_signed(tp.certificate, tp.private_key, identity, key_type_of(tp.key_type));
            creds->chain.push_back(std::move(made.cert));
            creds->key = std::move(made.key);
        } else if (!tp.certificate.empty()) {
            creds->chain = crypto::Certificate::load_file(tp.certificate);
            if (creds->chain.empty()) throw std::runtime_error(tp.certificate + ": no certificate in the file");
            creds->key = crypto::PrivateKey::load_file(tp.private_key);
        }
        for (const auto& ca : tp.ca_certificates) creds->trusted.add_trusted_file(ca);
        for (const auto& crl : tp.crls) creds->trusted.add_crl_file(crl);
    } catch (const std::exception& e) {
        throw std::runtime_error(std::string("trustpoint: ") + e.what());
    }
    if (!creds->chain.empty())
        LOG_EXCH(Platform, "gateway certificate: %s", creds->chain.front().subject_dn().c_str());
    return creds;
}

}  // namespace ikev2d::app
