// The RADIUS attributes the gateway sends and reads, as a radcli dictionary: built in,
// so that the daemon does not depend on the dictionary files of a radcli package.
#pragma once

#include <cstdint>
#include <string_view>

namespace ikev2d::aaa {

std::string_view radius_dictionary();

// Attribute numbers (RFC 2865/2866/2869/3579/2548); vendor attributes as radcli keys
// them: vendor << 16 | type.
namespace attr {
constexpr std::uint32_t kMicrosoft = 311;
constexpr unsigned UserName = 1, UserPassword = 2, NasPort = 5, ServiceType = 6, FramedIpAddress = 8,
                   FilterId = 11, ReplyMessage = 18, State = 24, Class = 25, SessionTimeout = 27, IdleTimeout = 28,
                   CalledStationId = 30, CallingStationId = 31, NasIdentifier = 32, AcctStatusType = 40,
                   AcctInputOctets = 42, AcctOutputOctets = 43, AcctSessionId = 44, AcctSessionTime = 46,
                   AcctInputPackets = 47, AcctOutputPackets = 48, AcctTerminateCause = 49, AcctInputGigawords = 52,
                   AcctOutputGigawords = 53, NasPortType = 61, EapMessage = 79, MessageAuthenticator = 80,
                   AcctInterimInterval = 85, FramedPool = 88;
constexpr unsigned MsMppeSendKey = 16, MsMppeRecvKey = 17, MsPrimaryDns = 28, MsSecondaryDns = 29;
// Cisco-AVPair "ikev2d:redirect=<gateway>": send the user to that gateway (RFC 5685, ike/redirect.hpp).
constexpr std::uint32_t kCisco = 9;
constexpr unsigned CiscoAvPair = 1;
inline constexpr std::string_view kRedirectAvPair = "ikev2d:redirect=";
}  // namespace attr

}  // namespace ikev2d::aaa
