// Everything the IKE layer needs from daemon/eap in one include.
#pragma once

#include "eap/anyconnect.hpp"
#include "eap/credentials.hpp"
#include "eap/method.hpp"
#include "eap/packet.hpp"
#include "eap/server.hpp"
