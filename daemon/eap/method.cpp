#include "eap/method.hpp"

#include <stdexcept>

namespace ikev2d::eap {

EapMethod::~EapMethod() = default;

Outcome EapMethod::resume(PasswordCheck) {
    throw std::logic_error("EAP method resumed without a password check in progress");
}

Outcome EapMethod::resume_job() {
    throw std::logic_error("EAP method resumed without a job in progress");
}

std::string loggable(std::string_view peer_text) {
    constexpr std::size_t kMaxLogged = 64;
    std::string out;
    for (char c : peer_text.substr(0, kMaxLogged)) {
        const auto u = static_cast<unsigned char>(c);
        out += (u < 0x20 || u == 0x7f) ? '?' : c;
    }
    if (peer_text.size() > kMaxLogged) out += "...";
    return out;
}

}  // namespace ikev2d::eap
