#include "config/redirect_section.hpp"

#include "wire/redirect_data.hpp"

namespace ikev2d::config::detail {

namespace {
constexpr std::size_t kMaxGateways = 64;
}

std::optional<RedirectConfig> read_redirect_section(const TableReader& root, const std::string& file) {
    const auto* table = root.table("redirect");
    if (!table) return std::nullopt;
    TableReader r(*table, "[redirect]", file, {"gateways", "max_sessions", "when"});
    RedirectConfig out;
    const auto gateways = r.strings("gateways");
    if (!gateways || gateways->empty())
        r.fail_key("gateways", "name the gateways to redirect to, e.g. gateways = [\"198.51.100.2\"]");
    if (gateways->size() > kMaxGateways) r.fail_at((*gateways)[kMaxGateways].where, "at most 64 gateways");
    for (const Located& g : *gateways) {
        if (!wire::GatewayIdentity::parse(g.value))
            r.fail_at(g.where, "'" + g.value + "' is neither an IPv4 or IPv6 address nor a host name");
        out.gateways.push_back(g.value);
    }
    if (auto v = r.integer("max_sessions", 0, 10'000'000)) out.max_sessions = static_cast<std::uint32_t>(*v);
    if (auto v = r.string("when")) {
        if (v->value == "sa_init")
            out.when = RedirectWhen::SaInit;
        else if (v->value == "auth")
            out.when = RedirectWhen::Auth;
        else
            r.fail_at(v->where, "when must be \"sa_init\" or \"auth\", not '" + v->value + "'");
    }
    return out;
}

}  // namespace ikev2d::config::detail
