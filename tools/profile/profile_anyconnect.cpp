// The AnyConnect XML profile (the seed's anyconnect-ikev2.xml): one HostEntry with
// PrimaryProtocol IPsec; EAP-AnyConnect (aggregate auth) when the group offers it, else
// standard authentication with the group's first method AnyConnect knows.
#include "profile/profile_writers.hpp"
#include "profile/proposal_mapping.hpp"

namespace ikev2d::profile {

ProfileDocument write_anyconnect(const ProfileInput& in) {
    const auto& group = *in.group;
    std::string auth_method;  // empty: EAP-AnyConnect, AnyConnect's default with IPsec
    switch (group.client_auth) {
        case config::ClientAuth::Eap: {
            auto methods = eap_methods_among(group, {iana::EapType::Expanded, iana::EapType::MSCHAPV2,
                                                     iana::EapType::GTC, iana::EapType::MD5});
            if (methods.empty()) throw ProfileError("group '" + group.name + "' offers no EAP method AnyConnect has");
            if (methods.front() == iana::EapType::MSCHAPV2) auth_method = "EAP-MSCHAPv2";
            else if (methods.front() == iana::EapType::GTC) auth_method = "EAP-GTC";
            else if (methods.front() == iana::EapType::MD5) auth_method = "EAP-MD5";
            break;
        }
        case config::ClientAuth::Certificate: auth_method = "IKE-RSA"; break;
        case config::ClientAuth::Psk:
            throw ProfileError("group '" + group.name + "' uses a pre-shared key, which AnyConnect does not offer");
    }
    std::string t =
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        "<!-- AnyConnect profile for group " + xml_escape(group.name) + " of the ikev2d gateway " + xml_escape(in.server) +
        ", written by `ikectl profile`.\n"
        "     ikev2d serves this file to the group's clients when [client_services] has a port and the group's\n"
        "     anyconnect_profile names it; without that the client's local policy needs\n"
        "     <BypassDownloader>true</BypassDownloader>. The gateway's CA (" + xml_escape(in.anchor.common_name) + ") must be in the system's trusted roots. -->\n"
        "<AnyConnectProfile xmlns=\"http://schemas.xmlsoap.org/encoding/\" "
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" "
        "xsi:schemaLocation=\"http://schemas.xmlsoap.org/encoding/ AnyConnectProfile.xsd\">\n"
        "  <ClientInitialization>\n"
        "    <StrictCertificateTrust>false</StrictCertificateTrust>\n"
        "  </ClientInitialization>\n"
        "  <ServerList>\n"
        "    <HostEntry>\n"
        "      <HostName>" + xml_escape(in.name) + "</HostName>\n"
        "      <HostAddress>" + xml_escape(in.server) + "</HostAddress>\n"
        "      <UserGroup>" + xml_escape(group.name) + "</UserGroup>\n"
        "      <PrimaryProtocol>IPsec";
    if (!auth_method.empty())
        t += "\n        <StandardAuthenticationOnly>true\n"
             "          <AuthMethodDuringIKENegotiation>" + auth_method + "</AuthMethodDuringIKENegotiation>\n" +
             (in.user.empty() || auth_method == "IKE-RSA" ? std::string()
                                                           : "          <IKEIdentity>" + xml_escape(in.user) + "</IKEIdentity>\n") +
             "        </StandardAuthenticationOnly>\n      ";
    t += "</PrimaryProtocol>\n"
         "    </HostEntry>\n"
         "  </ServerList>\n"
         "</AnyConnectProfile>\n";
    return {t, {}};
}

}  // namespace ikev2d::profile
