// Header-level cases: what arrives before any payload is read.
#include "cases.hpp"
#include "iana.hpp"
#include "raw_message.hpp"

namespace adversarial {

using namespace peer::iana;

peer::Initiator fresh_initiator(std::vector<std::uint16_t> groups) {
    peer::InitiatorConfig c;
    c.groups = std::move(groups);
    return peer::Initiator(c);
}

namespace {

std::string hex8(unsigned v) {
    char b[8];
    std::snprintf(b, sizeof b, "%02x", v & 0xff);
    return b;
}

// INVALID_MAJOR_VERSION answers carry the highest version the responder speaks (2.0) in
// their header (RFC 7296 2.5).
std::string answer_version_is_2(const peer::Message& m) {
    return (m.header.version >> 4) == 2 ? "" : "answer header version " + hex8(m.header.version);
}

}  // namespace

void header_cases(Prober& prober) {
    // Truncations of a valid IKE_SA_INIT at every length: below the 28-byte header there
    // is nothing to answer; above it the header's length no longer matches the datagram.
    {
        peer::Initiator ini = fresh_initiator();
        const Bytes whole = init_message(ini).encode();
        for (std::size_t len = 0; len < whole.size(); ++len) {
            peer::Initiator each = fresh_initiator();
            Bytes cut = init_message(each).encode();
            cut.resize(len);
            prober.run("truncated-init-" + std::to_string(len) + "-of-" + std::to_string(whole.size()), cut,
                       len < 28 ? drop() : malformed());
        }
    }
    // The header's Length lies about the datagram (RFC 7296 3.1).
    for (long delta : {1L, 100L, -1L, -4L}) {
        peer::Initiator ini = fresh_initiator();
        RawMessage m = init_message(ini);
        m.length = static_cast<std::uint32_t>(static_cast<long>(m.encode().size()) + delta);
        prober.run("header-length-" + std::string(delta > 0 ? "plus-" : "minus-") + std::to_string(std::labs(delta)),
                   m.encode(), malformed());
    }
    for (std::uint32_t len : {0u, 27u, 28u, 0xffffffffu}) {
        peer::Initiator ini = fresh_initiator();
        RawMessage m = init_message(ini);
        m.length = len;
        prober.run("header-length-" + std::to_string(len), m.encode(), malformed());
    }
    for (std::size_t extra : {1u, 16u}) {
        peer::Initiator ini = fresh_initiator();
        Bytes p = init_message(ini).encode();
        p.insert(p.end(), extra, 0);  // the header's length stays that of the message
        prober.run("datagram-longer-than-header-length-by-" + std::to_string(extra), p, malformed());
    }

    // Versions (RFC 7296 2.5): a higher major version is answered with INVALID_MAJOR_VERSION
    // naming 2.0; the minor version is ignored.
    for (unsigned v : {0x30u, 0x3fu, 0x40u, 0xf0u, 0xffu}) {
        peer::Initiator ini = fresh_initiator();
        RawMessage m = init_message(ini);
        m.header.version = static_cast<std::uint8_t>(v);
        Expect e = notify(kInvalidMajorVersion);
        e.check = answer_version_is_2;
        prober.run("version-" + hex8(v), m.encode(), e);
    }
    for (unsigned v : {0x10u, 0x00u}) {  // IKEv1 and 0.x: nothing requires an answer
        peer::Initiator ini = fresh_initiator();
        RawMessage m = init_message(ini);
        m.header.version = static_cast<std::uint8_t>(v);
        prober.run("version-" + hex8(v), m.encode(), drop_or_notify(kInvalidMajorVersion));
    }
    for (unsigned v : {0x21u, 0x2fu}) {
        peer::Initiator ini = fresh_initiator();
        RawMessage m = init_message(ini);
        m.header.version = static_cast<std::uint8_t>(v);
        prober.run("minor-version-" + hex8(v) + "-ignored", m.encode(), accept());
    }

    // Flags (RFC 7296 3.1): a "response" that answers nothing is dropped; a request without
    // the I bit is not an initiator's; the X bits and V are ignored.
    for (unsigned f : {0x28u, 0x20u}) {
        peer::Initiator ini = fresh_initiator();
        RawMessage m = init_message(ini);
        m.header.flags = static_cast<std::uint8_t>(f);
        prober.run("init-with-response-flag-" + hex8(f), m.encode(), drop());
    }
    {
        peer::Initiator ini = fresh_initiator();
        RawMessage m = init_message(ini);
        m.header.flags = 0;
        prober.run("init-without-initiator-flag", m.encode(), malformed());
    }
    for (unsigned f : {0x09u, 0x0au, 0x0cu, 0x48u, 0x88u, 0x18u, 0xcfu}) {
        peer::Initiator ini = fresh_initiator();
        RawMessage m = init_message(ini);
        m.header.flags = static_cast<std::uint8_t>(f);
        prober.run("init-flags-" + hex8(f) + "-reserved-bits-ignored", m.encode(), accept());
    }
    // IKE_SA_INIT must have message ID 0, a zero responder SPI and a non-zero initiator SPI.
    for (std::uint32_t mid : {1u, 0xffffffffu}) {
        peer::Initiator ini = fresh_initiator();
        RawMessage m = init_message(ini);
        m.header.message_id = mid;
        prober.run("init-message-id-" + std::to_string(mid), m.encode(), malformed());
    }
    {
        peer::Initiator ini = fresh_initiator();
        RawMessage m = init_message(ini);
        m.header.spi_r = 0x1122334455667788;
        prober.run("init-with-responder-spi", m.encode(), malformed());
        peer::Initiator ini2 = fresh_initiator();
        RawMessage z = init_message(ini2);
        z.header.spi_i = 0;
        prober.run("init-with-zero-initiator-spi", z.encode(), malformed());
    }

    // Exchange types that start nothing: no IKE SA has these SPIs (RFC 7296 2.21.4 allows
    // at most an INVALID_IKE_SPI notify).
    for (unsigned x : {0u, 1u, 2u, 4u, 5u, 32u, 33u, 38u, 43u, 44u, 100u, 200u, 240u, 255u}) {
        peer::Initiator ini = fresh_initiator();
        RawMessage m = init_message(ini);
        m.header.exchange = static_cast<std::uint8_t>(x);
        prober.run("unknown-exchange-" + std::to_string(x), m.encode(), drop_or_notify(kInvalidIkeSpi));
    }
    for (unsigned x : {kIkeAuth, kCreateChildSa, kInformational}) {
        for (bool response : {false, true}) {
            peer::Initiator ini = fresh_initiator();
            RawMessage m = init_message(ini);
            m.header.exchange = static_cast<std::uint8_t>(x);
            m.header.spi_r = 0x0badc0ffee000000ull | x;
            m.header.message_id = 1;
            if (response) m.header.flags = kFlagResponse;
            prober.run("exchange-" + std::to_string(x) + (response ? "-response" : "-request") + "-unknown-spis",
                       m.encode(), response ? drop() : drop_or_notify(kInvalidIkeSpi));
        }
    }
    {
        peer::Initiator ini = fresh_initiator();
        RawMessage m = init_message(ini);
        m.header.flags = kFlagResponse;
        m.header.spi_r = 0x42;
        prober.run("init-response-to-nothing", m.encode(), drop());
    }
}

}  // namespace adversarial
