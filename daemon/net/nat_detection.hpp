// NAT detection (RFC 7296 2.23): the data of NAT_DETECTION_SOURCE_IP and
// NAT_DETECTION_DESTINATION_IP notifies.
#pragma once

#include <cstdint>

#include "util/bytes.hpp"
#include "util/ip_address.hpp"

namespace ikev2d::net {

// SHA-1(SPIi | SPIr | IP address | port), all in network byte order; 20 bytes.
// SPIr is 0 in the IKE_SA_INIT request.
Bytes nat_detection_hash(std::uint64_t spi_i, std::uint64_t spi_r, const Endpoint& endpoint);

}  // namespace ikev2d::net
