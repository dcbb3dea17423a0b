// The load generator's own ceiling: a "gateway" that answers every IKE_SA_INIT request
// at once with a fixed response (the request's SPI, a fresh responder SPI, a canned SA,
// KE and Nonce), doing no cryptography. ike_load --mode init against it measures what
// the generator itself can drive.
//
//   trivial_responder --listen IP [--port 500] [--seconds S]
//
// Stops after S seconds (default 60); prints how many requests it answered.
#include <poll.h>

#include <cstdio>
#include <cstring>
#include <string>

#include "codec.hpp"
#include "iana.hpp"
#include "payloads.hpp"
#include "udp.hpp"

using namespace peer::iana;
using adversarial::Address;
using adversarial::UdpSocket;
using adversarial::now_s;

int main(int argc, char** argv) {
    std::string listen;
    std::uint16_t port = 500;
    double seconds = 60;
    for (int i = 1; i + 1 < argc; i += 2) {
        const std::string a = argv[i];
        if (a == "--listen") listen = argv[i + 1];
        else if (a == "--port") port = static_cast<std::uint16_t>(std::stoi(argv[i + 1]));
        else if (a == "--seconds") seconds = std::stod(argv[i + 1]);
    }
    if (listen.empty() || argc % 2 == 0) {
        std::fprintf(stderr, "usage: trivial_responder --listen IP [--port 500] [--seconds S]\n");
        return 2;
    }
    UdpSocket sock(Address::parse(listen, port));
    peer::Header h;
    h.exchange = kIkeSaInit;
    h.flags = kFlagResponse;
    const std::vector<peer::Transform> chosen{{kTransEncr, kEncrAesGcm16, 256, {}},
                                              {kTransPrf, kPrfHmacSha256, std::nullopt, {}},
                                              {kTransDh, kDhCurve25519, std::nullopt, {}}};
    peer::Bytes base_point(32, 0);
    base_point[0] = 9;  // a valid X25519 public value (RFC 7748 4.1)
    const peer::Bytes response_template = peer::encode_message(
        h, {peer::make_payload(kSA, peer::sa_body({peer::Proposal{1, kProtoIke, {}, chosen}})),
            peer::make_payload(kKE, peer::ke_body(kDhCurve25519, base_point)),
            peer::make_payload(kNonce, peer::Bytes(32, 0x5a))});
    peer::Bytes buffer(65536), response = response_template;
    std::uint64_t answered = 0;
    const double stop = now_s() + seconds;
    pollfd p{sock.fd(), POLLIN, 0};
    Address from;
    while (now_s() < stop) {
        if (poll(&p, 1, 100) <= 0) continue;
        while (auto request = sock.receive_now(buffer, &from)) {
            auto rh = peer::decode_header(*request);
            if (!rh || rh->exchange != kIkeSaInit || (rh->flags & kFlagResponse)) continue;
            std::memcpy(response.data(), request->data(), 8);  // the initiator's SPI
            const std::uint64_t spi_r = ++answered;
            for (int b = 0; b < 8; ++b) response[8 + static_cast<std::size_t>(b)] = static_cast<std::uint8_t>(spi_r >> (56 - 8 * b));
            sock.send_to(from, response);
        }
    }
    std::printf("TRIVIAL_RESPONDER answered=%llu\n", static_cast<unsigned long long>(answered));
    return 0;
}
