// FakeKernel behaves like the kernel where the protocol code could get it wrong.
#include <catch2/catch.hpp>

#include <poll.h>

#include <cerrno>
#include <vector>

#include "kernel/fake_kernel.hpp"

using namespace ikev2d;
using namespace ikev2d::kernel;

namespace {

IpAddress ip(const char* text) { return IpAddress::from_string(text); }

SaConfig sa_for(std::uint32_t spi) {
    SaConfig sa;
    sa.src = ip("198.51.100.7");
    sa.dst = ip("203.0.113.1");
    sa.spi = spi;
    sa.reqid = 1;
    sa.inbound = true;
    sa.encr = iana::EncrId::AES_GCM_16;
    sa.encr_key_bits = 128;
    sa.encr_key = SecureBytes(20);
    sa.encr_key[0] = 0xaa;
    return sa;
}

int error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const KernelError& e) {
        return e.err;
    }
    return 0;
}

bool readable(int fd) {
    pollfd p{fd, POLLIN, 0};
    return poll(&p, 1, 0) == 1;
}

}  // namespace

TEST_CASE("FakeKernel records SAs with their keys and completes larval SAs", "[kernel][fake]") {
    FakeKernel kernel;
    const std::uint32_t spi = kernel.alloc_spi(ip("198.51.100.7"), ip("203.0.113.1"), 1);
    CHECK(spi >= 0xc0000000);
    CHECK(kernel.larval_spis().count({ip("203.0.113.1"), spi}) == 1);
    CHECK(kernel.alloc_spi(ip("198.51.100.7"), ip("203.0.113.1"), 1) != spi);

    kernel.add_sa(sa_for(spi));
    CHECK(kernel.larval_spis().count({ip("203.0.113.1"), spi}) == 0);
    const SaConfig* stored = kernel.find_sa(ip("203.0.113.1"), spi);
    REQUIRE(stored != nullptr);
    CHECK(stored->encr_key.size() == 20);
    CHECK(stored->encr_key[0] == 0xaa);
    CHECK(stored->inbound);

    CHECK(error_of([&] { kernel.add_sa(sa_for(spi)); }) == EEXIST);
    CHECK(error_of([&] { kernel.add_sa(sa_for(5)); }) == EINVAL);  // reserved SPI
    kernel.del_sa(ip("203.0.113.1"), spi);
    CHECK(kernel.find_sa(ip("203.0.113.1"), spi) == nullptr);
    CHECK(error_of([&] { kernel.del_sa(ip("203.0.113.1"), spi); }) == ESRCH);
}

TEST_CASE("FakeKernel returns injected counters", "[kernel][fake]") {
    FakeKernel kernel;
    kernel.add_sa(sa_for(0x1000));
    CHECK(kernel.query_sa(ip("203.0.113.1"), 0x1000).packets == 0);
    SaCounters counters;
    counters.bytes = 1500;
    counters.packets = 3;
    kernel.set_counters(ip("203.0.113.1"), 0x1000, counters);
    CHECK(kernel.query_sa(ip("203.0.113.1"), 0x1000).bytes == 1500);
    CHECK(error_of([&] { kernel.query_sa(ip("203.0.113.1"), 0x2000); }) == ESRCH);
}

TEST_CASE("FakeKernel policies are keyed by selector and direction", "[kernel][fake]") {
    FakeKernel kernel;
    PolicyConfig out;
    out.selector = {ip("0.0.0.0"), 0, ip("10.2.2.5"), 32};
    out.dir = PolicyConfig::Dir::Out;
    out.reqid = 1;
    kernel.add_policy(out);
    PolicyConfig fwd = out;
    fwd.dir = PolicyConfig::Dir::Fwd;
    kernel.add_policy(fwd);  // same selector, other direction: allowed
    CHECK(kernel.policies().size() == 2);
    CHECK(error_of([&] { kernel.add_policy(out); }) == EEXIST);
    REQUIRE(kernel.find_policy(out.selector, PolicyConfig::Dir::Out) != nullptr);
    CHECK(kernel.find_policy(out.selector, PolicyConfig::Dir::In) == nullptr);
    kernel.del_policy(out.selector, PolicyConfig::Dir::Out);
    CHECK(error_of([&] { kernel.del_policy(out.selector, PolicyConfig::Dir::Out); }) == ENOENT);
    CHECK(kernel.policies().size() == 1);
}

