// Sends one record to the real journald through sd_journal_sendv. Exits 77 (skipped)
// when there is no journald socket on this machine.
#include <unistd.h>

#include <cstdio>

#include "util/log_record.hpp"

int main() {
    if (access("/run/systemd/journal/socket", W_OK) != 0) {
        std::printf("no /run/systemd/journal/socket: skipped\n");
        return 77;
    }
    using namespace ikev2d::log;
    LogFields f;
    f.event = "test";
    f.user = "ikev2d-unit-test";
    const Record r{Category::Platform, 2, Priority::Debug, "IKEv2-PLAT-2: ikev2d unit test record", &f};
    const int rc = send_to_journal(r, system_journal_send());
    if (rc < 0) {
        std::fprintf(stderr, "sd_journal_sendv failed: %d\n", rc);
        return 1;
    }
    return 0;
}
