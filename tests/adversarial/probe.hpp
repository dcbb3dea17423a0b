// The prober's harness: sends one hostile datagram, then a liveness probe the gateway must
// answer (an IKE_SA_INIT whose KE group is not the proposed one: RFC 7296 1.2 requires
// INVALID_KE_PAYLOAD, or a COOKIE while cookies are demanded). The gateway computes on
// worker threads, so a case's answer may come after the probe's: answers are told apart by
// the SPIi they echo, and one that belongs to an earlier case is judged against that case.
// No answer by then means the case was dropped, and the gateway provably still works.
#pragma once

#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "initiator.hpp"
#include "udp.hpp"

namespace adversarial {

struct Expect {
    enum class Kind {
        Drop,           // no answer
        Notify,         // an unencrypted IKE_SA_INIT answer with one of `types` and no SA
        DropOrNotify,   // either of the two (where RFC 7296 lets the responder choose)
        Accept,         // a normal IKE_SA_INIT answer (SA, KE, Nonce; no error notify)
        EncNotify,      // an answer protected with the case's IKE SA keys holding one of `types`
        EncAccept,      // a protected answer without error notify
    };
    Kind kind = Kind::Drop;
    std::vector<std::uint16_t> types;
    std::optional<Bytes> data;  // required notification data
    // Further checks of the answer: "" = fine, else why not.
    std::function<std::string(const peer::Message&)> check;

    std::string describe() const;
};

Expect drop();
Expect notify(std::uint16_t type, std::optional<Bytes> data = std::nullopt);
Expect notify_one_of(std::vector<std::uint16_t> types);
Expect drop_or_notify(std::uint16_t type);
Expect malformed();  // dropped or INVALID_SYNTAX (RFC 7296 2.21.1 allows both for IKE_SA_INIT)
Expect accept(std::function<std::string(const peer::Message&)> check = {});
Expect enc_notify(std::uint16_t type, std::optional<Bytes> data = std::nullopt);
Expect enc_accept(std::function<std::string(const peer::Message&)> check = {});

class Prober {
public:
    Prober(const UdpSocket& socket, Address gateway, int daemon_pid);

    // One case: `packet`, judged against `want`; `keys` decrypts protected answers.
    // Prints "PASS name" or "FAIL name: expected X got Y"; returns whether it passed.
    bool run(const std::string& name, const Bytes& packet, const Expect& want, const peer::Initiator* keys = nullptr);
    // Records a case judged elsewhere.
    void record(const std::string& name, bool passed, const std::string& detail);

    // Sends `packet` and returns the first answer with SPIi `spi_i` within timeout_ms.
    std::optional<Bytes> ask(const Bytes& packet, std::uint64_t spi_i, int timeout_ms = 3000);
    // IKE_SA_INIT for `initiator` over the prober's socket (cookies followed).
    bool half_open(peer::Initiator& initiator, std::string& error);

    int passed() const { return passed_; }
    int failed() const { return failed_; }
    const std::vector<std::string>& failures() const { return failures_; }
    const UdpSocket& socket() const { return socket_; }
    const Address& gateway() const { return gateway_; }

private:
    std::string judge(const std::vector<Bytes>& answers, const Expect& want, const peer::Initiator* keys,
                      std::string& got) const;

    // Moves the answers that echo the SPIi of an earlier case out of `answers` and judges
    // them against that case (a worker finished its DH after that case's probe came back).
    void judge_late_answers(std::vector<Bytes>& answers, std::optional<std::uint64_t> own_spi_i);

    struct RecentCase {
        std::string name;
        std::uint64_t spi_i;
        Expect want;
    };
    std::deque<RecentCase> recent_;  // the last unencrypted cases, newest last

    const UdpSocket& socket_;
    Address gateway_;
    int pid_;
    int passed_ = 0, failed_ = 0;
    std::vector<std::string> failures_;
};

// "INVALID_SYNTAX", "no answer", "IKE_SA_INIT accepted", ... for the report.
std::string describe_answer(const Bytes& packet, const peer::Initiator* keys);

}  // namespace adversarial
