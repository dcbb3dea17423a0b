#include "ikectl/json_format.hpp"

#include <nlohmann/json.hpp>

#include "control/status_fields.hpp"

namespace ikev2d::ikectl {

using namespace ikev2d::control;
// ordered_json keeps the members in the order of the field tables, as the text views.
using Json = nlohmann::ordered_json;

namespace {

template <class S>
Json fields_object(const S& s, std::span<const FieldDesc<S>> fields) {
    Json o = Json::object();
    for (const auto& f : fields) {
        std::visit(
            [&](auto member) {
                using T = std::remove_cvref_t<decltype(s.*member)>;
                if constexpr (std::is_same_v<T, std::string> || std::is_same_v<T, bool>)
                    o[std::string(f.key)] = s.*member;
                else
                    o[std::string(f.key)] = static_cast<uint64_t>(s.*member);
            },
            f.member);
    }
    return o;
}

std::string sa_username(const IkeSaStatus& sa) { return sa.eap_identity.empty() ? sa.remote_id : sa.eap_identity; }

// Peer strings may hold any bytes: replace invalid UTF-8 rather than throw.
std::string document(const Json& j, int indent = 2) {
    return j.dump(indent, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string json_ike_sas(const std::vector<IkeSaStatus>& sas) {
    Json list = Json::array();
    for (const auto& sa : sas) {
        Json o = fields_object(sa, ike_sa_fields());
        Json children = Json::array();
        for (const auto& c : sa.children)
            children.push_back(fields_object(c, child_sa_fields()));
        o[std::string(kChildrenKey)] = std::move(children);
        list.push_back(std::move(o));
    }
    return document(Json{{"ike_sas", std::move(list)}});
}

std::string json_ipsec_sas(const std::vector<IkeSaStatus>& sas) {
    Json list = Json::array();
    for (const auto& sa : sas) {
        for (const auto& c : sa.children) {
            Json o = {{"tunnel_id", sa.tunnel_id},
                      {"local", sa.local},
                      {"remote", sa.remote},
                      {"username", sa_username(sa)},
                      {"assigned_address", sa.assigned_address},
                      {"assigned_address6", sa.assigned_address6}};
            o.update(fields_object(c, child_sa_fields()));
            list.push_back(std::move(o));
        }
    }
    return document(Json{{"child_sas", std::move(list)}});
}

std::string json_sessions(const std::vector<SessionStatus>& sessions) {
    Json list = Json::array();
    for (const auto& s : sessions)
        list.push_back(fields_object(s, session_fields()));
    return document(Json{{"sessions", std::move(list)}});
}

std::string json_stats(const GlobalStats& stats) {
    return document(Json{{"stats", fields_object(stats, stats_fields())}});
}

std::string json_pools(const std::vector<PoolStatus>& pools) {
    Json list = Json::array();
    for (const auto& p : pools) {
        Json o = fields_object(p, pool_fields());
        o["free"] = p.size >= p.leased ? p.size - p.leased : 0;
        list.push_back(std::move(o));
    }
    return document(Json{{"pools", std::move(list)}});
}

std::string json_number_result(const std::string& key, uint64_t n) { return document(Json{{key, n}}); }

std::string json_text_result(const std::string& key, const std::string& text) {
    return document(Json{{key, text}});
}

std::string json_error(const std::string& message) { return json_text_result("error", message); }

std::string json_event_line(uint64_t time, const SessionStatus& session, const std::string* reason) {
    Json o = {{"time", time}, {"event", reason ? "down" : "up"}};
    if (reason)
        o["reason"] = *reason;
    o["session"] = fields_object(session, session_fields());
    return document(o, -1);
}

}  // namespace ikev2d::ikectl
