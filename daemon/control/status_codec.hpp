// Status structs <-> D-Bus a{sv} dictionaries (the wire form of org.ikev2d.Manager1).
// Decoding is lenient the way the XML promises: unknown keys are ignored, a missing
// key or a value of the wrong D-Bus type leaves the field at its default.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <sdbus-c++/Types.h>

#include "control/status.hpp"

namespace ikev2d::control {

using Dict = std::map<std::string, sdbus::Variant>;

Dict to_dict(const ChildSaStatus& s);
Dict to_dict(const IkeSaStatus& s);  // includes "children" as aa{sv}
Dict to_dict(const SessionStatus& s);
Dict to_dict(const GlobalStats& s);
Dict to_dict(const PoolStatus& s);

ChildSaStatus child_sa_from_dict(const Dict& d);
IkeSaStatus ike_sa_from_dict(const Dict& d);
SessionStatus session_from_dict(const Dict& d);
GlobalStats stats_from_dict(const Dict& d);
PoolStatus pool_from_dict(const Dict& d);

}  // namespace ikev2d::control
