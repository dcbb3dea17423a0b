// A PowerShell script for Windows' built-in IKEv2 client: trust the anchor, add the
// connection, and pin its IPsec parameters to a combination the gateway accepts
// (without Set-VpnConnectionIPsecConfiguration Windows offers 3DES/SHA-1/MODP-1024).
#include "profile/profile_writers.hpp"
#include "profile/proposal_mapping.hpp"

namespace ikev2d::profile {
namespace {

// A PowerShell single-quoted string: '' stands for '.
std::string ps_quote(const std::string& s) {
    std::string out = "'";
    for (char c : s) {
        if (c == '\'') out += '\'';
        out += c;
    }
    return out + "'";
}

}  // namespace

ProfileDocument write_powershell(const ProfileInput& in) {
    const auto& group = *in.group;
    std::string auth;
    switch (group.client_auth) {
        case config::ClientAuth::Eap:
            // Add-VpnConnection's default EAP configuration is EAP-MSCHAPv2.
            if (eap_methods_among(group, {iana::EapType::MSCHAPV2}).empty())
                throw ProfileError("group '" + group.name + "' does not offer EAP-MSCHAPv2, the EAP method of Windows' built-in client");
            auth = "Eap";
            break;
        case config::ClientAuth::Certificate: auth = "MachineCertificate"; break;
        case config::ClientAuth::Psk:
            throw ProfileError("group '" + group.name + "' uses a pre-shared key: Windows' built-in IKEv2 client needs eap or certificate");
    }
    const auto ipsec = windows_ipsec_configuration(*in.config, *in.proposal);
    const TunnelScope scope = tunnel_scope(in);
    const std::string name = ps_quote(in.name);
    std::string t;
    t += "# Windows VPN connection for group " + group.name + " of the ikev2d gateway " + in.server +
         ", written by `ikectl profile`.\n";
    t += "# Run in an elevated PowerShell: powershell -ExecutionPolicy Bypass -File <this file>\n";
    if (group.client_auth == config::ClientAuth::Certificate && !group.allow_sha1_signatures)
        t += "# Note: Windows signs with RSA/SHA-1 (method 1); the gateway's group needs allow_sha1_signatures = true.\n";
    t += "$ErrorActionPreference = 'Stop'\n";
    t += "$CaPem = @'\n" + in.anchor.pem + (in.anchor.pem.ends_with('\n') ? "" : "\n") + "'@\n";
    t += "$CaFile = Join-Path $env:TEMP " + ps_quote(in.name + "-ca.cer") + "\n";
    t += "Set-Content -Path $CaFile -Value $CaPem -Encoding ascii\n";
    t += "Import-Certificate -FilePath $CaFile -CertStoreLocation Cert:\\LocalMachine\\Root | Out-Null\n";
    t += "Remove-Item $CaFile\n";
    t += "Add-VpnConnection -Name " + name + " -ServerAddress " + ps_quote(in.server) +
         " -TunnelType Ikev2 -AuthenticationMethod " + auth + " -EncryptionLevel Required" +
         (group.client_auth == config::ClientAuth::Eap ? " -RememberCredential" : "") +
         (scope.split ? " -SplitTunneling" : "") + " -Force\n";
    // Windows asks for IPv4 and IPv6 addresses; a route per split network of the group's families.
    if (scope.split)
        for (const auto& prefix : scope.networks)
            t += "Add-VpnConnectionRoute -ConnectionName " + name + " -DestinationPrefix " + ps_quote(prefix.to_string()) + "\n";
    t += "Set-VpnConnectionIPsecConfiguration -ConnectionName " + name +
         " -EncryptionMethod " + ipsec.encryption_method +
         " -IntegrityCheckMethod " + ipsec.integrity_check_method +
         " -DHGroup " + ipsec.dh_group +
         " -CipherTransformConstants " + ipsec.cipher_transform +
         " -AuthenticationTransformConstants " + ipsec.authentication_transform +
         " -PfsGroup " + ipsec.pfs_group + " -Force\n";
    if (!in.user.empty()) t += "# Connect: rasdial " + name + " " + ps_quote(in.user) + " <password>\n";
    return {t, {}};
}

}  // namespace ikev2d::profile
