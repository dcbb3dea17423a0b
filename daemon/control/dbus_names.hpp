// The names under which ikev2d appears on D-Bus (see dbus/org.ikev2d.Manager1.xml).
#pragma once

namespace ikev2d::control {

inline constexpr const char* kBusName = "org.ikev2d";
inline constexpr const char* kObjectPath = "/org/ikev2d";
inline constexpr const char* kInterfaceName = "org.ikev2d.Manager1";

}  // namespace ikev2d::control
