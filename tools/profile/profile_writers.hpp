// One writer per client platform (profile_<format>.cpp), and the table ikectl picks from.
#pragma once

#include <string>
#include <vector>

#include "profile/profile_input.hpp"

namespace ikev2d::profile {

ProfileDocument write_swanctl(const ProfileInput& in);
ProfileDocument write_mobileconfig(const ProfileInput& in);
ProfileDocument write_powershell(const ProfileInput& in);
ProfileDocument write_sswan(const ProfileInput& in);
ProfileDocument write_nm(const ProfileInput& in);
ProfileDocument write_anyconnect(const ProfileInput& in);

struct ProfileFormat {
    const char* name;
    const char* description;
    ProfileDocument (*write)(const ProfileInput&);
};
const std::vector<ProfileFormat>& profile_formats();
const ProfileFormat* find_profile_format(const std::string& name);

}  // namespace ikev2d::profile
