#include "aaa/radius_client.hpp"

#include <radcli/radcli.h>

#include <array>
#include <cstdlib>
#include <cstring>
#include <stdexcept>

#include "aaa/mppe_key.hpp"
#include "aaa/radius_dictionary.hpp"

namespace ikev2d::aaa {
namespace {

constexpr std::size_t kMaxAttributeValue = 253;

struct PairList {
    VALUE_PAIR* head = nullptr;
    PairList() = default;
    PairList(const PairList&) = delete;
    PairList& operator=(const PairList&) = delete;
    ~PairList() {
        // Received passwords/keys sit in these buffers: wipe before radcli frees them.
        for (VALUE_PAIR* p = head; p != nullptr; p = p->next) secure_wipe(p->strvalue, sizeof(p->strvalue));
        if (head) rc_avpair_free(head);
    }
};

struct AaaContext {
    RC_AAA_CTX* ctx = nullptr;
    ~AaaContext() {
        if (ctx) rc_aaa_ctx_free(ctx);
    }
};

std::string server_list(const RadiusSettings& s, bool accounting) {
    std::string out;
    for (const auto& srv : s.servers) {
        if (!out.empty()) out += ',';
        const bool v6 = srv.host.find(':') != std::string::npos;
        out += v6 ? "[" + srv.host + "]" : srv.host;
        out += ':' + std::to_string(accounting ? srv.acct_port : srv.auth_port) + ':' + srv.secret;
    }
    return out;
}

Bytes raw_value(VALUE_PAIR* vp) {
    char* data = nullptr;
    unsigned size = 0;
    if (rc_avpair_get_raw(vp, &data, &size) != 0 || data == nullptr) return {};
    return Bytes(reinterpret_cast<const std::uint8_t*>(data), reinterpret_cast<const std::uint8_t*>(data) + size);
}

std::optional<std::uint32_t> uint_value(VALUE_PAIR* vp) {
    std::uint32_t v = 0;
    if (rc_avpair_get_uint32(vp, &v) != 0) return std::nullopt;
    return v;
}

constexpr unsigned vendor_attr(std::uint32_t vendor, unsigned type) { return vendor << 16 | type; }

}  // namespace

struct RadiusClient::Handle {
    rc_handle* rh = nullptr;
    ~Handle() {
        if (!rh) return;
        // radcli 1.2's rc_config_free frees only the first server's name and secret: the
        // others' are freed (the secrets wiped) here, before rc_destroy.
        for (const char* option : {"authserver", "acctserver"}) {
            SERVER* srv = rc_conf_srv(rh, option);
            if (!srv) continue;
            for (int i = 1; i < srv->max && i < SERVER_MAX; ++i) {
                std::free(srv->name[i]);
                srv->name[i] = nullptr;
                if (srv->secret[i]) {
                    secure_wipe(srv->secret[i], std::strlen(srv->secret[i]));
                    std::free(srv->secret[i]);
                    srv->secret[i] = nullptr;
                }
            }
        }
        rc_destroy(rh);
    }
};

std::optional<std::string> settings_problem(const RadiusSettings& s) {
    if (s.servers.empty()) return "no RADIUS server";
    if (s.servers.size() > 7) return "at most 7 RADIUS servers";  // radcli's SERVER_MAX
    if (s.timeout_s == 0 || s.timeout_s > 60) return "timeout must be 1-60 s";
    if (s.retries == 0 || s.retries > 10) return "retries must be 1-10";
    for (const auto& srv : s.servers) {
        if (srv.host.empty()) return "a RADIUS server without an address";
        if (srv.host.find_first_of(",[] \t") != std::string::npos) return "bad RADIUS server address '" + srv.host + "'";
        if (srv.secret.empty()) return "RADIUS server " + srv.host + " has no secret";
        if (srv.secret.size() > 128) return "RADIUS server " + srv.host + ": secret longer than 128 characters";
        if (srv.secret.find_first_of(":, \t\r\n") != std::string::npos)
            return "RADIUS server " + srv.host + ": the secret may not contain ':', ',' or blanks";
        if (srv.auth_port == 0 || srv.acct_port == 0) return "RADIUS server " + srv.host + ": port 0";
    }
    return std::nullopt;
}

RadiusClient::RadiusClient(RadiusSettings settings) : settings_(std::move(settings)) {
    if (auto problem = settings_problem(settings_)) throw std::invalid_argument(*problem);
    release(acquire());  // a bad setting shows now, not at the first login
}

RadiusClient::~RadiusClient() = default;

std::unique_ptr<RadiusClient::Handle> RadiusClient::acquire() {
    {
        std::lock_guard lock(mutex_);
        if (!idle_.empty()) {
            auto h = std::move(idle_.back());
            idle_.pop_back();
            return h;
        }
    }
    auto h = std::make_unique<Handle>();
    h->rh = rc_new();
    if (!h->rh || !rc_config_init(h->rh)) throw std::runtime_error("radcli: cannot allocate a handle");
    const std::string auth = server_list(settings_, false), acct = server_list(settings_, true);
    const std::string timeout = std::to_string(settings_.timeout_s), retries = std::to_string(settings_.retries);
    struct Option {
        const char* name;
        const std::string* value;
    };
    const std::string deadtime = "0";
    for (const Option& o : {Option{"authserver", &auth}, Option{"acctserver", &acct}, Option{"radius_timeout", &timeout},
                            Option{"radius_retries", &retries}, Option{"radius_deadtime", &deadtime},
                            Option{"nas-identifier", &settings_.nas_identifier}}) {
        if (rc_add_config(h->rh, o.name, o.value->c_str(), "ikev2d", 0) != 0)
            throw std::runtime_error(std::string("radcli refused the setting ") + o.name);
    }
    if (rc_apply_config(h->rh) != 0) throw std::runtime_error("radcli: cannot apply the settings");
    const std::string_view dict = radius_dictionary();
    if (rc_read_dictionary_from_buffer(h->rh, dict.data(), dict.size()) != 0)
        throw std::runtime_error("radcli: cannot read the built-in dictionary");
    return h;
}

void RadiusClient::release(std::unique_ptr<Handle> handle) {
    std::lock_guard lock(mutex_);
    idle_.push_back(std::move(handle));
}

AccessReply RadiusClient::authenticate(const AccessRequest& request) {
    AccessReply reply;
    auto handle = acquire();
    rc_handle* rh = handle->rh;
    PairList send, received;
    auto add = [&](unsigned attribute, const void* value, int len, int vendor = 0) {
        if (!rc_avpair_add(rh, &send.head, static_cast<int>(attribute), value, len, vendor))
            throw std::runtime_error("radcli: cannot add attribute " + std::to_string(attribute));
    };
    try {
        add(attr::UserName, request.user_name.data(), static_cast<int>(request.user_name.size()));
        if (request.user_password)
            add(attr::UserPassword, request.user_password->data(), static_cast<int>(request.user_password->size()));
        for (std::size_t off = 0; off < request.eap_message.size(); off += kMaxAttributeValue) {
            const std::size_t n = std::min(kMaxAttributeValue, request.eap_message.size() - off);
            add(attr::EapMessage, request.eap_message.data() + off, static_cast<int>(n));
        }
        if (!request.state.empty()) add(attr::State, request.state.data(), static_cast<int>(request.state.size()));
        if (!request.calling_station_id.empty())
            add(attr::CallingStationId, request.calling_station_id.data(),
                static_cast<int>(request.calling_station_id.size()));
        if (!request.called_station_id.empty())
            add(attr::CalledStationId, request.called_station_id.data(),
                static_cast<int>(request.called_station_id.size()));
        const std::uint32_t port_type = 5;  // Virtual (RFC 2865 5.41)
        add(attr::NasPortType, &port_type, 4);
        const std::uint32_t service_type = 2;  // Framed
        add(attr::ServiceType, &service_type, 4);
    } catch (const std::exception& e) {
        release(std::move(handle));
        reply.detail = e.what();
        return reply;
    }

    AaaContext ctx;
    std::array<char, 4096> msg{};
    const int rc = rc_aaa_ctx(rh, &ctx.ctx, request.nas_port, send.head, &received.head, msg.data(), 1,
                              PW_ACCESS_REQUEST);
    switch (rc) {
        case OK_RC: reply.code = AccessReply::Code::Accept; break;
        case REJECT_RC: reply.code = AccessReply::Code::Reject; break;
        case CHALLENGE_RC: reply.code = AccessReply::Code::Challenge; break;
        case TIMEOUT_RC:
            reply.code = AccessReply::Code::NoAnswer;
            reply.detail = "no RADIUS server answered";
            break;
        default:
            reply.code = AccessReply::Code::Error;
            reply.detail = "RADIUS request failed (radcli code " + std::to_string(rc) + ")";
            break;
    }
    const char* secret = ctx.ctx ? rc_aaa_ctx_get_secret(ctx.ctx) : nullptr;
    const void* vector = ctx.ctx ? rc_aaa_ctx_get_vector(ctx.ctx) : nullptr;
    for (VALUE_PAIR* vp = received.head; vp != nullptr; vp = rc_avpair_next(vp)) {
        switch (vp->attribute) {
            case attr::EapMessage: append(reply.eap_message, raw_value(vp)); break;
            case attr::State: reply.state = raw_value(vp); break;
            case attr::Class: reply.classes.push_back(raw_value(vp)); break;
            case attr::FramedIpAddress:
                if (auto v = uint_value(vp)) reply.framed_ip = IpAddress::v4(*v);
                break;
            case attr::FramedPool: {
                Bytes b = raw_value(vp);
                reply.framed_pool.assign(b.begin(), b.end());
                break;
            }
            case attr::FilterId: {
                Bytes b = raw_value(vp);
                reply.filter_id.assign(b.begin(), b.end());
                break;
            }
            case attr::ReplyMessage: {
                Bytes b = raw_value(vp);
                reply.reply_message.append(b.begin(), b.end());
                break;
            }
            case attr::SessionTimeout: reply.session_timeout_s = uint_value(vp); break;
            case attr::IdleTimeout: reply.idle_timeout_s = uint_value(vp); break;
            case attr::AcctInterimInterval: reply.interim_interval_s = uint_value(vp); break;
            case vendor_attr(attr::kCisco, attr::CiscoAvPair): {
                Bytes b = raw_value(vp);
                std::string_view pair(reinterpret_cast<const char*>(b.data()), b.size());
                if (pair.starts_with(attr::kRedirectAvPair)) reply.redirect_gateway = pair.substr(attr::kRedirectAvPair.size());
                break;
            }
            case vendor_attr(attr::kMicrosoft, attr::MsPrimaryDns):
            case vendor_attr(attr::kMicrosoft, attr::MsSecondaryDns):
                if (auto v = uint_value(vp)) reply.dns.push_back(IpAddress::v4(*v));
                break;
            case vendor_attr(attr::kMicrosoft, attr::MsMppeSendKey):
            case vendor_attr(attr::kMicrosoft, attr::MsMppeRecvKey): {
                if (!secret || !vector) break;
                Bytes value = raw_value(vp);
                auto key = decrypt_mppe_key(value, secret, ByteView(static_cast<const std::uint8_t*>(vector), 16));
                secure_wipe(value.data(), value.size());
                if (!key) {
                    reply.detail = "malformed MS-MPPE key attribute";
                    break;
                }
                (vp->attribute == vendor_attr(attr::kMicrosoft, attr::MsMppeSendKey) ? reply.mppe_send_key
                                                                                     : reply.mppe_recv_key) =
                    std::move(*key);
                break;
            }
            default: break;
        }
    }
    release(std::move(handle));
    return reply;
}

bool RadiusClient::account(const AccountingRequest& request, std::string& detail) {
    auto handle = acquire();
    rc_handle* rh = handle->rh;
    PairList send, received;
    bool ok = true;
    auto add = [&](unsigned attribute, const void* value, int len) {
        if (ok && !rc_avpair_add(rh, &send.head, static_cast<int>(attribute), value, len, 0)) ok = false;
    };
    auto add_u32 = [&](unsigned attribute, std::uint32_t v) { add(attribute, &v, 4); };
    add_u32(attr::AcctStatusType, static_cast<std::uint32_t>(request.status));
    add(attr::AcctSessionId, request.session_id.data(), static_cast<int>(request.session_id.size()));
    add(attr::UserName, request.user_name.data(), static_cast<int>(request.user_name.size()));
    if (request.framed_ip && request.framed_ip->family == AF_INET)
        add_u32(attr::FramedIpAddress, load_be32(request.framed_ip->view()));
    if (!request.calling_station_id.empty())
        add(attr::CallingStationId, request.calling_station_id.data(), static_cast<int>(request.calling_station_id.size()));
    add_u32(attr::NasPortType, 5);
    for (const Bytes& c : request.classes)
        add(attr::Class, c.data(), static_cast<int>(std::min(c.size(), kMaxAttributeValue)));
    if (request.status != AcctStatus::Start) {
        add_u32(attr::AcctInputOctets, static_cast<std::uint32_t>(request.input_octets));
        add_u32(attr::AcctOutputOctets, static_cast<std::uint32_t>(request.output_octets));
        add_u32(attr::AcctInputGigawords, static_cast<std::uint32_t>(request.input_octets >> 32));
        add_u32(attr::AcctOutputGigawords, static_cast<std::uint32_t>(request.output_octets >> 32));
        add_u32(attr::AcctInputPackets, request.input_packets);
        add_u32(attr::AcctOutputPackets, request.output_packets);
        add_u32(attr::AcctSessionTime, request.session_time_s);
    }
    if (request.status == AcctStatus::Stop && request.terminate_cause)
        add_u32(attr::AcctTerminateCause, *request.terminate_cause);
    if (!ok) {
        release(std::move(handle));
        detail = "radcli: cannot build the accounting request";
        return false;
    }
    std::array<char, 4096> msg{};
    const int rc = rc_aaa(rh, request.nas_port, send.head, &received.head, msg.data(), 1, PW_ACCOUNTING_REQUEST);
    release(std::move(handle));
    if (rc == OK_RC) return true;
    detail = rc == TIMEOUT_RC ? "no RADIUS accounting server answered"
                              : "RADIUS accounting failed (radcli code " + std::to_string(rc) + ")";
    return false;
}

}  // namespace ikev2d::aaa
