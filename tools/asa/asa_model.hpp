// What an ASA configuration says about remote access, in ikev2d's terms (names already
// mapped: "aes-256", "sha1", "modp1024"), plus a note for every command that was not
// converted. asa_reader fills it from the parsed commands; asa_writer prints ikev2d.conf.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "asa/asa_parser.hpp"

namespace ikev2d::asa {

struct Note {
    int line = 0;
    std::string command;  // the ASA command (with its parent for sub-commands)
    std::string reason;
};

struct IkePolicyModel {
    int priority = 0;
    std::vector<std::string> encryption, integrity, prf, groups;
    std::optional<std::uint32_t> lifetime_seconds;
};

struct ProposalModel {
    std::string name;
    std::vector<std::string> encryption, integrity;
    std::optional<std::uint32_t> lifetime_seconds;
    std::optional<std::uint64_t> lifetime_kbytes;
    bool pfs_required = false;
    std::vector<std::string> pfs_groups;
};

// `anyconnect profiles value NAME type user` in a group policy's webvpn (name "" = `none`).
struct ProfileUseModel {
    std::string name;
    int line = 0;
    std::string command;
};

// `anyconnect profiles NAME disk0:/file.xml` under the top-level webvpn: the profile's file on the ASA.
struct ProfileFileModel {
    std::string asa_path;
    int line = 0;
    std::string command;
};

// `group-policy NAME attributes`: unset = inherited from DfltGrpPolicy.
struct GroupPolicyModel {
    std::optional<std::vector<std::string>> dns, domains, pools, ipv6_pools, protocols;
    std::optional<std::string> banner, split_policy, ipv6_split_policy, split_acl;
    std::optional<std::uint32_t> idle_minutes;  // 0 = none
    std::optional<std::uint32_t> session_minutes;  // vpn-session-timeout; 0 = none
    std::optional<std::uint32_t> simultaneous_logins;
    std::optional<ProfileUseModel> anyconnect_profile;
};

struct TunnelGroupModel {
    std::string name;
    int line = 0;
    std::vector<std::string> pools, ipv6_pools;  // general-attributes address-pool, ipv6-address-pool
    std::string group_policy = "DfltGrpPolicy";
    std::string client_auth = "anyconnect";  // anyconnect (the ASA's default), eap, psk, certificate
    std::optional<std::string> psk;
};

struct UserModel {
    std::string name;
    int line = 0;
    std::optional<std::string> password;  // cleartext, when the ASA file has it so
    std::string stored_form;              // "encrypted", "pbkdf2", "nt-encrypted": only a hash
    std::string group_policy, group_lock;
};

struct TrustpointModel {
    std::string name;
    bool self_signed = false;
    std::string identity;  // fqdn, else subject-name CN
};

// `ip local pool` or `ipv6 local pool`. ikev2d has one namespace of pools, the ASA one per
// family: an IPv6 pool named like an IPv4 one gets "-v6" appended.
struct PoolModel {
    std::string name;      // in ikev2d.conf
    std::string asa_name;  // what group policies and tunnel groups name
    std::string range;     // first-last
    bool ipv6 = false;
    std::string command;   // the ASA command, for the table's comment
};

struct AsaModel {
    std::map<std::string, std::string> interface_address;  // nameif -> IPv4 address
    std::vector<std::string> listen_interfaces;            // nameif with IKEv2 enabled
    std::optional<std::uint16_t> client_services_port;     // crypto ikev2 enable IF client-services [port N]
    std::string client_services_command;
    std::map<std::string, ProfileFileModel> anyconnect_profiles;  // name -> file on the ASA
    std::optional<std::uint32_t> dpd_interval, dpd_retries, fragment_mtu;
    std::vector<IkePolicyModel> ike_policies;
    std::vector<ProposalModel> proposals;
    std::vector<PoolModel> pools;
    std::map<std::string, std::vector<std::string>> access_lists;  // name -> prefixes
    std::map<std::string, GroupPolicyModel> group_policies;
    std::vector<TunnelGroupModel> tunnel_groups;
    std::vector<UserModel> users;
    std::map<std::string, TrustpointModel> trustpoints;
    std::string ra_trustpoint;
    std::string ra_proposal;  // the ipsec-proposal of the dynamic map on the IKEv2 interface
    std::vector<Note> notes;
};

AsaModel read_asa_model(const std::vector<AsaCommand>& commands);

// ikev2d.conf text for the model; notes it adds (a group without a pool, ...) go into model.notes.
std::string write_ikev2d_conf(AsaModel& model, const std::string& source_name);

}  // namespace ikev2d::asa
