// IP forwarding is switched on for the clients' pools and put back as it was found.
// Runs against a scratch file standing in for /proc/sys/net/ipv4/ip_forward (or IPv6's).
#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

#include "kernel/ip_forwarding.hpp"

using ikev2d::kernel::IpForwarding;

namespace {

struct SysctlFile {
    std::string path;
    explicit SysctlFile(const char* value) {
        std::string templ = (std::filesystem::temp_directory_path() / "ikev2d-ip_forward-XXXXXX").string();
        const int fd = ::mkstemp(templ.data());
        REQUIRE(fd >= 0);
        ::close(fd);
        path = templ;
        std::ofstream(path) << value;
    }
    ~SysctlFile() { std::filesystem::remove(path); }
    std::string value() const {
        std::string v;
        std::ifstream(path) >> v;
        return v;
    }
};

}  // namespace

TEST_CASE("forwarding that was off is switched on and put back off", "[kernel][forwarding]") {
    SysctlFile f("0\n");
    {
        IpForwarding fw("IPv4", f.path);
        CHECK(f.value() == "0");  // nothing until asked
        REQUIRE(fw.enable());
        CHECK(f.value() == "1");
        CHECK(fw.enable());  // idempotent
        fw.restore();
        CHECK(f.value() == "0");
        REQUIRE(fw.enable());  // pools again after a reload
        CHECK(f.value() == "1");
    }
    CHECK(f.value() == "0");  // the destructor puts it back too
}

TEST_CASE("forwarding that was already on stays on", "[kernel][forwarding]") {
    SysctlFile f("1\n");
    {
        IpForwarding fw("IPv4", f.path);
        REQUIRE(fw.enable());
        fw.restore();
        CHECK(f.value() == "1");
    }
    CHECK(f.value() == "1");
}

TEST_CASE("a forwarding switch never enabled writes nothing", "[kernel][forwarding]") {
    SysctlFile f("0\n");
    { IpForwarding fw("IPv4", f.path); }
    CHECK(f.value() == "0");
}

TEST_CASE("an unwritable switch is reported, not thrown", "[kernel][forwarding]") {
    IpForwarding fw("IPv4", "/nonexistent/ip_forward");
    CHECK_FALSE(fw.enable());
}

TEST_CASE("a daemon killed before it put forwarding back is corrected by the next run", "[kernel][forwarding]") {
    SysctlFile sysctl("0\n"), boot("6a2e0b1c-boot-one\n"), marker("");
    {
        IpForwarding fw("IPv4", sysctl.path, marker.path, boot.path);
        REQUIRE(fw.enable());
        CHECK(marker.value() == "6a2e0b1c-boot-one");  // what a killed run leaves behind
        fw.restore();
        CHECK(sysctl.value() == "0");
        CHECK_FALSE(std::filesystem::exists(marker.path));  // a clean stop takes it away
    }
    // The earlier run was killed: forwarding is 1 and its marker names this boot.
    std::ofstream(sysctl.path) << "1\n";
    std::ofstream(marker.path) << "6a2e0b1c-boot-one\n";
    {
        IpForwarding fw("IPv4", sysctl.path, marker.path, boot.path);
        REQUIRE(fw.enable());
        CHECK(sysctl.value() == "1");
    }
    CHECK(sysctl.value() == "0");  // it was 0 before the killed run
    CHECK_FALSE(std::filesystem::exists(marker.path));
}

TEST_CASE("a marker from an earlier boot does not turn an admin's forwarding off", "[kernel][forwarding]") {
    SysctlFile sysctl("1\n"), boot("6a2e0b1c-boot-two\n"), marker("6a2e0b1c-boot-one\n");
    {
        IpForwarding fw("IPv4", sysctl.path, marker.path, boot.path);
        REQUIRE(fw.enable());
    }
    CHECK(sysctl.value() == "1");
    CHECK_FALSE(std::filesystem::exists(marker.path));  // the stale marker is gone
}
