// `ikectl monitor`: one line per SessionUp/SessionDown signal (see ikectl(8)).
#pragma once

#include <cstdint>
#include <string>

#include "control/status.hpp"

namespace ikev2d::ikectl {

// "2013-04-22T22:06:24Z up user=Anu address=10.2.2.1 peer=192.168.1.1:25171 index=2"
// and for SessionDown (reason != nullptr) the same with "down" and reason="...".
std::string format_event(uint64_t time, const control::SessionStatus& session, const std::string* reason);

}  // namespace ikev2d::ikectl
