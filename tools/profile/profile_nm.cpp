// A NetworkManager keyfile (/etc/NetworkManager/system-connections/<name>.nmconnection,
// mode 0600) for NetworkManager-strongswan. Its ike/esp take proposals separated by ';'.
#include "profile/profile_writers.hpp"
#include "profile/proposal_mapping.hpp"

namespace ikev2d::profile {
namespace {

std::string joined(const std::vector<std::string>& items) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : ";") + i;
    return out;
}

// Keyfile values are GKeyFile strings: escape the backslash and line breaks.
std::string keyfile_value(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '\\') out += "\\\\";
        else if (c == '\n') out += "\\n";
        else out += c;
    }
    return out;
}

}  // namespace

ProfileDocument write_nm(const ProfileInput& in) {
    const auto& group = *in.group;
    std::string method, extra;
    switch (group.client_auth) {
        case config::ClientAuth::Eap:
            if (eap_methods_among(group, {iana::EapType::MSCHAPV2, iana::EapType::MD5, iana::EapType::GTC}).empty())
                throw ProfileError("group '" + group.name + "' offers no EAP method strongSwan has (mschapv2, md5, gtc)");
            method = "eap";
            extra = "password-flags=2\n";  // ask for the password when connecting
            break;
        case config::ClientAuth::Psk: method = "psk"; extra = "password-flags=2\n"; break;
        case config::ClientAuth::Certificate:
            method = "key";
            extra = "usercert=/etc/ipsec.d/certs/client-cert.pem\nuserkey=/etc/ipsec.d/private/client-key.pem\n";
            break;
    }
    std::string t = "# NetworkManager keyfile for group " + group.name + " of the ikev2d gateway " + in.server +
                    ", written by `ikectl profile`.\n"
                    "# Install as /etc/NetworkManager/system-connections/" + in.name +
                    ".nmconnection (mode 0600), the CA as " + "/etc/ipsec.d/cacerts/" + in.name + "-ca.pem.\n";
    t += "[connection]\nid=" + keyfile_value(in.name) + "\nuuid=" + uuid_for("nm." + in.server + "." + in.name) +
         "\ntype=vpn\nautoconnect=false\n\n";
    t += "[vpn]\nservice-type=org.freedesktop.NetworkManager.strongswan\n";
    t += "address=" + keyfile_value(in.server) + "\n";
    t += "certificate=/etc/ipsec.d/cacerts/" + keyfile_value(in.name) + "-ca.pem\n";
    t += "remote-identity=" + keyfile_value(in.remote_id) + "\n";
    t += "method=" + method + "\n";
    if (!in.user.empty()) t += "user=" + keyfile_value(in.user) + "\n";
    t += extra;
    t += "virtual=yes\nencap=no\nipcomp=no\nproposal=yes\n";
    t += "ike=" + joined(strongswan_ike_proposals(*in.config)) + "\n";
    t += "esp=" + joined(strongswan_esp_proposals(*in.config, *in.proposal)) + "\n";
    // Each family the group hands out addresses of is configured ("auto": from the gateway),
    // with the split networks of that family as its routes; the others are left alone.
    const TunnelScope scope = tunnel_scope(in);
    auto family = [&](bool v4, bool has) {
        std::string s = std::string("\n[") + (v4 ? "ipv4" : "ipv6") + "]\nmethod=" + (has ? "auto" : v4 ? "disabled" : "ignore") + "\n";
        if (!has || !scope.split) return s;
        s += "never-default=true\n";
        int i = 1;
        for (const auto& p : scope.networks)
            if (p.addr.is_v4() == v4) s += "route" + std::to_string(i++) + "=" + p.to_string() + "\n";
        return s;
    };
    t += family(true, scope.ipv4);
    t += family(false, scope.ipv6);
    ProfileDocument doc{t, {}};
    doc.side_files.emplace_back(in.name + "-ca.pem", in.anchor.pem);
    return doc;
}

}  // namespace ikev2d::profile
