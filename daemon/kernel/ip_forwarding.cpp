#include "kernel/ip_forwarding.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <fstream>
#include <string>

#include "kernel/kernel_ipsec.hpp"
#include "util/log.hpp"

namespace ikev2d::kernel {

namespace {

std::string read_first_line(const std::string& path) {
    std::ifstream in(path);
    std::string line;
    std::getline(in, line);
    return line;
}

}  // namespace

bool enable_ip_forwarding(const std::string& path) {
    const int fd = open(path.c_str(), O_RDWR | O_CLOEXEC);
    if (fd < 0) throw KernelError(errno, "open " + path);
    char previous = '0';
    const bool read_ok = read(fd, &previous, 1) == 1;
    const int read_errno = errno;
    const bool write_ok = read_ok && pwrite(fd, "1\n", 2, 0) == 2;
    const int write_errno = errno;
    close(fd);
    if (!read_ok) throw KernelError(read_errno ? read_errno : EIO, "read " + path);
    if (!write_ok) throw KernelError(write_errno ? write_errno : EIO, "write " + path);
    return previous == '1';
}

void set_ip_forwarding(bool on, const std::string& path) {
    const int fd = open(path.c_str(), O_WRONLY | O_CLOEXEC);
    if (fd < 0) throw KernelError(errno, "open " + path);
    const bool ok = write(fd, on ? "1\n" : "0\n", 2) == 2;
    const int write_errno = errno;
    close(fd);
    if (!ok) throw KernelError(write_errno ? write_errno : EIO, "write " + path);
}

bool IpForwarding::marker_is_ours() const {
    if (marker_path_.empty()) return false;
    const std::string boot = read_first_line(boot_id_path_);
    return !boot.empty() && read_first_line(marker_path_) == boot;
}

void IpForwarding::write_marker() const {
    if (marker_path_.empty()) return;
    std::ofstream out(marker_path_, std::ios::trunc);
    out << read_first_line(boot_id_path_) << "\n";
    if (!out.flush()) LOG_ERR(Platform, "could not write %s: a killed daemon would not put %s forwarding back", marker_path_.c_str(), label_.c_str());
}

void IpForwarding::remove_marker() const noexcept {
    if (!marker_path_.empty()) std::remove(marker_path_.c_str());
}

bool IpForwarding::enable() {
    if (enabled_) return true;
    try {
        // An earlier run of this boot turned it on and was killed before it put it back.
        const bool left_by_killed_run = marker_is_ours();
        enabled_by_us_ = !enable_ip_forwarding(path_) || left_by_killed_run;
        enabled_ = true;
        if (enabled_by_us_) {
            write_marker();
            LOG_ERR(Platform, "%s forwarding enabled (%s was 0%s; put back at stop)", label_.c_str(), path_.c_str(),
                    left_by_killed_run ? " before an earlier run that did not stop cleanly" : "");
        } else {
            remove_marker();  // a stale one from an earlier boot
        }
    } catch (const KernelError& e) {
        LOG_ERR(Platform, "could not enable %s forwarding: %s", label_.c_str(), e.what());
    }
    return enabled_;
}

void IpForwarding::restore() noexcept {
    if (!enabled_) return;
    enabled_ = false;
    if (!enabled_by_us_) return;
    enabled_by_us_ = false;
    try {
        set_ip_forwarding(false, path_);
        remove_marker();
        LOG_ERR(Platform, "%s forwarding put back to 0 (%s)", label_.c_str(), path_.c_str());
    } catch (const std::exception& e) {
        LOG_ERR(Platform, "could not put %s forwarding back to 0: %s", label_.c_str(), e.what());
    }
}

}  // namespace ikev2d::kernel
