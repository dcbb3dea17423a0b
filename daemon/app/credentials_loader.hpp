// Turns the configured trustpoint into the gateway's credentials: its certificate
// chain and key (made and kept under the state directory for a self-signed
// trustpoint, like the ASA's `enrollment self`) and the CAs that sign client certificates.
#pragma once

#include <memory>

#include "config/config.hpp"
#include "ike/context.hpp"

namespace ikev2d::app {

enum class SelfSigned {
    Create,     // the running daemon: make the certificate and key when they are missing
    ReadOnly,   // --check-config: read them if they exist, never write anything
};

// Throws std::runtime_error naming the file and the reason.
std::shared_ptr<const ike::Credentials> load_credentials(const config::Config& config,
                                                         SelfSigned self_signed = SelfSigned::Create);

}  // namespace ikev2d::app
