// `ikectl show stats --prometheus`: GetStats in the Prometheus text exposition format
// (version 0.0.4), for node-exporter's textfile collector: ikev2d_ prefix, counters
// with _total, the current figures (half_open, active_sessions) and the start time as
// gauges, a # HELP and a # TYPE line before each sample.
#pragma once

#include <string>
#include <string_view>

#include "control/status.hpp"

namespace ikev2d::ikectl {

std::string format_prometheus(const control::GlobalStats& stats);
// The help text of a GetStats key, "" if it has none (the unit test checks that every
// key of control::stats_fields() has one).
std::string_view prometheus_help(std::string_view stats_key);

}  // namespace ikev2d::ikectl
