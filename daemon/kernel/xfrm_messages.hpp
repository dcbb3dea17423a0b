// Construction and parsing of XFRM netlink messages (linux/xfrm.h), with no socket:
// XfrmKernel sends what these build, and unit tests check the bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "kernel/kernel_ipsec.hpp"
#include "kernel/netlink_message.hpp"

namespace ikev2d::kernel::xfrm {

// SPI range handed to ALLOCSPI: 1..255 are reserved (RFC 4303 2.1); strongSwan's default
// range is used so that SPIs look familiar in captures.
inline constexpr std::uint32_t kSpiMin = 0xc0000000;
inline constexpr std::uint32_t kSpiMax = 0xcfffffff;

// "XFRM_MSG_NEWSA" etc., for error messages.
const char* message_name(std::uint16_t type) noexcept;

// NEWSA (or UPDSA to complete a larval SA from ALLOCSPI). Validates algorithms and key
// sizes and throws KernelError(EINVAL) naming the problem.
NlMessage new_sa(const SaConfig& sa, bool update);
NlMessage del_sa(const IpAddress& dst, std::uint32_t spi);
NlMessage get_sa(const IpAddress& dst, std::uint32_t spi);
NlMessage alloc_spi(const IpAddress& src, const IpAddress& dst, std::uint32_t reqid,
                    std::uint32_t min = kSpiMin, std::uint32_t max = kSpiMax);
NlMessage new_policy(const PolicyConfig& policy);
NlMessage del_policy(const Selector& selector, PolicyConfig::Dir dir);
NlMessage del_policy_by_index(std::uint32_t index, std::uint8_t kernel_dir);
// GETSA / GETPOLICY dump of the whole table.
NlMessage dump(std::uint16_t get_type);

std::uint8_t kernel_dir(PolicyConfig::Dir dir) noexcept;

// An SA as the kernel reports it (GETSA reply, dump entry, ALLOCSPI reply).
struct SaInfo {
    IpAddress src, dst;
    std::uint32_t spi = 0;  // host order
    std::uint8_t proto = 0;
    std::uint32_t kernel_reqid = 0;
    SaCounters counters;
};
// nullopt unless nlh is a NEWSA/UPDSA message with a complete xfrm_usersa_info.
std::optional<SaInfo> parse_sa(const nlmsghdr* nlh);

struct PolicyInfo {
    std::uint32_t index = 0;
    std::uint8_t kernel_dir = 0;
    Selector selector;
    std::vector<std::uint32_t> tmpl_kernel_reqids;
};
// nullopt unless nlh is a NEWPOLICY/UPDPOLICY message with a complete xfrm_userpolicy_info.
std::optional<PolicyInfo> parse_policy(const nlmsghdr* nlh);

// EXPIRE multicast message; the reqid stays in kernel form (the caller filters by band).
std::optional<KernelEvent> parse_expire(const nlmsghdr* nlh);

}  // namespace ikev2d::kernel::xfrm
