// How many requests of one kind an IKE SA may send: a token bucket that allows
// `per_minute` requests a minute on average and a burst of as many.
#pragma once

#include <algorithm>
#include <cstdint>

namespace ikev2d::ike {

class RequestRate {
public:
    // True, and one request counted, when another request is allowed at now_ms.
    bool allow(std::uint64_t now_ms, std::uint32_t per_minute) noexcept {
        // Tokens in units of 1/60000 request, so that per_minute * elapsed_ms refills
        // exactly, without rounding a slow trickle away.
        const std::uint64_t capacity = std::uint64_t{per_minute} * kMinuteMs;
        if (!started_) {
            started_ = true;
            tokens_ = capacity;
        } else if (now_ms > last_ms_) {
            const std::uint64_t elapsed = std::min<std::uint64_t>(now_ms - last_ms_, kMinuteMs);
            tokens_ = std::min(capacity, tokens_ + elapsed * per_minute);
        }
        last_ms_ = std::max(last_ms_, now_ms);
        tokens_ = std::min(tokens_, capacity);  // a lowered limit (reload) applies at once
        if (tokens_ < kMinuteMs) return false;
        tokens_ -= kMinuteMs;
        return true;
    }

private:
    static constexpr std::uint64_t kMinuteMs = 60000;
    bool started_ = false;
    std::uint64_t tokens_ = 0;
    std::uint64_t last_ms_ = 0;
};

}  // namespace ikev2d::ike
