#include "ike/radius_eap.hpp"

#include "eap/packet.hpp"
#include "ike/session_policy.hpp"
#include "util/log.hpp"
#include "util/printable.hpp"

namespace ikev2d::ike {
namespace {

std::unique_ptr<RadiusGrant> grant_of(const aaa::AccessReply& accepted) {
    auto grant = std::make_unique<RadiusGrant>();
    grant->framed_ip = accepted.framed_ip;
    grant->framed_pool = accepted.framed_pool;
    grant->classes = accepted.classes;
    grant->dns = accepted.dns;
    grant->session_timeout_s = accepted.session_timeout_s;
    grant->idle_timeout_s = accepted.idle_timeout_s;
    grant->filter_id = accepted.filter_id;
    grant->redirect_gateway = accepted.redirect_gateway;
    return grant;
}

void log_reply_problem(const IkeSa& sa, const aaa::AccessReply& reply) {
    if (reply.code == aaa::AccessReply::Code::NoAnswer || reply.code == aaa::AccessReply::Code::Error)
        LOG_ERR(Eap, "(%u): RADIUS: %s", sa.unique_id, reply.detail.c_str());
}

}  // namespace

Bytes start_radius_eap(GatewayContext& ctx, IkeSa& sa) {
    sa.eap_relay = std::make_unique<aaa::EapRelay>(sa.remote.addr.to_string(), sa.local.addr.to_string(), sa.unique_id);
    (void)ctx;
    return sa.eap_relay->start();
}

std::optional<aaa::AccessRequest> radius_access_request(GatewayContext& ctx, IkeSa& sa, ByteView client_packet,
                                                        std::string& refusal) {
    if (!ctx.radius) {
        refusal = "no RADIUS client (no [radius] in the configuration)";
        return std::nullopt;
    }
    return sa.eap_relay->on_client(client_packet, refusal);
}

eap::Outcome radius_outcome(GatewayContext& ctx, IkeSa& sa, const aaa::AccessReply& reply) {
    (void)ctx;
    log_reply_problem(sa, reply);
    eap::Outcome o = sa.eap_relay->on_server(reply);
    if (o.kind == eap::Outcome::Kind::Success) {
        sa.radius = grant_of(*sa.eap_relay->accepted());
        sa.msk = sa.eap_relay->msk();
        LOG_EXCH(Eap, "(%u): RADIUS accepted '%s'%s%s", sa.unique_id, printable(o.username).c_str(),
                 sa.radius->framed_ip ? ", Framed-IP-Address " : "",
                 sa.radius->framed_ip ? sa.radius->framed_ip->to_string().c_str() : "");
    }
    return o;
}

std::optional<aaa::AccessRequest> radius_password_request(GatewayContext& ctx, const IkeSa& sa,
                                                          const eap::PasswordCheckRequest& check, std::string& refusal) {
    if (!ctx.radius) {
        refusal = "no RADIUS client (no [radius] in the configuration)";
        return std::nullopt;
    }
    aaa::AccessRequest r;
    r.user_name = check.user.username;
    r.user_password = std::string(reinterpret_cast<const char*>(check.offered.data()), check.offered.size());
    r.calling_station_id = sa.remote.addr.to_string();
    r.called_station_id = sa.local.addr.to_string();
    r.nas_port = sa.unique_id;
    return r;
}

eap::PasswordCheck radius_password_outcome(IkeSa& sa, const aaa::AccessReply& reply) {
    log_reply_problem(sa, reply);
    if (reply.code != aaa::AccessReply::Code::Accept) return eap::PasswordCheck::Mismatch;
    sa.radius = grant_of(reply);
    LOG_EXCH(Eap, "(%u): RADIUS accepted the password (PAP)%s%s", sa.unique_id,
             sa.radius->framed_ip ? ", Framed-IP-Address " : "",
             sa.radius->framed_ip ? sa.radius->framed_ip->to_string().c_str() : "");
    return eap::PasswordCheck::Match;
}

const config::GroupConfig* group_after_radius(const config::Config& cfg, const IkeSa& sa) {
    if (sa.radius && !sa.radius->filter_id.empty()) {
        const config::GroupConfig* named = cfg.group(sa.radius->filter_id);
        if (named && named->radius_authentication) return named;
    }
    const config::GroupConfig* by_identity = group_for_identity(cfg, sa.peer_id);
    return by_identity && by_identity->radius_authentication ? by_identity : nullptr;
}

}  // namespace ikev2d::ike
