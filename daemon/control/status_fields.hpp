// One table per status struct naming each field and pointing at its member. The
// D-Bus codec and ikectl's JSON output both walk these tables, so a field added to
// status.hpp needs exactly one new line here to appear on the bus and in JSON.
#pragma once

#include <span>
#include <string_view>
#include <variant>

#include "control/status.hpp"

namespace ikev2d::control {

template <class S>
using FieldMember = std::variant<std::string S::*, bool S::*, uint8_t S::*, uint16_t S::*,
                                 uint32_t S::*, uint64_t S::*>;

template <class S>
struct FieldDesc {
    std::string_view key;  // D-Bus dictionary key and JSON member name
    FieldMember<S> member;
};

// IkeSaStatus::children is not in the table (it is a nested list, handled by callers).
std::span<const FieldDesc<ChildSaStatus>> child_sa_fields();
std::span<const FieldDesc<IkeSaStatus>> ike_sa_fields();
std::span<const FieldDesc<SessionStatus>> session_fields();
std::span<const FieldDesc<GlobalStats>> stats_fields();
std::span<const FieldDesc<PoolStatus>> pool_fields();

inline constexpr std::string_view kChildrenKey = "children";

}  // namespace ikev2d::control
