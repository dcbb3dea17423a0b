// What every profile writer reads: the loaded configuration, the group (and user) the
// profile is for, the address clients dial, and the certificate they must trust.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "config/config.hpp"

namespace ikev2d::profile {

// The certificate a client must trust to accept the gateway's: the CA that issued it, or
// the gateway's own certificate when it is self-signed (the embedded default's).
struct TrustAnchor {
    std::string pem;                 // one certificate
    std::vector<std::uint8_t> der;
    std::string common_name;         // subject CN (Apple's ServerCertificateIssuerCommonName)
    bool is_gateway_certificate = false;  // self-signed gateway certificate, to be pinned
    std::string origin;              // the file it came from, for the header comments
};

struct ProfileInput {
    const config::Config* config = nullptr;
    const config::GroupConfig* group = nullptr;
    const config::IpsecProposal* proposal = nullptr;
    std::string user;       // may be empty: the client asks for it
    std::string server;     // what clients dial (address or name)
    std::string remote_id;  // the gateway's IKE identity (trustpoint identity, else server)
    std::string name;       // connection name: "<group>" or "<group>-<user>"
    TrustAnchor anchor;
};

// A profile: the main document, plus files that belong beside it (swanctl's x509ca/).
struct ProfileDocument {
    std::string text;
    std::vector<std::pair<std::string, std::string>> side_files;  // path relative to the output's directory, content
};

// What the client asks for and routes into the tunnel (issue 13: IPv6).
struct TunnelScope {
    bool ipv4 = false, ipv6 = false;  // the families the group hands out addresses of (pool, ipv6_pool)
    bool split = false;               // only `networks` go through the tunnel
    std::vector<IpPrefix> networks;   // split_include, else local_networks (the full tunnel)
};
// Only networks of the families the client gets an address of: it has no inner address
// to reach the others from. A split_include without any of them counts as none.
TunnelScope tunnel_scope(const ProfileInput& in);

// The trust anchor for this configuration: ca_file when given; else the gateway
// certificate if it is self-signed; else its issuer, found in the certificate file's
// chain or in trustpoint.ca_certificates. Throws ProfileError naming what is missing.
TrustAnchor find_trust_anchor(const config::Config& config, const std::optional<std::string>& ca_file);

// Helpers shared by the writers.
std::string base64(const std::vector<std::uint8_t>& data);
std::string xml_escape(const std::string& text);
// A name-based UUID (RFC 4122 version 5, SHA-1) of text: the same input gives the same
// profile, so a re-imported profile replaces the old one.
std::string uuid_for(const std::string& text);
// The EAP method names of the group the platform can do, in the group's order.
std::vector<iana::EapType> eap_methods_among(const config::GroupConfig& group, std::vector<iana::EapType> supported);

}  // namespace ikev2d::profile
