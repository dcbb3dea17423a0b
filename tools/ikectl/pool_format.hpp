// `ikectl show pools`: one line per address pool with its range, size, leased and
// free addresses, under a header line (see ikectl(8)).
#pragma once

#include <string>
#include <vector>

#include "control/status.hpp"

namespace ikev2d::ikectl {

std::string format_pools(const std::vector<control::PoolStatus>& pools);

}  // namespace ikev2d::ikectl
