// The strongSwan Android app's .sswan profile (JSON): type, remote with the trust anchor
// as base64 DER, the EAP identity, and the gateway's first proposals.
#include <nlohmann/json.hpp>

#include "profile/profile_writers.hpp"
#include "profile/proposal_mapping.hpp"

namespace ikev2d::profile {

ProfileDocument write_sswan(const ProfileInput& in) {
    const auto& group = *in.group;
    nlohmann::ordered_json j;
    j["uuid"] = uuid_for("sswan." + in.server + "." + in.name);
    j["name"] = in.name + " (" + in.server + ")";
    switch (group.client_auth) {
        case config::ClientAuth::Eap:
            if (eap_methods_among(group, {iana::EapType::MSCHAPV2, iana::EapType::MD5}).empty())
                throw ProfileError("group '" + group.name + "' offers no EAP method the Android app has (mschapv2, md5)");
            j["type"] = "ikev2-eap";
            break;
        case config::ClientAuth::Certificate: j["type"] = "ikev2-cert"; break;
        case config::ClientAuth::Psk:
            throw ProfileError("group '" + group.name + "' uses a pre-shared key, which the strongSwan Android app does not offer");
    }
    j["remote"]["addr"] = in.server;
    j["remote"]["id"] = in.remote_id;
    j["remote"]["cert"] = base64(in.anchor.der);
    if (!in.user.empty() && group.client_auth == config::ClientAuth::Eap) j["local"]["eap_id"] = in.user;
    // The app takes one proposal per SA; the gateway's first (most preferred).
    j["ike-proposal"] = strongswan_ike_proposals(*in.config).front();
    j["esp-proposal"] = strongswan_esp_proposals(*in.config, *in.proposal).front();
    // The app asks for an IPv4 and an IPv6 address whatever the profile says, and routes a
    // family through the tunnel when it got an address of it; the profile only lists the
    // split networks, IPv6 ones among them when the group hands out IPv6 addresses.
    if (const TunnelScope scope = tunnel_scope(in); scope.split) {
        std::string subnets;
        for (const auto& p : scope.networks) subnets += (subnets.empty() ? "" : " ") + p.to_string();
        j["split-tunneling"]["subnets"] = subnets;
    }
    return {j.dump(2) + "\n", {}};
}

}  // namespace ikev2d::profile
