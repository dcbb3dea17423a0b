#include "config/client_services_section.hpp"

#include <nettle/sha1.h>

#include <fstream>
#include <iterator>

namespace ikev2d::config::detail {
namespace {

constexpr std::size_t kMaxProfileBytes = 1024 * 1024;

std::string sha1_hex(const std::string& data) {
    sha1_ctx ctx;
    sha1_init(&ctx);
    sha1_update(&ctx, data.size(), reinterpret_cast<const std::uint8_t*>(data.data()));
    std::uint8_t digest[SHA1_DIGEST_SIZE];
    sha1_digest(&ctx, sizeof digest, digest);
    return to_hex(ByteView(digest, sizeof digest));
}

}  // namespace

ClientServicesConfig read_client_services_section(const TableReader& root, const std::string& file) {
    ClientServicesConfig c;
    const auto* table = root.table("client_services");
    if (!table) return c;
    TableReader r(*table, "[client_services]", file, {"port", "max_connections"});
    if (auto v = r.integer("port", 0, 65535)) c.port = static_cast<std::uint16_t>(*v);
    if (auto v = r.integer("max_connections", 1, 1024)) c.max_connections = static_cast<std::uint32_t>(*v);
    return c;
}

void read_group_anyconnect_profile(const TableReader& r, const std::string& base_dir, GroupConfig& g) {
    auto v = r.string("anyconnect_profile");
    if (!v) return;
    std::string path = v->value;
    if (!path.empty() && path.front() != '/' && !base_dir.empty())
        path = base_dir.back() == '/' ? base_dir + path : base_dir + "/" + path;
    const auto slash = path.find_last_of('/');
    const std::string name = slash == std::string::npos ? path : path.substr(slash + 1);
    // The name becomes part of a URL path: plain characters only, and an XML file.
    const bool plain = !name.empty() && name.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                                                               "0123456789._-") == std::string::npos;
    if (!plain || name.size() < 5 || name.compare(name.size() - 4, 4, ".xml") != 0 || name.front() == '.')
        r.fail_at(v->where, "anyconnect_profile must name a .xml file of letters, digits, '.', '_' and '-'");
    std::ifstream in(path, std::ios::binary);
    if (!in) r.fail_at(v->where, "anyconnect_profile: cannot read '" + path + "'");
    std::string content;
    char buffer[8192];
    while (in.read(buffer, sizeof buffer) || in.gcount() > 0) {
        content.append(buffer, static_cast<std::size_t>(in.gcount()));
        if (content.size() > kMaxProfileBytes) r.fail_at(v->where, "anyconnect_profile: '" + path + "' is larger than 1 MiB");
    }
    if (in.bad()) r.fail_at(v->where, "anyconnect_profile: error reading '" + path + "'");
    if (content.empty()) r.fail_at(v->where, "anyconnect_profile: '" + path + "' is empty");
    g.anyconnect_profile = path;
    g.anyconnect_profile_name = name;
    g.anyconnect_profile_sha1 = sha1_hex(content);
    g.anyconnect_profile_xml = std::make_shared<const std::string>(std::move(content));
}

}  // namespace ikev2d::config::detail
