// The configuration used when /etc/ikev2d/ikev2d.conf does not exist: enough for a first
// connection from any standard client, with a demo user whose password is random.
#include <fcntl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

#include "config/config.hpp"
#include "config/defaults.hpp"
#include "util/bytes.hpp"

namespace ikev2d::config {
namespace {

// A file descriptor closed on every path out.
class Fd {
public:
    explicit Fd(int fd) noexcept : fd_(fd) {}
    ~Fd() {
        if (fd_ >= 0) ::close(fd_);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const noexcept { return fd_; }

private:
    int fd_;
};

[[noreturn]] void throw_errno(const std::string& what) {
    throw std::system_error(errno, std::generic_category(), what);
}

void make_dir(const std::string& path) {
    if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) return;
    if (errno == ENOENT) {
        auto slash = path.rfind('/');
        if (slash != std::string::npos && slash > 0) {
            make_dir(path.substr(0, slash));
            if (::mkdir(path.c_str(), 0700) == 0 || errno == EEXIST) return;
        }
    }
    throw_errno("cannot create " + path);
}

// 18 characters from a 57-symbol alphabet (no 0/O, 1/l/I): about 105 bits.
std::string random_password() {
    static constexpr char kAlphabet[] = "23456789abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
    constexpr unsigned kSymbols = sizeof kAlphabet - 1;
    std::string out;
    while (out.size() < 18) {
        std::uint8_t raw[32];
        if (::getrandom(raw, sizeof raw, 0) != static_cast<ssize_t>(sizeof raw)) throw_errno("getrandom");
        for (std::uint8_t b : raw) {
            // Rejection sampling keeps every symbol equally likely.
            if (b >= (256 / kSymbols) * kSymbols) continue;
            if (out.size() < 18) out.push_back(kAlphabet[b % kSymbols]);
        }
        secure_wipe(raw, sizeof raw);
    }
    return out;
}

std::string read_password(int fd, const std::string& path) {
    char buf[256];
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) throw_errno("cannot read " + path);
    std::string text(buf, static_cast<std::size_t>(n));
    secure_wipe(buf, sizeof buf);
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.pop_back();
    return text;
}

// The password is made once, so that it stays the same across restarts.
std::string demo_password(const std::string& state_dir) {
    const std::string path = demo_password_path(state_dir);
    make_dir(state_dir);
    Fd existing(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
    if (existing.get() >= 0) {
        std::string password = read_password(existing.get(), path);
        if (!password.empty()) return password;
    } else if (errno != ENOENT) {
        throw_errno("cannot open " + path);
    }
    std::string password = random_password();
    const std::string tmp = path + ".tmp";
    ::unlink(tmp.c_str());
    {
        Fd out(::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600));
        if (out.get() < 0) throw_errno("cannot create " + tmp);
        const std::string line = password + "\n";
        if (::write(out.get(), line.data(), line.size()) != static_cast<ssize_t>(line.size()) || ::fsync(out.get()) != 0)
            throw_errno("cannot write " + tmp);
    }
    // rename() makes the file appear complete or not at all.
    if (::rename(tmp.c_str(), path.c_str()) != 0) throw_errno("cannot rename " + tmp + " to " + path);
    return password;
}

std::string host_name() {
    char name[256] = {};
    if (::gethostname(name, sizeof name - 1) != 0 || name[0] == '\0') return "ikev2d";
    return name;
}

}  // namespace

std::string demo_password_path(const std::string& state_dir) { return state_dir + "/demo-password"; }

Config embedded_default(const std::string& state_dir) {
    Config c;
    c.source = "<embedded default>";
    c.global.state_dir = state_dir;
    c.ike_policies.push_back(detail::modern_ike_policy());
    c.ipsec_proposals.push_back(detail::modern_ipsec_proposal());
    c.pools.push_back(*parse_pool_range("default", "10.2.2.0/24"));

    GroupConfig g;
    g.name = "default";
    g.pool = "default";
    g.client_auth = ClientAuth::Eap;
    g.eap_methods = {iana::EapType::MSCHAPV2, iana::EapType::MD5, iana::EapType::GTC};
    g.ipsec_proposal = "default";
    g.local_networks.push_back(*IpPrefix::parse("0.0.0.0/0"));
    c.groups.push_back(std::move(g));
    c.default_group = "default";

    UserConfig demo;
    demo.name = "demo";
    demo.group = "default";
    demo.password = demo_password(state_dir);
    demo.nt_hash = nt_hash(*demo.password);
    c.users.push_back(std::move(demo));

    c.trustpoint.self_signed = true;
    c.trustpoint.certificate = state_dir + "/gateway-cert.pem";
    c.trustpoint.private_key = state_dir + "/gateway-key.pem";
    c.trustpoint.identity = host_name();
    return c;
}

}  // namespace ikev2d::config
