// ikev2d: the IKEv2 remote-access gateway daemon. This file only wires the layers together.
#include <cstdio>

#include "ikev2d_build_config.h"

int main(int argc, char** argv) {
    (void)argc;
    (void)argv;
    std::printf("ikev2d %s\n", IKEV2D_VERSION);
    return 0;
}
