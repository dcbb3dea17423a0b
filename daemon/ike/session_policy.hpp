// Which group an identity belongs to, and the rules that keep one user's sessions apart
// from another's: which older IKE SAs a new one may replace (INITIAL_CONTACT), and
// which sessions a reloaded configuration still admits.
#pragma once

#include <string_view>
#include <vector>

#include "util/iana.hpp"

#include "config/config.hpp"
#include "ike/ike_sa.hpp"

namespace ikev2d::ike {

// The group for a client's IDi before it authenticated: the group of the user the IDi
// names, else the group whose psk_identities match it (exact before wildcard), else the
// default group. nullptr when none exists.
const config::GroupConfig* group_for_identity(const config::Config& cfg, std::string_view id);

// The group whose psk_identities match the identity; nullptr when none does.
const config::GroupConfig* group_of_psk_identity(const config::Config& cfg, std::string_view id);

// The group a configured user belongs to; nullptr for an unknown user or group.
const config::GroupConfig* group_of_user(const config::Config& cfg, std::string_view user);

// After EAP: the group of the session of `user`, who authenticated with `method` through
// the EAP methods of the group their IDi led to. The user's own group, but only if its
// authentication policy admits what just happened: client_auth = eap and `method` among
// its eap_methods. nullptr otherwise (AUTHENTICATION_FAILED). A user of a PSK or
// certificate group, or of a group that does not allow this method, cannot get in by
// EAP through another group; clients that cannot choose their group by IDi (Windows
// sends its address, AnyConnect a fixed IDi) still reach their own EAP group.
const config::GroupConfig* group_after_eap(const config::Config& cfg, std::string_view user, iana::EapType method);

// The networks behind the gateway a client of the group reaches (TSr): the group's
// local_networks, or everything (0.0.0.0/0) when it names none.
std::vector<IpPrefix> local_networks_of(const config::GroupConfig& group);

// The IPsec proposals a client of the group may get: the group's own, or all of them when
// it names none (or when group is nullptr: removed by a reload since).
std::vector<const config::IpsecProposal*> ipsec_proposals_of(const config::Config& cfg, const config::GroupConfig* group);

// May `fresh` (just authenticated, with INITIAL_CONTACT) replace `older`? Only when both
// proved the same individual user the same way in the same group: the same EAP identity
// or the same certificate identity. A group PSK proves membership of the group, not who
// the user is (many clients may share the IDi), so PSK sessions never replace others.
bool same_user(const IkeSa& older, const IkeSa& fresh);

// After a reload: would this configuration still admit the SA's user into the group it
// was admitted to, with the same kind of authentication? False when the user was deleted
// or moved to another group, or the group was removed or changed its client_auth.
bool still_admitted(const config::Config& cfg, const IkeSa& sa);

}  // namespace ikev2d::ike
