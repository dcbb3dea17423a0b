#include "ikectl/json_format.hpp"

#include "control/status_fields.hpp"
#include "ikectl/json_writer.hpp"

namespace ikev2d::ikectl {

using namespace ikev2d::control;

namespace {

template <class S>
void write_fields(JsonWriter& w, const S& s, std::span<const FieldDesc<S>> fields) {
    for (const auto& f : fields) {
        w.key(f.key);
        std::visit(
            [&](auto member) {
                using T = std::remove_cvref_t<decltype(s.*member)>;
                if constexpr (std::is_same_v<T, std::string>)
                    w.value(std::string_view(s.*member));
                else if constexpr (std::is_same_v<T, bool>)
                    w.value(static_cast<bool>(s.*member));
                else
                    w.value(static_cast<uint64_t>(s.*member));
            },
            f.member);
    }
}

std::string sa_username(const IkeSaStatus& sa) { return sa.eap_identity.empty() ? sa.remote_id : sa.eap_identity; }

}  // namespace

std::string json_ike_sas(const std::vector<IkeSaStatus>& sas) {
    JsonWriter w;
    w.begin_object();
    w.key("ike_sas");
    w.begin_array();
    for (const auto& sa : sas) {
        w.begin_object();
        write_fields(w, sa, ike_sa_fields());
        w.key(kChildrenKey);
        w.begin_array();
        for (const auto& c : sa.children) {
            w.begin_object();
            write_fields(w, c, child_sa_fields());
            w.end_object();
        }
        w.end_array();
        w.end_object();
    }
    w.end_array();
    w.end_object();
    return w.finish();
}

std::string json_ipsec_sas(const std::vector<IkeSaStatus>& sas) {
    JsonWriter w;
    w.begin_object();
    w.key("child_sas");
    w.begin_array();
    for (const auto& sa : sas) {
        for (const auto& c : sa.children) {
            w.begin_object();
            w.key("tunnel_id");
            w.value(static_cast<uint64_t>(sa.tunnel_id));
            w.key("local");
            w.value(sa.local);
            w.key("remote");
            w.value(sa.remote);
            w.key("username");
            w.value(sa_username(sa));
            w.key("assigned_address");
            w.value(sa.assigned_address);
            write_fields(w, c, child_sa_fields());
            w.end_object();
        }
    }
    w.end_array();
    w.end_object();
    return w.finish();
}

std::string json_sessions(const std::vector<SessionStatus>& sessions) {
    JsonWriter w;
    w.begin_object();
    w.key("sessions");
    w.begin_array();
    for (const auto& s : sessions) {
        w.begin_object();
        write_fields(w, s, session_fields());
        w.end_object();
    }
    w.end_array();
    w.end_object();
    return w.finish();
}

std::string json_stats(const GlobalStats& stats) {
    JsonWriter w;
    w.begin_object();
    w.key("stats");
    w.begin_object();
    write_fields(w, stats, stats_fields());
    w.end_object();
    w.end_object();
    return w.finish();
}

std::string json_number_result(const std::string& key, uint64_t n) {
    JsonWriter w;
    w.begin_object();
    w.key(key);
    w.value(n);
    w.end_object();
    return w.finish();
}

std::string json_text_result(const std::string& key, const std::string& text) {
    JsonWriter w;
    w.begin_object();
    w.key(key);
    w.value(text);
    w.end_object();
    return w.finish();
}

}  // namespace ikev2d::ikectl
