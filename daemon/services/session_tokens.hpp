// The AnyConnect session tokens of live sessions (issued in the aggregate-auth "complete"
// message, dropped when the session ends) and the group each belongs to. Shared between
// the event loop (sessions up/down) and the client-services thread (lookups).
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "util/bytes.hpp"

namespace ikev2d::services {

class SessionTokens {
public:
    void add(ByteView token, std::string group);
    void remove(ByteView token);
    // The group of a live token. Entries are found by the token's SHA-256 and then compared
    // in constant time, so that the time taken says nothing about how much of a guess matched.
    std::optional<std::string> group_of(ByteView token) const;
    std::size_t size() const;

private:
    struct Entry {
        SecureBytes token;
        std::string group;
    };
    mutable std::mutex mutex_;
    std::map<Bytes, Entry> by_digest_;
};

}  // namespace ikev2d::services
