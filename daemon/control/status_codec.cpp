#include "control/status_codec.hpp"

#include "control/peer_text.hpp"
#include "control/status_fields.hpp"

namespace ikev2d::control {

namespace {

// Every string field goes through dbus_safe_text(): most of them (identities, user
// names, client versions) come from peers, and one invalid byte would fail the reply.
template <class S>
Dict encode(const S& s, std::span<const FieldDesc<S>> fields) {
    Dict d;
    for (const auto& f : fields)
        std::visit(
            [&](auto member) {
                using T = std::remove_reference_t<decltype(s.*member)>;
                if constexpr (std::is_same_v<T, const std::string>)
                    d.emplace(std::string(f.key), sdbus::Variant(dbus_safe_text(s.*member)));
                else
                    d.emplace(std::string(f.key), sdbus::Variant(s.*member));
            },
            f.member);
    return d;
}

template <class S>
S decode(const Dict& d, std::span<const FieldDesc<S>> fields) {
    S s;
    for (const auto& f : fields) {
        auto it = d.find(std::string(f.key));
        if (it == d.end())
            continue;
        std::visit(
            [&](auto member) {
                using T = std::remove_reference_t<decltype(s.*member)>;
                // Wrong type: keep the default rather than fail the whole record.
                if (it->second.template containsValueOfType<T>())
                    s.*member = it->second.template get<T>();
            },
            f.member);
    }
    return s;
}

}  // namespace

Dict to_dict(const ChildSaStatus& s) { return encode(s, child_sa_fields()); }

Dict to_dict(const IkeSaStatus& s) {
    Dict d = encode(s, ike_sa_fields());
    std::vector<Dict> children;
    children.reserve(s.children.size());
    for (const auto& c : s.children)
        children.push_back(to_dict(c));
    d.emplace(std::string(kChildrenKey), sdbus::Variant(children));
    return d;
}

Dict to_dict(const SessionStatus& s) { return encode(s, session_fields()); }
Dict to_dict(const GlobalStats& s) { return encode(s, stats_fields()); }
Dict to_dict(const PoolStatus& s) { return encode(s, pool_fields()); }

ChildSaStatus child_sa_from_dict(const Dict& d) { return decode(d, child_sa_fields()); }

IkeSaStatus ike_sa_from_dict(const Dict& d) {
    IkeSaStatus s = decode(d, ike_sa_fields());
    auto it = d.find(std::string(kChildrenKey));
    if (it != d.end() && it->second.containsValueOfType<std::vector<Dict>>()) {
        for (const auto& c : it->second.get<std::vector<Dict>>())
            s.children.push_back(child_sa_from_dict(c));
    }
    return s;
}

SessionStatus session_from_dict(const Dict& d) { return decode(d, session_fields()); }
GlobalStats stats_from_dict(const Dict& d) { return decode(d, stats_fields()); }
PoolStatus pool_from_dict(const Dict& d) { return decode(d, pool_fields()); }

}  // namespace ikev2d::control
