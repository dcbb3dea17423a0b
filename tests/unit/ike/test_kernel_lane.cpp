// Child SA installs on the kernel lane (issue 11, child_install.hpp): the loop hands the
// install to a lane of its own and answers IKE_AUTH / CREATE_CHILD_SA in the completion,
// so a kernel slow to ack holds up nobody else; an install whose IKE SA went away while
// it ran is undone.
#include <catch2/catch.hpp>

#include <poll.h>

#include <chrono>

#include "exchange_helpers.hpp"
#include "gateway_harness.hpp"
#include "test_initiator.hpp"
#include "util/serial_worker.hpp"

using namespace test_ike;
using namespace ikev2d;
using ikev2d::ike::find_payload;
using iana::ExchangeType;
using iana::PayloadType;
using std::chrono::milliseconds;

namespace {

const Endpoint kA{IpAddress::from_string("198.51.100.7"), 500};
const Endpoint kB{IpAddress::from_string("198.51.100.8"), 500};

std::vector<Bytes> psk_auth_request(TestInitiator& ini) {
    return ini.request(ExchangeType::IKE_AUTH, ini.auth_payloads("site@psk.test", kTestPsk, true));
}

// Plays the loop for the lane: waits (at most `timeout`) until the gateway sends
// something in a lane completion; returns what it sent.
std::vector<Bytes> await_lane_answer(GatewayHarness& h, util::SerialWorker& lane, milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    h.sent.clear();
    while (h.sent.empty() && std::chrono::steady_clock::now() < deadline) {
        pollfd p{lane.completion_fd(), POLLIN, 0};
        if (::poll(&p, 1, 50) > 0) lane.run_completions();
    }
    std::vector<Bytes> out;
    for (auto& s : h.sent) out.push_back(std::move(s.data));
    h.sent.clear();
    return out;
}

}  // namespace

TEST_CASE("kernel lane: a Child SA install held by the kernel does not hold up another client's IKE_SA_INIT",
          "[kernel-lane]") {
    GatewayHarness h;
    util::SerialWorker lane;  // a real thread, as in the daemon; the fake kernel is shared
    h.gateway->set_kernel_lane(h.kernel, lane);
    TestInitiator a(kA, h.local), b(kB, h.local);
    sa_init_ok(h, a);

    // The kernel takes its time with A's install (at most 3 s: code that waits for it on
    // this thread delays the next step instead of hanging the test).
    h.kernel.hold_installs(milliseconds(3000));
    CHECK(h.deliver(natt_of(kA), psk_auth_request(a)).empty());  // no answer before the kernel's
    REQUIRE(h.kernel.wait_for_held_install(milliseconds(2000)));

    // B's IKE_SA_INIT is answered while A's install is still held in the kernel.
    auto b_answer = h.deliver(kB, b.sa_init_request({}));
    REQUIRE(b_answer.size() == 1);
    CHECK(h.kernel.installs_held() == 1);
    b.process_sa_init_response(b_answer[0]);
    CHECK(b.keyed());
    CHECK(h.kernel.sas().empty());

    // The kernel acks: A's IKE_AUTH answer goes out from the lane's completion, as it
    // would have right after a synchronous install.
    h.kernel.release_installs();
    auto a_answer = await_lane_answer(h, lane, milliseconds(5000));
    REQUIRE(a_answer.size() == 1);
    auto payloads = a.open_response(a_answer);
    CHECK(error_notify(payloads) == 0);
    const auto* sa_payload = find_payload<wire::SaPayload>(payloads, PayloadType::SA);
    REQUIRE(sa_payload);
    REQUIRE(sa_payload->proposals.size() == 1);
    const std::uint32_t spi_in = load_be32(sa_payload->proposals[0].spi);
    CHECK(h.kernel.find_sa(h.local.addr, spi_in) != nullptr);  // the SPI answered is the one installed
    CHECK(h.kernel.sas().size() == 2);
    CHECK(h.kernel.policies().size() == 3);
    CHECK(established_sas(h) == 1);
    lane.stop();
}

TEST_CASE("kernel lane: an install that completes after its IKE SA went away leaves nothing in the kernel",
          "[kernel-lane]") {
    GatewayHarness h;
    TestInitiator a(kA, h.local);
    sa_init_ok(h, a);
    h.auto_complete = false;  // the install job waits until the test runs it
    CHECK(h.deliver(natt_of(kA), psk_auth_request(a)).empty());
    REQUIRE(h.jobs_in_flight() == 1);
    CHECK(h.kernel.call_count(kernel::FakeKernel::Op::Install) == 0);

    REQUIRE(h.gateway->sas().size() == 1);
    const std::uint32_t id = h.gateway->sas().begin()->second->unique_id;
    SECTION("disconnected by the administrator") { REQUIRE(h.gateway->disconnect(id, "administrator") == 1); }
    SECTION("the gateway shuts down") { h.gateway->shutdown(); }
    CHECK(live_sas(h) == 0);

    // The job runs now: the kernel gets the child, then the completion finds no SA and
    // has it removed again (on the lane too).
    CHECK(h.complete_jobs().empty());
    CHECK(h.kernel.call_count(kernel::FakeKernel::Op::Install) == 1);
    CHECK(h.kernel.call_count(kernel::FakeKernel::Op::AddSa) == 2);
    CHECK(h.kernel.call_count(kernel::FakeKernel::Op::AddClientRoute) == 1);
    CHECK(h.kernel.sas().empty());
    CHECK(h.kernel.larval_spis().empty());
    CHECK(h.kernel.policies().empty());
    CHECK(h.kernel.client_routes().empty());
    CHECK(h.jobs_in_flight() == 0);
}

TEST_CASE("kernel lane: a failed install answers as before and leaves nothing", "[kernel-lane]") {
    GatewayHarness h;
    TestInitiator a(kA, h.local);
    sa_init_ok(h, a);
    h.kernel.fail_next(kernel::FakeKernel::Op::AddPolicy, ENOMEM);
    auto out = h.deliver(natt_of(kA), psk_auth_request(a));
    REQUIRE(out.size() == 1);
    auto payloads = a.open_response(out);
    CHECK(error_notify(payloads) == code(iana::NotifyType::TEMPORARY_FAILURE));
    CHECK(h.kernel.sas().empty());
    CHECK(h.kernel.larval_spis().empty());
    CHECK(h.kernel.policies().empty());
    CHECK(h.kernel.client_routes().empty());
}

TEST_CASE("kernel lane: IKE_AUTH's time limit does not run out while the kernel installs the Child SA",
          "[kernel-lane]") {
    GatewayHarness h;  // auth_timeout_s = 30
    TestInitiator a(kA, h.local);
    sa_init_ok(h, a);
    h.auto_complete = false;
    CHECK(h.deliver(natt_of(kA), psk_auth_request(a)).empty());
    REQUIRE(h.jobs_in_flight() == 1);
    // The first install of a boot can take many seconds (modules load); the peer retransmits.
    CHECK(h.advance(60'000).empty());
    REQUIRE(live_sas(h) == 1);
    auto out = h.complete_jobs();
    REQUIRE(out.size() == 1);
    CHECK(error_notify(a.open_response(out)) == 0);
    CHECK(established_sas(h) == 1);
    CHECK(h.kernel.sas().size() == 2);
}
