#include "ikectl/pool_format.hpp"

#include <algorithm>
#include <cstdio>

namespace ikev2d::ikectl {

std::string format_pools(const std::vector<control::PoolStatus>& pools) {
    if (pools.empty())
        return "No address pools configured\n";
    size_t name_width = 4, range_width = 5;
    for (const auto& p : pools) {
        name_width = std::max(name_width, p.name.size());
        range_width = std::max(range_width, p.first.size() + 1 + p.last.size());
    }
    std::string out;
    auto row = [&](const std::string& name, const std::string& range, const std::string& size,
                   const std::string& leased, const std::string& free) {
        char buf[64];
        std::string l = name + std::string(name_width - name.size() + 2, ' ') + range +
                        std::string(range_width - range.size() + 2, ' ');
        std::snprintf(buf, sizeof buf, "%10s %10s %10s", size.c_str(), leased.c_str(), free.c_str());
        out += l + buf + "\n";
    };
    row("Pool", "Range", "Size", "Leased", "Free");
    for (const auto& p : pools)
        row(p.name, p.first + "-" + p.last, std::to_string(p.size), std::to_string(p.leased),
            std::to_string(p.size >= p.leased ? p.size - p.leased : 0));
    return out;
}

}  // namespace ikev2d::ikectl
