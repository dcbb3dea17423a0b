#include "control/caller_access.hpp"

#include <algorithm>

namespace ikev2d::control {

bool ControlAccess::allows(const CallerCredentials& caller) const {
    if (caller.euid == 0) return true;
    if (!admin_gid) return false;
    return caller.egid == *admin_gid ||
           std::find(caller.supplementary_gids.begin(), caller.supplementary_gids.end(), *admin_gid) !=
               caller.supplementary_gids.end();
}

}  // namespace ikev2d::control
