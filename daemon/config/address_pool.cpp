#include "config/address_pool.hpp"

#include <limits>
#include <stdexcept>

#include "config/address_math.hpp"

namespace ikev2d::config {

AddressPool::AddressPool(const PoolConfig& pool) : pool_(pool) {
    if (pool.first.family != pool.last.family || pool.last < pool.first)
        throw std::invalid_argument("address pool '" + pool.name + "': bad range " + pool.first.to_string() + "-" +
                                    pool.last.to_string());
    // For a full IPv6 /0 this wraps to 0; such a pool is not a sensible configuration,
    // so treat it as "2^128 - 1 addresses" instead.
    count_ = detail::to_integer(pool.last) - detail::to_integer(pool.first) + 1;
    if (count_ == 0) count_ = std::numeric_limits<Offset>::max();
}

IpAddress AddressPool::at(Offset offset) const {
    return detail::from_integer(pool_.first.family, detail::to_integer(pool_.first) + offset);
}

AddressPool::Offset AddressPool::offset_of(const IpAddress& address) const {
    return detail::to_integer(address) - detail::to_integer(pool_.first);
}

bool AddressPool::contains(const IpAddress& address) const {
    return address.family == pool_.first.family && !(address < pool_.first) && !(pool_.last < address);
}

bool AddressPool::in_use(const IpAddress& address) const { return in_use_.count(address) != 0; }

std::size_t AddressPool::size() const {
    if (count_ > std::numeric_limits<std::size_t>::max()) return std::numeric_limits<std::size_t>::max();
    return static_cast<std::size_t>(count_);
}

void AddressPool::remember(const std::string& owner, const IpAddress& address) {
    if (auto it = owner_of_last_.find(address); it != owner_of_last_.end()) {
        last_of_owner_.erase(it->second);
        owner_of_last_.erase(it);
    }
    if (auto it = last_of_owner_.find(owner); it != last_of_owner_.end()) {
        owner_of_last_.erase(it->second);
        last_of_owner_.erase(it);
    }
    last_of_owner_.emplace(owner, address);
    owner_of_last_.emplace(address, owner);
}

bool AddressPool::acquire_exact(const IpAddress& address, const std::string& owner) {
    if (!contains(address) || in_use(address)) return false;
    in_use_.insert(address);
    remember(owner, address);
    return true;
}

std::optional<IpAddress> AddressPool::acquire(const std::string& owner) {
    if (static_cast<Offset>(in_use_.size()) >= count_) return std::nullopt;

    if (auto it = last_of_owner_.find(owner); it != last_of_owner_.end() && !in_use(it->second)) {
        IpAddress previous = it->second;
        in_use_.insert(previous);
        return previous;
    }
    // Round-robin from the cursor. Free addresses that another owner may come back for
    // are passed over on the first lap and taken only on the second. Each lap visits at
    // most used() + remembered + 1 addresses before it finds one, so it stays cheap even
    // for huge IPv6 pools.
    for (int lap = 0; lap < 2; ++lap) {
        Offset offset = cursor_;
        for (Offset visited = 0; visited < count_; ++visited, offset = (offset + 1 == count_) ? 0 : offset + 1) {
            IpAddress candidate = at(offset);
            if (in_use(candidate)) continue;
            if (lap == 0) {
                auto remembered = owner_of_last_.find(candidate);
                if (remembered != owner_of_last_.end() && remembered->second != owner) continue;
            }
            in_use_.insert(candidate);
            remember(owner, candidate);
            cursor_ = (offset + 1 == count_) ? 0 : offset + 1;
            return candidate;
        }
    }
    return std::nullopt;  // not reached: in_use_ < count_ guarantees a free address
}

void AddressPool::release(const IpAddress& address) { in_use_.erase(address); }

}  // namespace ikev2d::config
