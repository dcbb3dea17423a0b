#include "services/session_tokens.hpp"

#include <gnutls/crypto.h>

#include <stdexcept>

namespace ikev2d::services {
namespace {

Bytes digest_of(ByteView token) {
    Bytes out(32);
    if (gnutls_hash_fast(GNUTLS_DIG_SHA256, token.data(), token.size(), out.data()) != 0)
        throw std::runtime_error("SHA-256 of a session token failed");
    return out;
}

}  // namespace

void SessionTokens::add(ByteView token, std::string group) {
    if (token.empty()) return;
    Bytes key = digest_of(token);
    std::lock_guard lock(mutex_);
    by_digest_.insert_or_assign(std::move(key), Entry{SecureBytes(token), std::move(group)});
}

void SessionTokens::remove(ByteView token) {
    if (token.empty()) return;
    const Bytes key = digest_of(token);
    std::lock_guard lock(mutex_);
    by_digest_.erase(key);
}

std::optional<std::string> SessionTokens::group_of(ByteView token) const {
    if (token.empty()) return std::nullopt;
    const Bytes key = digest_of(token);
    std::lock_guard lock(mutex_);
    auto it = by_digest_.find(key);
    if (it == by_digest_.end() || !ct_equal(it->second.token.view(), token)) return std::nullopt;
    return it->second.group;
}

std::size_t SessionTokens::size() const {
    std::lock_guard lock(mutex_);
    return by_digest_.size();
}

}  // namespace ikev2d::services
