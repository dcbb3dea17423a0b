// A number of bytes shared by many holders (the partial RFC 7383 messages of all IKE
// SAs), so that no peer, and no crowd of peers, can make the gateway hold more than
// a fixed amount. Each holder's share returns its bytes when it is destroyed.
#pragma once

#include <cstddef>
#include <utility>

namespace ikev2d::ike {

class ByteBudget {
public:
    std::size_t used() const noexcept { return used_; }

private:
    friend class ByteBudgetShare;
    std::size_t used_ = 0;
};

class ByteBudgetShare {
public:
    ByteBudgetShare() = default;
    explicit ByteBudgetShare(ByteBudget* budget) : budget_(budget) {}
    ~ByteBudgetShare() { release(); }
    ByteBudgetShare(ByteBudgetShare&& other) noexcept
        : budget_(std::exchange(other.budget_, nullptr)), bytes_(std::exchange(other.bytes_, 0)) {}
    ByteBudgetShare& operator=(ByteBudgetShare&& other) noexcept {
        if (this != &other) {
            release();
            budget_ = std::exchange(other.budget_, nullptr);
            bytes_ = std::exchange(other.bytes_, 0);
        }
        return *this;
    }
    ByteBudgetShare(const ByteBudgetShare&) = delete;
    ByteBudgetShare& operator=(const ByteBudgetShare&) = delete;

    // Takes n more bytes when this share stays within own_limit and the shared budget
    // (if any) within total_limit; otherwise takes nothing and returns false.
    bool take(std::size_t n, std::size_t own_limit, std::size_t total_limit) noexcept {
        if (n > own_limit || bytes_ > own_limit - n) return false;
        if (budget_) {
            if (n > total_limit || budget_->used_ > total_limit - n) return false;
            budget_->used_ += n;
        }
        bytes_ += n;
        return true;
    }
    std::size_t bytes() const noexcept { return bytes_; }

private:
    void release() noexcept {
        if (budget_) budget_->used_ -= bytes_;
        bytes_ = 0;
    }

    ByteBudget* budget_ = nullptr;
    std::size_t bytes_ = 0;
};

}  // namespace ikev2d::ike
