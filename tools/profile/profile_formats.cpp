#include "profile/profile_writers.hpp"

namespace ikev2d::profile {

const std::vector<ProfileFormat>& profile_formats() {
    static const std::vector<ProfileFormat> formats = {
        {"swanctl", "strongSwan swanctl.conf (+ x509ca/ beside it)", write_swanctl},
        {"mobileconfig", "Apple configuration profile (macOS, iOS)", write_mobileconfig},
        {"powershell", "Windows PowerShell script (built-in IKEv2 client)", write_powershell},
        {"sswan", "strongSwan for Android (.sswan)", write_sswan},
        {"nm", "NetworkManager keyfile (NetworkManager-strongswan)", write_nm},
        {"anyconnect", "Cisco AnyConnect XML profile", write_anyconnect},
    };
    return formats;
}

const ProfileFormat* find_profile_format(const std::string& name) {
    for (const auto& f : profile_formats())
        if (name == f.name) return &f;
    return nullptr;
}

}  // namespace ikev2d::profile
