// ikev2d: the IKEv2 remote-access gateway daemon. This file only hands over to app::Daemon.
#include "app/daemon.hpp"
#include "app/options.hpp"

int main(int argc, char** argv) {
    ikev2d::app::Daemon daemon(ikev2d::app::parse_options(argc, argv));
    return daemon.run();
}
