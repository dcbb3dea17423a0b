#include "ikectl/dump_format.hpp"

#include <cstdio>

namespace ikev2d::ikectl {

using namespace ikev2d::control;

std::string dump_field(std::string_view text) {
    if (text.empty())
        return "-";
    std::string out;
    out.reserve(text.size());
    for (char ch : text) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x20 || c == 0x7F || c == '\\') {
            char buf[5];
            std::snprintf(buf, sizeof buf, "\\x%02X", c);
            out += buf;
        } else {
            out.push_back(ch);
        }
    }
    return out;
}

namespace {

std::string hex32(uint32_t v) {
    char buf[11];
    std::snprintf(buf, sizeof buf, "0x%08x", v);
    return buf;
}

// Joins the columns with tabs and ends the line.
template <class... T>
std::string line(const T&... columns) {
    std::string out;
    ((out += (out.empty() ? "" : "\t"), out += columns), ...);
    return out + "\n";
}

std::string n(uint64_t v) { return std::to_string(v); }

}  // namespace

std::string format_dump(const std::vector<IkeSaStatus>& sas) {
    std::string out;
    for (const auto& sa : sas) {
        const std::string& user = sa.eap_identity.empty() ? sa.remote_id : sa.eap_identity;
        out += line(std::string("ike"), n(sa.tunnel_id), dump_field(sa.status), dump_field(sa.local),
                    dump_field(sa.remote), dump_field(sa.local_spi), dump_field(sa.remote_spi), dump_field(user),
                    dump_field(sa.assigned_address), n(sa.established_at), n(sa.children.size()));
        for (const auto& c : sa.children)
            out += line(std::string("child"), n(sa.tunnel_id), n(c.unique_id), dump_field(c.state),
                        hex32(c.spi_in), hex32(c.spi_out), dump_field(c.local_ts), dump_field(c.remote_ts),
                        n(c.bytes_in), n(c.bytes_out), n(c.packets_in), n(c.packets_out), n(c.installed_at));
    }
    return out;
}

}  // namespace ikev2d::ikectl
