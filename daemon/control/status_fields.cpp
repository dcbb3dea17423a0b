#include "control/status_fields.hpp"

#include <array>

namespace ikev2d::control {

ControlBackend::~ControlBackend() = default;

namespace {

using C = ChildSaStatus;
const std::array<FieldDesc<C>, 28> kChildFields{{
    {"unique_id", &C::unique_id},
    {"state", &C::state},
    {"local_ts", &C::local_ts},
    {"remote_ts", &C::remote_ts},
    {"local_port_start", &C::local_port_start},
    {"local_port_end", &C::local_port_end},
    {"remote_port_start", &C::remote_port_start},
    {"remote_port_end", &C::remote_port_end},
    {"ip_protocol", &C::ip_protocol},
    {"spi_in", &C::spi_in},
    {"spi_out", &C::spi_out},
    {"encryption", &C::encryption},
    {"key_bits", &C::key_bits},
    {"integrity", &C::integrity},
    {"esn", &C::esn},
    {"udp_encap", &C::udp_encap},
    {"mode", &C::mode},
    {"bytes_in", &C::bytes_in},
    {"bytes_out", &C::bytes_out},
    {"packets_in", &C::packets_in},
    {"packets_out", &C::packets_out},
    {"replay_errors", &C::replay_errors},
    {"integrity_errors", &C::integrity_errors},
    {"replay_window", &C::replay_window},
    {"lifetime_s", &C::lifetime_s},
    {"rekey_left_s", &C::rekey_left_s},
    {"lifetime_kbytes", &C::lifetime_kbytes},
    {"installed_at", &C::installed_at},
}};

using I = IkeSaStatus;
const std::array<FieldDesc<I>, 29> kIkeFields{{
    {"tunnel_id", &I::tunnel_id},
    {"session_id", &I::session_id},
    {"local", &I::local},
    {"remote", &I::remote},
    {"status", &I::status},
    {"role", &I::role},
    {"encryption", &I::encryption},
    {"key_bits", &I::key_bits},
    {"integrity", &I::integrity},
    {"prf", &I::prf},
    {"dh_group", &I::dh_group},
    {"auth_sign", &I::auth_sign},
    {"auth_verify", &I::auth_verify},
    {"lifetime_s", &I::lifetime_s},
    {"established_at", &I::established_at},
    {"local_spi", &I::local_spi},
    {"remote_spi", &I::remote_spi},
    {"local_id", &I::local_id},
    {"remote_id", &I::remote_id},
    {"eap_identity", &I::eap_identity},
    {"local_next_msgid", &I::local_next_msgid},
    {"remote_next_msgid", &I::remote_next_msgid},
    {"window", &I::window},
    {"nat_detected_local", &I::nat_detected_local},
    {"nat_detected_remote", &I::nat_detected_remote},
    {"dpd_interval_s", &I::dpd_interval_s},
    {"dpd_retries", &I::dpd_retries},
    {"assigned_address", &I::assigned_address},
    {"assigned_address6", &I::assigned_address6},
}};

using S = SessionStatus;
const std::array<FieldDesc<S>, 21> kSessionFields{{
    {"index", &S::index},
    {"username", &S::username},
    {"group", &S::group},
    {"assigned_ip", &S::assigned_ip},
    {"assigned_ip6", &S::assigned_ip6},
    {"public_ip", &S::public_ip},
    {"public_port", &S::public_port},
    {"protocol", &S::protocol},
    {"encryption", &S::encryption},
    {"hashing", &S::hashing},
    {"bytes_tx", &S::bytes_tx},
    {"bytes_rx", &S::bytes_rx},
    {"packets_tx", &S::packets_tx},
    {"packets_rx", &S::packets_rx},
    {"login_time", &S::login_time},
    {"duration_s", &S::duration_s},
    {"inactivity_s", &S::inactivity_s},
    {"client_type", &S::client_type},
    {"client_version", &S::client_version},
    {"auth_mode", &S::auth_mode},
    {"tunnel_id", &S::tunnel_id},
}};

using G = GlobalStats;
const std::array<FieldDesc<G>, 23> kStatsFields{{
    {"ike_sa_created", &G::ike_sa_created},
    {"ike_sa_established", &G::ike_sa_established},
    {"ike_sa_failed", &G::ike_sa_failed},
    {"auth_failures", &G::auth_failures},
    {"retransmits", &G::retransmits},
    {"fragments_sent", &G::fragments_sent},
    {"fragments_received", &G::fragments_received},
    {"dpd_sent", &G::dpd_sent},
    {"dpd_timeouts", &G::dpd_timeouts},
    {"cookies_sent", &G::cookies_sent},
    {"half_open", &G::half_open},
    {"active_sessions", &G::active_sessions},
    {"invalid_packets", &G::invalid_packets},
    {"malformed_requests", &G::malformed_requests},
    {"half_open_refused", &G::half_open_refused},
    {"half_open_evicted", &G::half_open_evicted},
    {"fragments_dropped", &G::fragments_dropped},
    {"create_child_rate_limited", &G::create_child_rate_limited},
    {"informational_rate_limited", &G::informational_rate_limited},
    {"lifetime_expired", &G::lifetime_expired},
    {"handler_errors", &G::handler_errors},
    {"work_budget_drops", &G::work_budget_drops},
    {"started_at", &G::started_at},
}};

using P = PoolStatus;
const std::array<FieldDesc<P>, 5> kPoolFields{{
    {"name", &P::name},
    {"first", &P::first},
    {"last", &P::last},
    {"size", &P::size},
    {"leased", &P::leased},
}};

}  // namespace

std::span<const FieldDesc<ChildSaStatus>> child_sa_fields() { return kChildFields; }
std::span<const FieldDesc<IkeSaStatus>> ike_sa_fields() { return kIkeFields; }
std::span<const FieldDesc<SessionStatus>> session_fields() { return kSessionFields; }
std::span<const FieldDesc<GlobalStats>> stats_fields() { return kStatsFields; }
std::span<const FieldDesc<PoolStatus>> pool_fields() { return kPoolFields; }

}  // namespace ikev2d::control
