// The one place where the gateway's proposals (config::IkePolicy, config::IpsecProposal)
// become each client platform's vocabulary: strongSwan proposal strings (swanctl, the
// Android app, NetworkManager), Apple's IKEv2 payload parameters and the values of
// Windows' Set-VpnConnectionIPsecConfiguration. Each mapping names only combinations the
// gateway's configuration accepts; a platform that can do none of them gets ProfileError.
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "config/config.hpp"

namespace ikev2d::profile {

// A profile the configuration cannot give (no common proposal, an auth method the
// platform lacks, an unknown group): ikectl prints it and exits 1.
class ProfileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// ---- strongSwan (swanctl.conf, .sswan, NetworkManager-strongswan) ----
// One proposal per IKE policy, all of the policy's algorithms in it:
// "aes256gcm16-aes128gcm16-prfsha256-ecp256-x25519". Algorithms strongSwan has no name
// for are left out; a policy left without a cipher, PRF or group is left out.
std::vector<std::string> strongswan_ike_proposals(const config::Config& config);
// The ESP proposals of an IPsec proposal: AEAD and other ciphers apart (RFC 7296 3.3),
// with the PFS groups when the proposal requires PFS ("aes256gcm16-ecp256").
std::vector<std::string> strongswan_esp_proposals(const config::Config& config, const config::IpsecProposal& proposal);

// ---- Apple (com.apple.vpn.managed, IKEv2 dictionary) ----
// Apple clients offer exactly one combination per SA, so this is the first one (in the
// gateway's order of preference) that both sides can do.
struct AppleSaParameters {
    std::string encryption;  // EncryptionAlgorithm: "AES-256-GCM", "AES-256", ...
    std::string integrity;   // IntegrityAlgorithm: "SHA2-256", ... (with GCM: the PRF's hash)
    int dh_group = 0;        // DiffieHellmanGroup
    std::uint32_t lifetime_minutes = 0;
};
AppleSaParameters apple_ike_parameters(const config::Config& config);
// enable_pfs: whether the child parameters' group is used on rekeys (EnablePFS).
AppleSaParameters apple_child_parameters(const config::Config& config, const config::IpsecProposal& proposal,
                                         bool& enable_pfs);

// ---- Windows (Set-VpnConnectionIPsecConfiguration) ----
struct WindowsIpsecConfiguration {
    std::string encryption_method;       // -EncryptionMethod: AES256, GCMAES256, ...
    std::string integrity_check_method;  // -IntegrityCheckMethod: SHA256, SHA384, SHA1, MD5
    std::string dh_group;                // -DHGroup: Group14, ECP256, ECP384, Group2, ...
    std::string cipher_transform;        // -CipherTransformConstants
    std::string authentication_transform;  // -AuthenticationTransformConstants
    std::string pfs_group;               // -PfsGroup: None, PFS2048, ECP256, ECP384, ...
};
WindowsIpsecConfiguration windows_ipsec_configuration(const config::Config& config,
                                                      const config::IpsecProposal& proposal);

// The IPsec proposal a group uses (its ipsec_proposal, else "default", else the first).
const config::IpsecProposal& group_ipsec_proposal(const config::Config& config, const config::GroupConfig& group);

}  // namespace ikev2d::profile
