#include "legit_session.hpp"

#include "iana.hpp"

namespace adversarial {

using peer::Initiator;

LegitSession::LegitSession(const UdpSocket& socket, Address gateway, peer::InitiatorConfig config)
    : socket_(socket), gateway_(gateway), initiator_(std::move(config)) {}

bool LegitSession::answer_gateway_request(const Bytes& packet) {
    auto answer = initiator_.answer_request(packet);
    if (!answer) return false;
    socket_.send_to(gateway_, *answer);
    ++dpd_answered_;
    return true;
}

template <typename Accept>
LegitResult LegitSession::round_trip(const Bytes& request, double deadline, Accept accept) {
    LegitResult r;
    double next_send = 0;
    while (true) {
        const double now = now_s();
        if (now >= deadline) {
            r.error = "no answer before the deadline (" + std::to_string(r.sends) + " sends)";
            return r;
        }
        if (now >= next_send) {
            socket_.send_to(gateway_, request);
            ++r.sends;
            next_send = now + 1.0;
        }
        const double until = std::min(deadline, next_send);
        auto packet = socket_.receive(static_cast<int>((until - now_s()) * 1000) + 1);
        if (!packet) continue;
        if (answer_gateway_request(*packet)) continue;
        // 1: taken, 0: not ours (keep waiting), -1: a final failure.
        int verdict = accept(*packet, r.error);
        if (verdict == 1) {
            r.ok = true;
            return r;
        }
        if (verdict < 0) return r;
    }
}

LegitResult LegitSession::connect(double timeout_s) {
    const double start = now_s(), deadline = start + timeout_s;
    int total_sends = 0;
    while (true) {
        Bytes request = initiator_.sa_init_request();
        Initiator::Step step = Initiator::Step::Failed;
        LegitResult r = round_trip(request, deadline, [&](const Bytes& p, std::string& err) {
            auto h = peer::decode_header(p);
            if (!h || h->spi_i != initiator_.spi_i() || h->exchange != peer::iana::kIkeSaInit) return 0;
            step = initiator_.on_sa_init_response(p);
            if (step == Initiator::Step::Failed) {
                err = "IKE_SA_INIT: " + initiator_.error();
                return -1;
            }
            return 1;
        });
        total_sends += r.sends;
        if (!r.ok) {
            r.sends = total_sends;
            r.seconds = now_s() - start;
            if (r.error.rfind("IKE_SA_INIT", 0) != 0) r.error = "IKE_SA_INIT: " + r.error;
            return r;
        }
        if (step == Initiator::Step::Done) break;
    }
    // IKE_AUTH: one round with a PSK, several with EAP (each answer asks for the next).
    Bytes request = initiator_.auth_request();
    LegitResult r;
    while (true) {
        Initiator::Step step = Initiator::Step::Failed;
        const std::uint32_t mid = initiator_.auth_message_id();
        r = round_trip(request, deadline, [&](const Bytes& p, std::string& err) {
            auto h = peer::decode_header(p);
            if (!h || h->exchange != peer::iana::kIkeAuth || h->message_id != mid) return 0;
            step = initiator_.on_auth_response(p);
            if (step == Initiator::Step::Failed) {
                err = "IKE_AUTH: " + initiator_.error();
                return -1;
            }
            return 1;
        });
        total_sends += r.sends;
        if (!r.ok || step == Initiator::Step::Done) break;
        request = initiator_.auth_continuation();
    }
    r.sends = total_sends;
    if (!r.ok && r.error.rfind("IKE_AUTH", 0) != 0) r.error = "IKE_AUTH: " + r.error;
    r.seconds = now_s() - start;
    return r;
}

LegitResult LegitSession::ping(double timeout_s) {
    const double start = now_s();
    const std::uint32_t mid = initiator_.next_message_id();
    Bytes request = initiator_.informational_request();
    LegitResult r = round_trip(request, start + timeout_s, [&](const Bytes& p, std::string&) {
        return initiator_.open_response(p, mid) ? 1 : 0;
    });
    r.seconds = now_s() - start;
    return r;
}

LegitResult LegitSession::close(double timeout_s) {
    const double start = now_s();
    const std::uint32_t mid = initiator_.next_message_id();
    Bytes request = initiator_.delete_request();
    LegitResult r = round_trip(request, start + timeout_s, [&](const Bytes& p, std::string&) {
        return initiator_.open_response(p, mid) ? 1 : 0;
    });
    r.seconds = now_s() - start;
    return r;
}

void LegitSession::serve(double seconds) {
    const double deadline = now_s() + seconds;
    while (true) {
        const double left = deadline - now_s();
        if (left <= 0) return;
        if (auto p = socket_.receive(static_cast<int>(left * 1000) + 1)) answer_gateway_request(*p);
    }
}

}  // namespace adversarial
