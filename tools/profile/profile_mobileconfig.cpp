// Apple's configuration profile (.mobileconfig): a com.apple.security.root payload with
// the trust anchor and a com.apple.vpn.managed payload of VPNType IKEv2 whose SA
// parameters are a combination the gateway accepts (Apple offers exactly one).
#include "profile/profile_writers.hpp"
#include "profile/proposal_mapping.hpp"

namespace ikev2d::profile {
namespace {

class Plist {
public:
    void key(const std::string& k) { line("<key>" + xml_escape(k) + "</key>"); }
    void string(const std::string& k, const std::string& v) { key(k); line("<string>" + xml_escape(v) + "</string>"); }
    void integer(const std::string& k, long v) { key(k); line("<integer>" + std::to_string(v) + "</integer>"); }
    void data(const std::string& k, const std::string& b64) { key(k); line("<data>" + b64 + "</data>"); }
    void open(const std::string& tag) { line("<" + tag + ">"); ++depth_; }
    void close(const std::string& tag) { --depth_; line("</" + tag + ">"); }
    void sa_parameters(const std::string& k, const AppleSaParameters& p) {
        key(k);
        open("dict");
        string("EncryptionAlgorithm", p.encryption);
        string("IntegrityAlgorithm", p.integrity);
        integer("DiffieHellmanGroup", p.dh_group);
        integer("LifeTimeInMinutes", p.lifetime_minutes);
        close("dict");
    }
    const std::string& text() const { return text_; }

private:
    void line(const std::string& l) { text_ += std::string(2 * depth_, ' ') + l + "\n"; }
    std::string text_;
    int depth_ = 0;
};

}  // namespace

ProfileDocument write_mobileconfig(const ProfileInput& in) {
    const auto& group = *in.group;
    const auto ike = apple_ike_parameters(*in.config);
    bool enable_pfs = false;
    const auto child = apple_child_parameters(*in.config, *in.proposal, enable_pfs);
    const std::string id_base = "org.ikev2d." + in.server + "." + in.name;
    const std::string anchor_uuid = uuid_for(id_base + ".anchor");

    Plist p;
    p.open("dict");
    p.key("PayloadContent");
    p.open("array");

    p.open("dict");
    p.string("PayloadType", "com.apple.security.root");
    p.integer("PayloadVersion", 1);
    p.string("PayloadIdentifier", id_base + ".anchor");
    p.string("PayloadUUID", anchor_uuid);
    p.string("PayloadDisplayName", in.anchor.common_name.empty() ? "ikev2d gateway CA" : in.anchor.common_name);
    p.string("PayloadCertificateFileName", in.name + "-ca.cer");
    p.data("PayloadContent", base64(in.anchor.der));
    p.close("dict");

    p.open("dict");
    p.string("PayloadType", "com.apple.vpn.managed");
    p.integer("PayloadVersion", 1);
    p.string("PayloadIdentifier", id_base + ".vpn");
    p.string("PayloadUUID", uuid_for(id_base + ".vpn"));
    p.string("PayloadDisplayName", "VPN " + in.name);
    p.string("UserDefinedName", in.name + " (" + in.server + ")");
    p.string("VPNType", "IKEv2");
    p.key("IKEv2");
    p.open("dict");
    p.string("RemoteAddress", in.server);
    p.string("RemoteIdentifier", in.remote_id);
    if (!in.anchor.is_gateway_certificate && !in.anchor.common_name.empty())
        p.string("ServerCertificateIssuerCommonName", in.anchor.common_name);
    switch (group.client_auth) {
        case config::ClientAuth::Eap:
            if (eap_methods_among(group, {iana::EapType::MSCHAPV2, iana::EapType::GTC, iana::EapType::MD5}).empty())
                throw ProfileError("group '" + group.name + "' offers no EAP method Apple devices have (mschapv2, gtc, md5)");
            p.string("AuthenticationMethod", "None");
            p.integer("ExtendedAuthEnabled", 1);
            if (!in.user.empty()) {
                p.string("AuthName", in.user);
                p.string("LocalIdentifier", in.user);
            }
            break;
        case config::ClientAuth::Psk:
            p.string("AuthenticationMethod", "SharedSecret");
            p.string("SharedSecret", "");  // the group's pre-shared key: fill in before distributing
            if (!in.user.empty()) p.string("LocalIdentifier", in.user);
            break;
        case config::ClientAuth::Certificate:
            p.string("AuthenticationMethod", "Certificate");
            p.integer("ExtendedAuthEnabled", 0);
            if (!in.user.empty()) p.string("LocalIdentifier", in.user);
            break;
    }
    p.sa_parameters("IKESecurityAssociationParameters", ike);
    p.sa_parameters("ChildSecurityAssociationParameters", child);
    p.integer("EnablePFS", enable_pfs ? 1 : 0);
    p.string("DeadPeerDetectionRate", "Medium");
    p.integer("DisableMOBIKE", 0);
    p.integer("DisableRedirect", 0);
    p.integer("EnableCertificateRevocationCheck", 0);
    // No IPv6 key: the IKEv2 dictionary has none for address families (Apple devices ask
    // for both by themselves), and the routes follow the traffic selectors.
    p.integer("UseConfigurationAttributeInternalIPSubnet", 0);
    p.close("dict");
    p.close("dict");

    p.close("array");
    p.string("PayloadDisplayName", "ikev2d VPN " + in.name);
    p.string("PayloadIdentifier", id_base);
    p.string("PayloadType", "Configuration");
    p.string("PayloadUUID", uuid_for(id_base));
    p.integer("PayloadVersion", 1);
    p.close("dict");

    ProfileDocument doc;
    doc.text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
               "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
               "<plist version=\"1.0\">\n" +
               p.text() + "</plist>\n";
    return doc;
}

}  // namespace ikev2d::profile
