// Out-of-line pieces of the KernelIpsec interface and its value types.
#include "kernel/kernel_ipsec.hpp"

#include <cerrno>
#include <cstring>

#include "kernel/ownership.hpp"

namespace ikev2d::kernel {

namespace {
std::string error_text(int err, const std::string& operation, const std::string& detail) {
    std::string text = operation + ": " + std::strerror(err);
    if (!detail.empty()) text += " (" + detail + ")";
    return text;
}
}  // namespace

KernelError::KernelError(int err_, const std::string& operation, const std::string& detail)
    : std::runtime_error(error_text(err_, operation, detail)), err(err_) {}

InstallError::InstallError(const KernelError& cause, Item item_, std::size_t index_)
    : KernelError(cause), item(item_), index(index_) {}

KernelIpsec::~KernelIpsec() = default;

void KernelIpsec::install(const InstallSet& set) {
    std::size_t sas_added = 0, policies_added = 0;
    auto undo = [&] {
        for (std::size_t i = policies_added; i-- > 0;) {
            try {
                del_policy(set.policies[i].selector, set.policies[i].dir);
            } catch (const std::exception&) {  // best effort: the failure reported is the install's
            }
        }
        for (std::size_t i = sas_added; i-- > 0;) {
            try {
                del_sa(set.sas[i].dst, set.sas[i].spi);
            } catch (const std::exception&) {
            }
        }
    };
    try {
        for (; sas_added < set.sas.size(); ++sas_added) add_sa(set.sas[sas_added]);
        for (; policies_added < set.policies.size(); ++policies_added) add_policy(set.policies[policies_added]);
    } catch (const KernelError& e) {
        undo();
        if (sas_added < set.sas.size()) throw InstallError(e, InstallError::Item::Sa, sas_added);
        throw InstallError(e, InstallError::Item::Policy, policies_added);
    } catch (...) {
        undo();
        throw;
    }
}

std::string Selector::to_string() const {
    std::string text = src.to_string() + "/" + std::to_string(src_prefix) + " -> " + dst.to_string() + "/" +
                       std::to_string(dst_prefix) + " proto " + std::to_string(proto);
    if (sport != 0) text += " sport " + std::to_string(sport);
    if (dport != 0) text += " dport " + std::to_string(dport);
    return text;
}

SaConfig SaConfig::clone() const {
    SaConfig copy;
    copy.src = src;
    copy.dst = dst;
    copy.spi = spi;
    copy.reqid = reqid;
    copy.inbound = inbound;
    copy.encr = encr;
    copy.encr_key_bits = encr_key_bits;
    copy.encr_key = encr_key.clone();
    copy.integ = integ;
    copy.integ_key = integ_key.clone();
    copy.esn = esn;
    copy.replay_window = replay_window;
    copy.natt_ports = natt_ports;
    copy.soft_bytes = soft_bytes;
    copy.hard_bytes = hard_bytes;
    copy.soft_seconds = soft_seconds;
    copy.hard_seconds = hard_seconds;
    copy.selector = selector;
    return copy;
}

const char* to_string(PolicyConfig::Dir dir) noexcept {
    switch (dir) {
        case PolicyConfig::Dir::In: return "in";
        case PolicyConfig::Dir::Out: return "out";
        case PolicyConfig::Dir::Fwd: return "fwd";
    }
    return "?";
}

std::uint32_t to_kernel_reqid(std::uint32_t protocol_reqid) {
    if (protocol_reqid > kMaxProtocolReqid)
        throw KernelError(EINVAL, "reqid " + std::to_string(protocol_reqid), "above the reserved band's size 2^24");
    return kOwnReqidBand | protocol_reqid;
}

}  // namespace ikev2d::kernel
