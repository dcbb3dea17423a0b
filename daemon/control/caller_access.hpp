// Who may call the D-Bus methods that change the daemon's state (Disconnect,
// DisconnectUser, Redirect, Reload, SetDebug): root and members of the configured admin group.
// Checked in the daemon itself, so that a bus policy that lets more through (a local
// edit, a distribution default) does not open control to every local user.
#pragma once

#include <sys/types.h>

#include <optional>
#include <vector>

namespace ikev2d::control {

// The caller as the bus reports it.
struct CallerCredentials {
    uid_t euid = 0;
    gid_t egid = 0;
    std::vector<gid_t> supplementary_gids;
};

struct ControlAccess {
    // Members (primary or supplementary) may control; nullopt = root only.
    std::optional<gid_t> admin_gid;

    bool allows(const CallerCredentials& caller) const;
};

}  // namespace ikev2d::control
