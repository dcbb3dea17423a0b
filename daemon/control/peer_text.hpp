// Text that came from a peer (IKE identities, APPLICATION_VERSION, EAP and AnyConnect
// user names) made fit for a D-Bus string, which must be valid UTF-8 without NUL: sdbus
// refuses anything else, and one bad record would fail a whole GetSessions reply.
#pragma once

#include <string>
#include <string_view>

namespace ikev2d::control {

// Valid UTF-8 passes unchanged, except control characters (C0, DEL, C1) and Unicode
// non-characters. Those, and every byte that is not part of a valid UTF-8 sequence
// (overlong forms, surrogates, code points above U+10FFFF, truncated sequences), become
// "\xNN" per byte, upper-case hex. A backslash is kept as it is ("CORP\dave" stays
// readable), so a peer could spell a literal "\x41"; the result is for display only.
std::string dbus_safe_text(std::string_view peer_text);

}  // namespace ikev2d::control
