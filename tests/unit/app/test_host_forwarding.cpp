// The host forwards each family while the configuration has a pool of that family
// (IPv4: ip_forward, IPv6: conf/all/forwarding), and puts each back as it was found,
// also after a killed run (the per-family markers in the state directory).
// Runs against scratch files standing in for /proc/sys.
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "app/host_forwarding.hpp"
#include "config/pool_config.hpp"

using ikev2d::app::HostForwarding;
namespace fs = std::filesystem;

namespace {

struct ScratchHost {
    fs::path dir;
    HostForwarding::Paths paths;
    ScratchHost() {
        std::string templ = (fs::temp_directory_path() / "ikev2d-forwarding-XXXXXX").string();
        REQUIRE(::mkdtemp(templ.data()) != nullptr);
        dir = templ;
        fs::create_directory(dir / "state");
        paths.ipv4 = (dir / "ip_forward").string();
        paths.ipv6 = (dir / "ipv6_forwarding").string();
        paths.boot_id = (dir / "boot_id").string();
        write(paths.ipv4, "0");
        write(paths.ipv6, "0");
        write(paths.boot_id, "5d1c-boot");
    }
    ~ScratchHost() { fs::remove_all(dir); }
    std::string state() const { return (dir / "state").string(); }
    static void write(const std::string& path, const char* value) { std::ofstream(path) << value << "\n"; }
    static std::string read(const std::string& path) {
        std::string v;
        std::ifstream(path) >> v;
        return v;
    }
};

ikev2d::config::Config with_pools(std::initializer_list<const char*> ranges) {
    ikev2d::config::Config c;
    int n = 0;
    for (const char* r : ranges) {
        auto pool = ikev2d::config::parse_pool_range("p" + std::to_string(n++), r);
        REQUIRE(pool);
        c.pools.push_back(*pool);
    }
    return c;
}

}  // namespace

TEST_CASE("an IPv6 pool switches IPv6 forwarding on and leaves IPv4 alone", "[app][forwarding]") {
    ScratchHost host;
    {
        HostForwarding fw(host.state(), host.paths);
        fw.apply(with_pools({"2001:db8:8::/120"}));
        CHECK(ScratchHost::read(host.paths.ipv6) == "1");
        CHECK(ScratchHost::read(host.paths.ipv4) == "0");
        CHECK(fs::exists(host.dir / "state" / "ip6-forward-enabled"));
        CHECK_FALSE(fs::exists(host.dir / "state" / "ip-forward-enabled"));
    }
    CHECK(ScratchHost::read(host.paths.ipv6) == "0");  // put back at stop
    CHECK_FALSE(fs::exists(host.dir / "state" / "ip6-forward-enabled"));
}

TEST_CASE("dual-stack pools switch both families on; a reload without the IPv6 pool puts IPv6 back", "[app][forwarding]") {
    ScratchHost host;
    HostForwarding fw(host.state(), host.paths);
    fw.apply(with_pools({"10.2.2.0/24", "2001:db8:8::/120"}));
    CHECK(ScratchHost::read(host.paths.ipv4) == "1");
    CHECK(ScratchHost::read(host.paths.ipv6) == "1");
    fw.apply(with_pools({"10.2.2.0/24"}));
    CHECK(ScratchHost::read(host.paths.ipv4) == "1");
    CHECK(ScratchHost::read(host.paths.ipv6) == "0");
    fw.restore();
    CHECK(ScratchHost::read(host.paths.ipv4) == "0");
}

TEST_CASE("forwarding = false leaves both families alone", "[app][forwarding]") {
    ScratchHost host;
    HostForwarding fw(host.state(), host.paths);
    auto config = with_pools({"10.2.2.0/24", "2001:db8:8::/120"});
    config.global.forwarding = false;
    fw.apply(config);
    CHECK(ScratchHost::read(host.paths.ipv4) == "0");
    CHECK(ScratchHost::read(host.paths.ipv6) == "0");
}

TEST_CASE("IPv6 forwarding left on by a killed run is put back by the next run", "[app][forwarding]") {
    ScratchHost host;
    // The killed run: it found 0, wrote 1 and its marker, and never stopped.
    ScratchHost::write(host.paths.ipv6, "1");
    ScratchHost::write((host.dir / "state" / "ip6-forward-enabled").string(), "5d1c-boot");
    {
        HostForwarding fw(host.state(), host.paths);
        fw.apply(with_pools({"2001:db8:8::/120"}));
        CHECK(ScratchHost::read(host.paths.ipv6) == "1");
    }
    CHECK(ScratchHost::read(host.paths.ipv6) == "0");
    CHECK(ScratchHost::read(host.paths.ipv4) == "0");  // IPv4's own marker was never there
}
