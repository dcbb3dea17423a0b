// strongSwan's swanctl.conf: one connection with the gateway's proposals, the trust
// anchor as a file in x509ca/ (a CA) or x509/ (a self-signed gateway certificate,
// pinned), and a secrets entry whose secret the user fills in.
#include <algorithm>

#include "profile/profile_writers.hpp"
#include "profile/proposal_mapping.hpp"

namespace ikev2d::profile {
namespace {

std::string joined(const std::vector<std::string>& items, const std::string& sep) {
    std::string out;
    for (const auto& i : items) out += (out.empty() ? "" : sep) + i;
    return out;
}

std::string quoted(const std::string& s) {
    std::string out = "\"";
    for (char c : s) {
        if (c == '"' || c == '\\') out += '\\';
        out += c;
    }
    return out + "\"";
}

std::string commented(const std::string& text) {
    std::string out;
    std::size_t start = 0;
    while (start < text.size()) {
        const auto end = text.find('\n', start);
        out += "# " + text.substr(start, end - start) + "\n";
        if (end == std::string::npos) break;
        start = end + 1;
    }
    return out;
}

}  // namespace

ProfileDocument write_swanctl(const ProfileInput& in) {
    const auto& group = *in.group;
    const std::string anchor_file = in.name + (in.anchor.is_gateway_certificate ? "-gateway.pem" : "-ca.pem");
    const std::string anchor_dir = in.anchor.is_gateway_certificate ? "x509" : "x509ca";
    std::string local, remote, secrets;
    const std::string user = in.user.empty() ? "USERNAME" : in.user;
    switch (group.client_auth) {
        case config::ClientAuth::Eap: {
            auto methods = eap_methods_among(group, {iana::EapType::MSCHAPV2, iana::EapType::MD5, iana::EapType::GTC});
            if (methods.empty()) throw ProfileError("group '" + group.name + "' offers no EAP method strongSwan has (mschapv2, md5, gtc)");
            const char* method = methods.front() == iana::EapType::MSCHAPV2 ? "eap-mschapv2"
                                 : methods.front() == iana::EapType::MD5    ? "eap-md5"
                                                                             : "eap-gtc";
            local = "      auth = " + std::string(method) + "\n      eap_id = " + quoted(user) + "\n";
            secrets = "  eap-" + in.name + " {\n    id = " + quoted(user) + "\n    secret = \"\"  # set: the password of " + user + "\n  }\n";
            break;
        }
        case config::ClientAuth::Psk:
            local = "      auth = psk\n" + (in.user.empty() ? std::string() : "      id = " + quoted(in.user) + "\n");
            secrets = "  ike-" + in.name + " {\n    id = " + quoted(in.remote_id) + "\n    secret = \"\"  # set: the pre-shared key of group " + group.name + "\n  }\n";
            break;
        case config::ClientAuth::Certificate:
            local = "      auth = pubkey\n      certs = client-cert.pem  # your certificate in x509/, its key in private/\n" +
                    (in.user.empty() ? std::string() : "      id = " + quoted(in.user) + "\n");
            break;
    }
    if (group.client_auth == config::ClientAuth::Psk) {
        remote = "      auth = psk\n      id = " + quoted(in.remote_id) + "\n";
    } else {
        remote = "      auth = pubkey\n      id = " + quoted(in.remote_id) + "\n";
        if (in.anchor.is_gateway_certificate) remote += "      certs = " + anchor_file + "  # pinned: the gateway's self-signed certificate\n";
        else remote += "      cacerts = " + anchor_file + "\n";
    }
    // What the client routes into the tunnel: the split-include networks, else the gateway's
    // side; and a virtual IP of each family the group hands out (0.0.0.0 and :: ask for one).
    const TunnelScope scope = tunnel_scope(in);
    std::vector<std::string> remote_ts, vips;
    for (const auto& n : scope.networks) remote_ts.push_back(n.to_string());
    if (scope.ipv4) vips.push_back("0.0.0.0");
    if (scope.ipv6) vips.push_back("::");

    ProfileDocument doc;
    doc.text = "# swanctl.conf for group " + group.name + " of the ikev2d gateway " + in.server +
               ", written by `ikectl profile`.\n"
               "# The gateway's " + std::string(in.anchor.is_gateway_certificate ? "self-signed certificate" : "CA certificate") +
               " belongs in " + anchor_dir + "/" + anchor_file + " beside this file\n"
               "# (`ikectl profile -o` writes it there; it is also at the end of this file).\n"
               "# Load with `swanctl --load-all`, connect with `swanctl --initiate --child " + in.name + "`.\n"
               "connections {\n"
               "  " + in.name + " {\n"
               "    version = 2\n"
               "    remote_addrs = " + in.server + "\n"
               "    vips = " + joined(vips, ", ") + "\n"
               "    proposals = " + joined(strongswan_ike_proposals(*in.config), ", ") + "\n"
               "    local {\n" + local + "    }\n"
               "    remote {\n" + remote + "    }\n"
               "    children {\n"
               "      " + in.name + " {\n"
               "        remote_ts = " + joined(remote_ts, ", ") + "\n"
               "        esp_proposals = " + joined(strongswan_esp_proposals(*in.config, *in.proposal), ", ") + "\n"
               "      }\n"
               "    }\n"
               "  }\n"
               "}\n";
    if (!secrets.empty()) doc.text += "secrets {\n" + secrets + "}\n";
    doc.text += "\n# " + anchor_dir + "/" + anchor_file + " (from " + in.anchor.origin + "):\n" + commented(in.anchor.pem);
    doc.side_files.emplace_back(anchor_dir + "/" + anchor_file, in.anchor.pem);
    return doc;
}

}  // namespace ikev2d::profile
