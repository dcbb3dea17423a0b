// Admission of new IKE SAs while others are half-open (IKE_SA_INIT answered, IKE_AUTH
// not finished): RFC 7296 2.6 cookies and the per-source limits of RFC 8019. It keeps
// the half-open SAs by source, oldest first, and decides what a new IKE_SA_INIT gets.
//
// No limit is a kill switch: a request that returns a valid cookie (so its source
// address is real) always gets in. When its source holds its share already, its own
// oldest half-open SA makes room (so spoofed requests in a victim's name cannot lock the
// victim out, and a real source never holds more than its share) — unless even that one
// is still being computed: then the source asks faster than the workers answer it and
// the new request waits for its retransmission (the gateway decides this, as only it
// knows which SAs are being computed; the queue holds no more than a source's share of
// key exchanges, so other clients are not stuck behind a flood); when the whole table
// is full, the oldest half-open SA of the source holding the most does. A flood from a
// few real addresses therefore displaces only itself, and a spoofed flood only ever
// gets stateless COOKIE answers.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <utility>

#include "util/ip_address.hpp"

namespace ikev2d::ike {

struct HalfOpenLimits {
    std::uint32_t cookie_threshold = 0;  // half-open SAs before a COOKIE is demanded
    std::uint32_t total = 0;             // half-open SAs in all
    std::uint32_t per_source = 0;        // half-open SAs of one source (IPv6: one /64)
};

class HalfOpenAdmission {
public:
    enum class Decision {
        Admit,                     // no cookie needed
        RequireCookie,             // answer a COOKIE unless the request returns a valid one
        RequireCookieAndMakeRoom,  // full: only a valid cookie gets in, after eviction_candidate() is closed
        RequireCookieAndReplaceOwn,  // the source holds its share: a valid cookie gets in, after oldest_of(source) is closed
    };

    Decision decide(const IpAddress& source, const HalfOpenLimits& limits) const;
    void add(const IpAddress& source, std::uint64_t created_ms, std::uint64_t spi_r);
    void remove(const IpAddress& source, std::uint64_t created_ms, std::uint64_t spi_r);
    // The responder SPI of the oldest half-open SA of the source that holds the most.
    std::optional<std::uint64_t> eviction_candidate() const;
    // The responder SPI of the oldest half-open SA of this source.
    std::optional<std::uint64_t> oldest_of(const IpAddress& source) const;

    std::size_t total() const noexcept { return total_; }
    std::size_t from(const IpAddress& source) const;

private:
    // IPv4 addresses count one by one; an IPv6 host usually has a whole /64 to itself.
    static IpAddress source_key(const IpAddress& address);

    std::map<IpAddress, std::set<std::pair<std::uint64_t, std::uint64_t>>> by_source_;  // (created_ms, spi_r)
    std::size_t total_ = 0;
};

}  // namespace ikev2d::ike
