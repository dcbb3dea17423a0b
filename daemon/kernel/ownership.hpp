// How this daemon recognises what it installed in the kernel, so that flush_own() can
// remove exactly that (after a crash, too) and never another IKE daemon's state.
//
// SAs and policies: the reqid. Every reqid the protocol code passes is mapped into a
// reserved band, kernel_reqid = kOwnReqidBand | reqid (reqid < 2^24). SAs carry the
// reqid themselves and our policies carry it in their template, so one dump finds
// both. A reqid band was chosen over XFRMA_MARK because a mark changes which packets a
// policy/SA matches (mark & mask == value), and over a priority band because the
// protocol code chooses priorities for its own reasons. strongSwan and libreswan count
// reqids up from 1 (well below the band), so a coexisting daemon is not hit.
//
// Routes: the rtnetlink protocol number kRouteProtocol (0x1d, unassigned in
// linux/rtnetlink.h and /etc/iproute2/rt_protos), shown by `ip route` as "proto 29".
#pragma once

#include <cstdint>

namespace ikev2d::kernel {

inline constexpr std::uint32_t kOwnReqidBand = 0x1d000000;
inline constexpr std::uint32_t kOwnReqidMask = 0xff000000;
inline constexpr std::uint32_t kMaxProtocolReqid = 0x00ffffff;
inline constexpr std::uint8_t kRouteProtocol = 0x1d;

// Throws KernelError(EINVAL) for a reqid outside 0..kMaxProtocolReqid.
std::uint32_t to_kernel_reqid(std::uint32_t protocol_reqid);
inline constexpr bool is_own_reqid(std::uint32_t kernel_reqid) noexcept {
    return (kernel_reqid & kOwnReqidMask) == kOwnReqidBand;
}
inline constexpr std::uint32_t to_protocol_reqid(std::uint32_t kernel_reqid) noexcept {
    return kernel_reqid & kMaxProtocolReqid;
}

}  // namespace ikev2d::kernel
