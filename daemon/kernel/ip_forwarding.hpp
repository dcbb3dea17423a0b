// IP forwarding of one family (/proc/sys/net/ipv4/ip_forward,
// /proc/sys/net/ipv6/conf/all/forwarding), switched on while clients have pools of that
// family and put back as it was found: a daemon that is stopped (or whose pools are all
// removed) leaves the host as it was. A marker file records "we turned it on" for the
// current boot, so that a daemon killed before it could put it back (SIGKILL, a crash)
// is corrected by the next run's stop.
#pragma once

#include <string>

namespace ikev2d::kernel {

inline constexpr const char* kIpv4ForwardingPath = "/proc/sys/net/ipv4/ip_forward";
inline constexpr const char* kIpv6ForwardingPath = "/proc/sys/net/ipv6/conf/all/forwarding";
inline constexpr const char* kBootIdPath = "/proc/sys/kernel/random/boot_id";

// Writes 1 to path. Returns the previous value; throws KernelError on failure.
bool enable_ip_forwarding(const std::string& path);
// Writes 0 or 1 there; throws KernelError on failure.
void set_ip_forwarding(bool on, const std::string& path);

class IpForwarding {
public:
    // label: "IPv4" or "IPv6", for the log. marker_path: where "we turned it on in boot
    // <id>" is kept; empty = nowhere (then a killed daemon's change stays until an admin
    // undoes it).
    IpForwarding(std::string label, std::string path, std::string marker_path = {},
                 std::string boot_id_path = kBootIdPath)
        : label_(std::move(label)), path_(std::move(path)), marker_path_(std::move(marker_path)),
          boot_id_path_(std::move(boot_id_path)) {}
    ~IpForwarding() { restore(); }
    IpForwarding(const IpForwarding&) = delete;
    IpForwarding& operator=(const IpForwarding&) = delete;
    // Switches forwarding on (once); logs and returns false when it cannot.
    bool enable();
    // Writes 0 back if enable() (or a killed earlier run, per the marker) changed it
    // from 0; never throws.
    void restore() noexcept;

private:
    bool marker_is_ours() const;  // the marker names this boot
    void write_marker() const;
    void remove_marker() const noexcept;

    std::string label_, path_, marker_path_, boot_id_path_;
    bool enabled_by_us_ = false;  // it was 0 and we (or our killed predecessor) wrote 1
    bool enabled_ = false;
};

}  // namespace ikev2d::kernel
