// Prints one ikectl JSON document for the seed table (plus hostile strings), so that
// check_json.py can parse it with Python's json module: an independent validator.
#include <cstdio>
#include <cstring>

#include "ikectl/json_format.hpp"
#include "seed_table.hpp"

int main(int argc, char** argv) {
    using namespace ikev2d::ikectl;
    if (argc != 2)
        return 2;
    auto sa = seed::ike_sa();
    static constexpr char kHostile[] = "quote\" back\\ nl\n ctl\x01 bad\xff utf8 \xea\xb0\x80";
    sa.remote_id = std::string(kHostile, sizeof kHostile - 1);
    auto session = seed::session();
    session.username = sa.remote_id;
    std::string out;
    if (!std::strcmp(argv[1], "sa"))
        out = json_ike_sas({sa, seed::ike_sa()});
    else if (!std::strcmp(argv[1], "ipsec"))
        out = json_ipsec_sas({sa});
    else if (!std::strcmp(argv[1], "sessions"))
        out = json_sessions({session});
    else if (!std::strcmp(argv[1], "stats"))
        out = json_stats(seed::stats());
    else
        return 2;
    std::fputs(out.c_str(), stdout);
    return 0;
}
