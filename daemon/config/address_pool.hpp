// Hands out client addresses from one configured pool (CFG_REPLY INTERNAL_IP4_ADDRESS).
// Addresses are given round-robin, so a released address is reused as late as possible;
// an owner (user name, IKE SA id...) that asks again gets its previous address back if
// nobody took it in between, as the ASA does for a reconnecting client.
#pragma once

#include <cstddef>
#include <map>
#include <optional>
#include <set>
#include <string>

#include "config/pool_config.hpp"
#include "util/ip_address.hpp"

namespace ikev2d::config {

class AddressPool {
public:
    explicit AddressPool(const PoolConfig& pool);

    // A free address, or nullopt when the pool is exhausted.
    std::optional<IpAddress> acquire(const std::string& owner);
    // This very address (a RADIUS server's Framed-IP-Address): true when it is in the
    // pool and free, and then it is the owner's.
    bool acquire_exact(const IpAddress& address, const std::string& owner);
    // Returns the address to the pool; addresses not in use are ignored.
    void release(const IpAddress& address);
    bool in_use(const IpAddress& address) const;
    bool contains(const IpAddress& address) const;

    // Number of addresses in the pool (saturates at SIZE_MAX for huge IPv6 pools).
    std::size_t size() const;
    std::size_t used() const { return in_use_.size(); }
    const PoolConfig& config() const { return pool_; }

private:
    using Offset = unsigned __int128;  // address - first; IPv6 pools may be larger than 2^64
    IpAddress at(Offset offset) const;
    Offset offset_of(const IpAddress& address) const;
    void remember(const std::string& owner, const IpAddress& address);

    PoolConfig pool_;
    Offset count_ = 0;   // number of addresses
    Offset cursor_ = 0;  // where the round-robin search continues
    std::set<IpAddress> in_use_;
    // Last address per owner, and the reverse, so that the memory stays bounded by the
    // number of addresses: when an address goes to someone else, the old owner forgets it.
    std::map<std::string, IpAddress> last_of_owner_;
    std::map<IpAddress, std::string> owner_of_last_;
};

}  // namespace ikev2d::config
