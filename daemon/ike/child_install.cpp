#include "ike/child_install.hpp"

#include <algorithm>
#include <cerrno>

#include "crypto/algorithms.hpp"
#include "crypto/kdf.hpp"
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

std::vector<std::pair<kernel::Selector, PolicyConfig::Dir>> policies_of(const ChildSa& child) {
    std::vector<std::pair<kernel::Selector, PolicyConfig::Dir>> out;
    for (const auto& local : child.local_ts) {
        out.emplace_back(make_selector(local, child.remote_ts), PolicyConfig::Dir::Out);
        out.emplace_back(make_selector(child.remote_ts, local), PolicyConfig::Dir::In);
        out.emplace_back(make_selector(child.remote_ts, local), PolicyConfig::Dir::Fwd);
    }
    return out;
}

// The client's assigned address is routed along the path to its outer address (not
// along "the default route": the gateway may have none, or several uplinks).
void add_route_to_client(GatewayContext& ctx, const IkeSa& sa, ChildSa& child) {
    if (!sa.assigned_address) return;
    const IpAddress& client = *sa.assigned_address;
    const IpPrefix remote = child.remote_ts.to_prefix();
    if (remote.addr != client || remote.length != client.size() * 8) return;  // not (only) the client's address
    try {
        ctx.kernel->add_client_route(client, sa.remote.addr, sa.local.addr);
        child.kernel_route = client;
    } catch (const kernel::KernelError& e) {
        if (e.err == EEXIST) {  // routed already (a foreign route): leave it be
            LOG_INFO(Platform, "(%u): %s has a route already: %s", sa.unique_id, client.to_string().c_str(), e.what());
            return;
        }
        throw NoRouteToClient("no route toward client " + sa.remote.addr.to_string() + " for its address " +
                              client.to_string() + ": " + e.what());
    }
}

}  // namespace

ChildSa make_child(GatewayContext& ctx, const IkeSa& sa, const EspChoice& esp, std::uint32_t reqid,
                   std::vector<TsRange> local_ts, TsRange remote_ts, std::uint32_t spi_in) {
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
        const TsRange& any_local = child.local_ts.front();
        c.selector = inbound ? make_selector(child.remote_ts, any_local) : make_selector(any_local, child.remote_ts);
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

// The larval SA alloc_spi left for our inbound SPI.
void remove_larval_sa(GatewayContext& ctx, const IkeSa& sa, const ChildSa& child) {
    try {
        ctx.kernel->del_sa(sa.local.addr, child.spi_in);
    } catch (const std::exception& e) {
        LOG_INFO(Platform, "(%u): removing SA 0x%08x: %s", sa.unique_id, child.spi_in, e.what());
    }
}

// One kernel call for the whole set (one netlink round trip with XfrmKernel). When it
// fails, the kernel has undone what the set added; the larval SA alloc_spi left for our
// inbound SPI is left too unless the inbound SA was installed (and so removed again).
void install_set(GatewayContext& ctx, const IkeSa& sa, const ChildSa& child, const kernel::InstallSet& set) {
    try {
        ctx.kernel->install(set);
    } catch (const kernel::InstallError& e) {
        if (e.item == kernel::InstallError::Item::Sa && e.index == 0) remove_larval_sa(ctx, sa, child);
        throw;
    } catch (...) {
        remove_larval_sa(ctx, sa, child);
        throw;
    }
}

}  // namespace

void install_child_sas(GatewayContext& ctx, const IkeSa& sa, ChildSa& child, ByteView nonce_i, ByteView nonce_r,
                       ByteView dh_shared) {
    kernel::InstallSet set;
    set.sas = child_sa_configs(sa, child, nonce_i, nonce_r, dh_shared);
    install_set(ctx, sa, child, set);
    child.kernel_sas = {{set.sas[0].dst, set.sas[0].spi}, {set.sas[1].dst, set.sas[1].spi}};
    child.installed = true;
    child.installed_at_ms = ctx.now_ms();
    child.installed_unix = ctx.now_unix();
}

ChildSa install_child_sa(GatewayContext& ctx, const IkeSa& sa, const EspChoice& esp, const NarrowedSelectors& ts,
                         ByteView nonce_i, ByteView nonce_r, ByteView dh_shared) {
    const std::uint32_t reqid = ctx.reqids.allocate();
    ChildSa child;
    try {
        const std::uint32_t spi_in = ctx.kernel->alloc_spi(sa.remote.addr, sa.local.addr, reqid);
        child = make_child(ctx, sa, esp, reqid, ts.local, ts.remote, spi_in);
        kernel::InstallSet set;
        set.sas = child_sa_configs(sa, child, nonce_i, nonce_r, dh_shared);
        for (const auto& [sel, dir] : policies_of(child)) {
            PolicyConfig p;
            p.selector = sel;
            p.dir = dir;
            p.tmpl_src = dir == PolicyConfig::Dir::Out ? sa.local.addr : sa.remote.addr;
            p.tmpl_dst = dir == PolicyConfig::Dir::Out ? sa.remote.addr : sa.local.addr;
            p.reqid = child.reqid;
            p.priority = policy_priority(sel);
            set.policies.push_back(p);
        }
        // SAs and policies in one call: all of them or (after the kernel's undo) none.
        install_set(ctx, sa, child, set);
        child.kernel_sas = {{set.sas[0].dst, set.sas[0].spi}, {set.sas[1].dst, set.sas[1].spi}};
        for (const PolicyConfig& p : set.policies) child.kernel_policies.emplace_back(p.selector, p.dir);
        child.installed = true;
        child.installed_at_ms = ctx.now_ms();
        child.installed_unix = ctx.now_unix();
    } catch (const kernel::InstallError& e) {
        ctx.reqids.release(reqid);
        // A policy that already existed is someone else's: the selectors are in use.
        if (e.item == kernel::InstallError::Item::Policy && e.err == EEXIST) throw SelectorsInUse(e.what());
        throw;
    } catch (...) {
        ctx.reqids.release(reqid);
        throw;
    }
    try {
        add_route_to_client(ctx, sa, child);
    } catch (...) {
        remove_child_sa(ctx, sa, child);
        throw;
    }
    return child;
}

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
        if (child.kernel_route) {
            try {
                ctx.kernel->del_client_route(*child.kernel_route);
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
