#include "config/config.hpp"

#include <algorithm>

namespace ikev2d::config {
namespace {

template <class T>
const T* find_named(const std::vector<T>& list, std::string_view name) {
    auto it = std::find_if(list.begin(), list.end(), [name](const T& e) { return e.name == name; });
    return it == list.end() ? nullptr : &*it;
}

}  // namespace

const GroupConfig* Config::group(std::string_view name) const { return find_named(groups, name); }
const UserConfig* Config::user(std::string_view name) const { return find_named(users, name); }
const IpsecProposal* Config::proposal(std::string_view name) const { return find_named(ipsec_proposals, name); }
const PoolConfig* Config::pool(std::string_view name) const { return find_named(pools, name); }

std::string ConfigError::to_string() const {
    if (line <= 0) return file + ": " + reason;
    return file + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + reason;
}

}  // namespace ikev2d::config
