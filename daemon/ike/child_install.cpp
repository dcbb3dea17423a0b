#include "ike/child_install.hpp"

#include <algorithm>
#include <memory>

#include "crypto/algorithms.hpp"
#include "crypto/kdf.hpp"
#include "ike/child_install_job.hpp"
#include "ike/sa_deadlines.hpp"
#include "util/log.hpp"

namespace ikev2d::ike {
namespace {

using kernel::PolicyConfig;

kernel::Selector make_selector(const TsRange& src, const TsRange& dst) {
    kernel::Selector s;
    IpPrefix sp = src.to_prefix(), dp = dst.to_prefix();
    s.src = sp.addr;
    s.src_prefix = sp.length;
    s.dst = dp.addr;
    s.dst_prefix = dp.length;
    s.proto = src.ip_protocol ? src.ip_protocol : dst.ip_protocol;
    return s;
}

std::uint32_t policy_priority(const kernel::Selector& s) {
    // XFRM: a lower number wins; more specific selectors first.
    return 2000u - s.src_prefix - s.dst_prefix;
}

// Every (local, remote) pair of one address family: a dual-stack child has IPv4 and IPv6
// policies, all with the child's reqid, so that both families use its one pair of SAs.
std::vector<std::pair<kernel::Selector, PolicyConfig::Dir>> policies_of(const ChildSa& child) {
    std::vector<std::pair<kernel::Selector, PolicyConfig::Dir>> out;
    for (const auto& remote : child.remote_ts)
        for (const auto& local : child.local_ts) {
            if (local.start.family != remote.start.family) continue;
            out.emplace_back(make_selector(local, remote), PolicyConfig::Dir::Out);
            out.emplace_back(make_selector(remote, local), PolicyConfig::Dir::In);
            out.emplace_back(make_selector(remote, local), PolicyConfig::Dir::Fwd);
        }
    return out;
}

// The SAs' own selector: exactly the one selector pair when there is one; with several
// (more local networks, or both families) none, since an SA holds one selector and the
// kernel checks inbound packets against it: the policies say what goes through.
std::optional<kernel::Selector> sa_selector(const ChildSa& child, bool inbound) {
    if (child.local_ts.size() != 1 || child.remote_ts.size() != 1) return std::nullopt;
    const TsRange &local = child.local_ts.front(), &remote = child.remote_ts.front();
    return inbound ? make_selector(remote, local) : make_selector(local, remote);
}

}  // namespace

ChildSa make_child(GatewayContext& ctx, const IkeSa& sa, const EspChoice& esp, std::uint32_t reqid,
                   std::vector<TsRange> local_ts, std::vector<TsRange> remote_ts, std::uint32_t spi_in) {
    ChildSa child;
    child.unique_id = ctx.next_child_id++;
    child.reqid = reqid;
    child.spi_in = spi_in;
    child.spi_out = esp.peer_spi;
    child.encr = esp.encr;
    child.encr_key_bits = esp.key_bits;
    child.integ = esp.integ;
    child.esn = esp.esn;
    child.udp_encap = sa.nat_local || sa.nat_remote;
    child.local_ts = std::move(local_ts);
    child.remote_ts = std::move(remote_ts);
    child.lifetime_s = esp.lifetime_s;
    child.lifetime_kbytes = esp.lifetime_kbytes;
    return child;
}

namespace {

// The inbound and outbound ESP SA of child, keyed from KEYMAT = prf+(SK_d, [g^ir |] Ni | Nr).
std::vector<kernel::SaConfig> child_sa_configs(const IkeSa& sa, const ChildSa& child, ByteView nonce_i,
                                               ByteView nonce_r, ByteView dh_shared) {
    const std::size_t ek = crypto::esp_encr_keymat_size(child.encr, child.encr_key_bits);
    const std::size_t ak = child.integ == iana::IntegId::NONE ? 0 : crypto::integ_key_size(child.integ);
    SecureBytes keymat = crypto::child_keymat(*sa.prf, sa.keys.sk_d.view(), dh_shared, nonce_i, nonce_r, 2 * (ek + ak));
    // KEYMAT order: initiator->responder encryption, integrity, then responder->initiator.
    auto part = [&](std::size_t offset, std::size_t len) { return SecureBytes(keymat.subview(offset, len)); };

    auto base = [&](bool inbound) {
        kernel::SaConfig c;
        c.inbound = inbound;
        c.src = inbound ? sa.remote.addr : sa.local.addr;
        c.dst = inbound ? sa.local.addr : sa.remote.addr;
        c.spi = inbound ? child.spi_in : child.spi_out;
        c.reqid = child.reqid;
        c.encr = child.encr;
        c.encr_key_bits = child.encr_key_bits;
        c.integ = child.integ;
        c.esn = child.esn;
        c.replay_window = 32;
        if (child.udp_encap)
            c.natt_ports = inbound ? std::make_pair(sa.remote.port, sa.local.port) : std::make_pair(sa.local.port, sa.remote.port);
        // We are the responder: the client rekeys before these hard limits.
        c.hard_seconds = child.lifetime_s + child.lifetime_s / 10;
        c.hard_bytes = child.lifetime_kbytes * 1024 + child.lifetime_kbytes * 1024 / 10;
        c.selector = sa_selector(child, inbound);
        return c;
    };
    std::vector<kernel::SaConfig> sas;
    sas.push_back(base(true));
    sas[0].encr_key = part(0, ek);
    sas[0].integ_key = part(ek, ak);
    sas.push_back(base(false));
    sas[1].encr_key = part(ek + ak, ek);
    sas[1].integ_key = part(2 * ek + ak, ak);
    return sas;
}

// What a job installed, recorded in the child (the loop's copy) once the job is done.
InstalledChild conclude(GatewayContext& ctx, const ChildInstallJob& job, ChildSa child, bool owns_reqid) {
    if (job.error) {
        if (owns_reqid) ctx.reqids.release(child.reqid);
        return {{}, job.error};
    }
    child.spi_in = job.spi_in;
    child.kernel_sas = {{job.set.sas[0].dst, job.set.sas[0].spi}, {job.set.sas[1].dst, job.set.sas[1].spi}};
    for (const PolicyConfig& p : job.set.policies) child.kernel_policies.emplace_back(p.selector, p.dir);
    // A rekeyed child keeps its predecessor's routes; a new one has those its job added.
    child.kernel_routes.insert(child.kernel_routes.end(), job.routed.begin(), job.routed.end());
    child.installed = true;
    child.installed_at_ms = ctx.now_ms();
    child.installed_unix = ctx.now_unix();
    return {std::move(child), nullptr};
}

// Runs job on the kernel lane and `then` on the loop with its outcome (inline without a
// lane). owns_reqid: the reqid is the new child's, released when the install fails or is
// abandoned (a rekeyed child shares its predecessor's).
ExchangeResult run_install(GatewayContext& ctx, IkeSa& sa, std::shared_ptr<ChildInstallJob> job, ChildSa child,
                           bool owns_reqid, AfterInstall then) {
    if (ctx.kernel_lane == nullptr) {
        job->run(*ctx.kernel);
        return then(ctx, sa, conclude(ctx, *job, std::move(child), owns_reqid));
    }
    kernel::KernelIpsec* lane_kernel = ctx.lane_kernel ? ctx.lane_kernel : ctx.kernel;
    // The peer has authenticated; the wait is ours now. A kernel slow to ack (the first
    // install of a boot loads modules: seconds in a loaded VM) must not end the IKE SA for
    // IKE_AUTH taking too long, which the synchronous install never could either.
    sa.auth_deadline_ms = SaDeadlines::kNone;
    auto deferred = std::make_shared<DeferredExchange>();
    deferred->executor = ctx.kernel_lane;
    deferred->work = [job, lane_kernel] { job->run(*lane_kernel); };
    deferred->finish = [job, child = std::move(child), owns_reqid, then = std::move(then)](GatewayContext& ctx, IkeSa& sa) {
        return then(ctx, sa, conclude(ctx, *job, child, owns_reqid));
    };
    // The IKE SA went away while the kernel worked: nothing may stay of this child.
    deferred->abandon = [job, owns_reqid, reqid = job->reqid](GatewayContext& ctx) {
        if (job->installed) {
            LOG_INFO(Platform, "(%u): IKE SA gone during its Child SA install, removing SAs 0x%08x/0x%08x", job->ike_sa_id,
                     job->spi_in, job->set.sas[1].spi);
            kernel::KernelIpsec* lane_kernel = ctx.lane_kernel ? ctx.lane_kernel : ctx.kernel;
            // Behind any install posted since: the lane runs its jobs in order.
            ctx.kernel_lane->post([job, lane_kernel] { job->undo(*lane_kernel); }, [] {}, util::Executor::Lane::Long);
        }
        if (owns_reqid) ctx.reqids.release(reqid);
    };
    ExchangeResult r;
    r.deferred = std::move(deferred);
    return r;
}

std::shared_ptr<ChildInstallJob> make_job(const IkeSa& sa, const ChildSa& child, ByteView nonce_i, ByteView nonce_r,
                                          ByteView dh_shared) {
    auto job = std::make_shared<ChildInstallJob>();
    job->ike_sa_id = sa.unique_id;
    job->peer = sa.remote.addr;
    job->local = sa.local.addr;
    job->reqid = child.reqid;
    job->set.sas = child_sa_configs(sa, child, nonce_i, nonce_r, dh_shared);
    return job;
}

}  // namespace

ChildSa InstalledChild::take() {
    if (error) std::rethrow_exception(error);
    return std::move(child);
}

ExchangeResult install_child_sa(GatewayContext& ctx, IkeSa& sa, const EspChoice& esp, const NarrowedSelectors& ts,
                                ByteView nonce_i, ByteView nonce_r, ByteView dh_shared, AfterInstall then) {
    std::uint32_t reqid = 0;
    ChildSa child;
    std::shared_ptr<ChildInstallJob> job;
    try {
        reqid = ctx.reqids.allocate();
        try {
            child = make_child(ctx, sa, esp, reqid, ts.local, ts.remote, 0);  // spi_in: the job's
            job = make_job(sa, child, nonce_i, nonce_r, dh_shared);
        } catch (...) {
            ctx.reqids.release(reqid);
            throw;
        }
    } catch (...) {
        return then(ctx, sa, {{}, std::current_exception()});
    }
    for (const auto& [sel, dir] : policies_of(child)) {
        PolicyConfig p;
        p.selector = sel;
        p.dir = dir;
        p.tmpl_src = dir == PolicyConfig::Dir::Out ? sa.local.addr : sa.remote.addr;
        p.tmpl_dst = dir == PolicyConfig::Dir::Out ? sa.remote.addr : sa.local.addr;
        p.reqid = child.reqid;
        p.priority = policy_priority(sel);
        job->set.policies.push_back(p);
    }
    // A route for each assigned address the child carries (only the client's own address).
    for (const auto& client : {sa.assigned_address, sa.assigned_address6}) {
        if (!client) continue;
        for (const TsRange& remote : child.remote_ts) {
            const IpPrefix p = remote.to_prefix();
            if (p.addr == *client && p.length == client->size() * 8) job->client_routes.push_back(*client);
        }
    }
    return run_install(ctx, sa, std::move(job), std::move(child), true, std::move(then));
}

ExchangeResult install_rekeyed_child(GatewayContext& ctx, IkeSa& sa, const ChildSa& old, const EspChoice& esp,
                                     ByteView nonce_i, ByteView nonce_r, ByteView dh_shared, AfterInstall then) {
    ChildSa child = make_child(ctx, sa, esp, old.reqid, old.local_ts, old.remote_ts, 0);
    child.kernel_policies = old.kernel_policies;
    child.kernel_routes = old.kernel_routes;
    std::shared_ptr<ChildInstallJob> job;
    try {
        job = make_job(sa, child, nonce_i, nonce_r, dh_shared);
    } catch (...) {
        return then(ctx, sa, {{}, std::current_exception()});
    }
    return run_install(ctx, sa, std::move(job), std::move(child), false, std::move(then));
}

// Removal stays on the loop, through ctx.kernel (one netlink round trip per request): it
// comes once at the end of a Child SA, not in a burst of handshakes, and what follows it
// on the loop (the reqid and the client's address freed for reuse) must find the kernel
// state gone already; a later install on the lane then cannot meet it.
void remove_child_sa(GatewayContext& ctx, const IkeSa& sa, ChildSa& child) {
    if (!child.installed) return;
    child.installed = false;
    // After a Child SA rekey the new SAs share the reqid and the policies of the old ones.
    const bool policies_shared = std::any_of(sa.children.begin(), sa.children.end(), [&](const ChildSa& c) {
        return &c != &child && c.installed && c.reqid == child.reqid;
    });
    if (!policies_shared) {
        for (const auto& [sel, dir] : child.kernel_policies) {
            try {
                ctx.kernel->del_policy(sel, dir);
            } catch (const std::exception& e) {
                LOG_INFO(Platform, "removing policy of child %u: %s", child.unique_id, e.what());
            }
        }
        for (const IpAddress& client : child.kernel_routes) {
            try {
                ctx.kernel->del_client_route(client);
            } catch (const std::exception& e) {
                LOG_INFO(Platform, "removing route of child %u: %s", child.unique_id, e.what());
            }
        }
        ctx.reqids.release(child.reqid);
    }
    for (const auto& [dst, spi] : child.kernel_sas) {
        try {
            ctx.kernel->del_sa(dst, spi);
        } catch (const std::exception& e) {
            LOG_INFO(Platform, "removing SA 0x%08x: %s", spi, e.what());
        }
    }
}

}  // namespace ikev2d::ike