TEST_CASE("FakeKernel routes, flush_own and injected failures", "[kernel][fake]") {
    FakeKernel kernel;
    kernel.add_pool_route(ip("10.2.2.0"), 24);
    CHECK(error_of([&] { kernel.add_pool_route(ip("10.2.2.0"), 24); }) == EEXIST);
    kernel.add_sa(sa_for(0x1000));

    kernel.fail_next(FakeKernel::Op::AddSa, ENOMEM);
    CHECK(error_of([&] { kernel.add_sa(sa_for(0x2000)); }) == ENOMEM);
    CHECK(kernel.find_sa(ip("203.0.113.1"), 0x2000) == nullptr);
    kernel.add_sa(sa_for(0x2000));  // only the next call fails
    CHECK(kernel.call_count(FakeKernel::Op::AddSa) == 3);

    kernel.flush_own();
    CHECK(kernel.sas().empty());
    CHECK(kernel.routes().empty());
    CHECK(kernel.flush_count() == 1);
    CHECK(error_of([&] { kernel.del_pool_route(ip("10.2.2.0"), 24); }) == ESRCH);
}

TEST_CASE("FakeKernel client routes: one per address, failures injectable", "[kernel][fake]") {
    FakeKernel kernel;
    kernel.add_client_route(ip("10.2.2.7"), ip("192.0.2.11"), ip("192.0.2.1"));
    REQUIRE(kernel.client_routes().count(ip("10.2.2.7")) == 1);
    CHECK(kernel.client_routes().at(ip("10.2.2.7")) == ip("192.0.2.11"));
    CHECK(error_of([&] { kernel.add_client_route(ip("10.2.2.7"), ip("192.0.2.12"), ip("192.0.2.1")); }) == EEXIST);
    kernel.fail_next(FakeKernel::Op::AddClientRoute, ENETUNREACH);
    CHECK(error_of([&] { kernel.add_client_route(ip("10.2.2.8"), ip("192.0.2.12"), ip("192.0.2.1")); }) == ENETUNREACH);
    CHECK(kernel.client_routes().size() == 1);
    kernel.del_client_route(ip("10.2.2.7"));
    CHECK(error_of([&] { kernel.del_client_route(ip("10.2.2.7")); }) == ESRCH);
    kernel.add_client_route(ip("10.2.2.9"), ip("192.0.2.13"), ip("192.0.2.1"));
    kernel.flush_own();
    CHECK(kernel.client_routes().empty());
}

TEST_CASE("FakeKernel events arrive through event_fd and process_events", "[kernel][fake]") {
    FakeKernel kernel;
    REQUIRE(kernel.event_fd() >= 0);
    CHECK_FALSE(readable(kernel.event_fd()));
    KernelEvent event;
    event.kind = KernelEvent::Kind::HardExpire;
    event.dst = ip("203.0.113.1");
    event.spi = 0x1000;
    event.reqid = 4;
    kernel.inject_event(event);
    CHECK(readable(kernel.event_fd()));
    std::vector<KernelEvent> seen;
    kernel.process_events([&](const KernelEvent& e) { seen.push_back(e); });
    REQUIRE(seen.size() == 1);
    CHECK(seen[0].kind == KernelEvent::Kind::HardExpire);
    CHECK(seen[0].spi == 0x1000);
    CHECK(seen[0].reqid == 4);
    CHECK_FALSE(readable(kernel.event_fd()));
}

TEST_CASE("SaConfig::clone copies keys into a separate buffer", "[kernel]") {
    SaConfig sa = sa_for(0x3000);
    sa.integ_key = SecureBytes{1, 2, 3};
    SaConfig copy = sa.clone();
    CHECK(copy.encr_key.data() != sa.encr_key.data());
    CHECK(ct_equal(copy.encr_key.view(), sa.encr_key.view()));
    CHECK(ct_equal(copy.integ_key.view(), sa.integ_key.view()));
    CHECK(copy.spi == 0x3000);
}
