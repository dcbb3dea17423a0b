// `ikectl dump`: the SA table for scripts, one tab-separated line per IKE SA followed
// by one line per Child SA of it, no headers, columns fixed (see ikectl(8), DUMP
// FORMAT). Empty fields are "-"; bytes that could break the line (control bytes,
// tab, newline, backslash) are written as \xNN, so every record is one line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "control/status.hpp"

namespace ikev2d::ikectl {

std::string format_dump(const std::vector<control::IkeSaStatus>& sas);
std::string dump_field(std::string_view text);  // exposed for the unit tests

}  // namespace ikev2d::ikectl
