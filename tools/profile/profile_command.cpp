#include "profile/profile_command.hpp"

#include <fcntl.h>
#include <getopt.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <optional>

#include "ikev2d_build_config.h"
#include "profile/profile_writers.hpp"
#include "profile/proposal_mapping.hpp"

namespace ikev2d::profile {
namespace {

class UsageError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

void profile_usage(FILE* to) {
    std::fprintf(to,
                 "Usage: ikectl profile [--config FILE | --demo [--state-dir DIR]] --group GROUP [--user USER]\n"
                 "                      --format FORMAT [--server HOST] [--ca FILE] [-o OUT]\n"
                 "Formats:\n");
    for (const auto& f : profile_formats()) std::fprintf(to, "  %-13s %s\n", f.name, f.description);
}

std::string directory_of(const std::string& path) {
    const auto slash = path.rfind('/');
    return slash == std::string::npos ? "." : path.substr(0, slash == 0 ? 1 : slash);
}

void make_directories(const std::string& path) {
    for (std::size_t i = 1; i <= path.size(); ++i) {
        if (i < path.size() && path[i] != '/') continue;
        const std::string part = path.substr(0, i);
        if (::mkdir(part.c_str(), 0755) != 0 && errno != EEXIST)
            throw std::runtime_error("cannot create " + part + ": " + std::strerror(errno));
    }
}

}  // namespace

void write_output(const std::string& path, const std::string& text) {
    if (path.empty() || path == "-") {
        if (std::fwrite(text.data(), 1, text.size(), stdout) != text.size() || std::fflush(stdout) != 0)
            throw std::runtime_error("cannot write to standard output");
        return;
    }
    const std::string tmp = path + ".tmp";
    ::unlink(tmp.c_str());
    const int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0) throw std::runtime_error("cannot create " + tmp + ": " + std::strerror(errno));
    std::size_t done = 0;
    while (done < text.size()) {
        const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            const int err = errno;
            ::close(fd);
            ::unlink(tmp.c_str());
            throw std::runtime_error("cannot write " + tmp + ": " + std::strerror(err));
        }
        done += static_cast<std::size_t>(n);
    }
    if (::close(fd) != 0 || ::rename(tmp.c_str(), path.c_str()) != 0) {
        const int err = errno;
        ::unlink(tmp.c_str());
        throw std::runtime_error("cannot write " + path + ": " + std::strerror(err));
    }
}

int run_profile_command(int argc, char** argv) {
    std::string config_path = std::string(IKEV2D_SYSCONFDIR) + "/ikev2d.conf", state_dir = IKEV2D_STATEDIR;
    std::string group_name, user, format, server, out;
    std::optional<std::string> ca_file;
    bool demo = false;
    static const option long_options[] = {
        {"config", required_argument, nullptr, 'c'}, {"demo", no_argument, nullptr, 'D'},
        {"state-dir", required_argument, nullptr, 'S'}, {"group", required_argument, nullptr, 'g'},
        {"user", required_argument, nullptr, 'u'},   {"format", required_argument, nullptr, 'f'},
        {"server", required_argument, nullptr, 's'}, {"ca", required_argument, nullptr, 'a'},
        {"output", required_argument, nullptr, 'o'}, {"help", no_argument, nullptr, 'h'},
        {nullptr, 0, nullptr, 0},
    };
    optind = 1;
    int ch;
    try {
        while ((ch = getopt_long(argc, argv, "c:g:u:f:s:o:h", long_options, nullptr)) != -1) {
            switch (ch) {
                case 'c': config_path = optarg; break;
                case 'D': demo = true; break;
                case 'S': state_dir = optarg; break;
                case 'g': group_name = optarg; break;
                case 'u': user = optarg; break;
                case 'f': format = optarg; break;
                case 's': server = optarg; break;
                case 'a': ca_file = optarg; break;
                case 'o': out = optarg; break;
                case 'h': profile_usage(stdout); return 0;
                default: profile_usage(stderr); return 2;
            }
        }
        if (optind != argc) throw UsageError(std::string("unexpected argument: ") + argv[optind]);
        if (format.empty()) throw UsageError("--format is required");
        const ProfileFormat* fmt = find_profile_format(format);
        if (!fmt) throw UsageError("unknown format '" + format + "'");

        config::Config config;
        if (demo) {
            config = config::embedded_default(state_dir);
        } else {
            auto loaded = config::load_file(config_path);
            if (!loaded) throw std::runtime_error(loaded.error().to_string());
            config = std::move(loaded.value());
        }
        if (group_name.empty()) {
            if (config.groups.size() != 1) throw UsageError("--group is required (the configuration has several groups)");
            group_name = config.groups.front().name;
        }
        const config::GroupConfig* group = config.group(group_name);
        if (!group) {
            std::string known;
            for (const auto& g : config.groups) known += (known.empty() ? "" : ", ") + g.name;
            throw std::runtime_error("no group '" + group_name + "' in " + config.source + " (groups: " + known + ")");
        }
        if (const auto* u = config.user(user); !user.empty() && u && u->group != group->name)
            throw std::runtime_error("user '" + user + "' belongs to group '" + u->group + "', not '" + group->name + "'");

        ProfileInput in;
        in.config = &config;
        in.group = group;
        in.proposal = &group_ipsec_proposal(config, *group);
        in.user = user;
        in.server = server.empty() ? config.trustpoint.identity : server;
        if (in.server.empty()) throw UsageError("the configuration has no trustpoint identity: give --server HOST");
        in.remote_id = config.trustpoint.identity.empty() ? in.server : config.trustpoint.identity;
        in.name = user.empty() ? group->name : group->name + "-" + user;
        in.anchor = find_trust_anchor(config, ca_file);

        const ProfileDocument doc = fmt->write(in);
        write_output(out, doc.text);
        for (const auto& [name, content] : doc.side_files) {
            if (out.empty() || out == "-") break;  // on stdout the document carries them as notes
            const std::string path = directory_of(out) + "/" + name;
            make_directories(directory_of(path));
            write_output(path, content);
            std::fprintf(stderr, "ikectl: wrote %s\n", path.c_str());
        }
        return 0;
    } catch (const UsageError& e) {
        std::fprintf(stderr, "ikectl profile: %s\n", e.what());
        profile_usage(stderr);
        return 2;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "ikectl profile: %s\n", e.what());
        return 1;
    }
}

}  // namespace ikev2d::profile
