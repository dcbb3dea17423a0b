#include "wire/dump.hpp"

#include <arpa/inet.h>
#include <sys/socket.h>

#include <cstdio>
#include <sstream>

#include "wire/builder.hpp"

namespace ikev2d::wire {
namespace {

// Public data is printed in full up to this many bytes, then elided.
constexpr std::size_t kMaxHexDump = 256;

std::string hex_line(ByteView data) {
    std::string s;
    const std::size_t n = std::min(data.size(), kMaxHexDump);
    char buf[4];
    for (std::size_t i = 0; i < n; ++i) {
        std::snprintf(buf, sizeof buf, "%02x", data[i]);
        if (i) s += ' ';
        s += buf;
    }
    if (data.size() > n) s += " ... (" + std::to_string(data.size()) + " bytes)";
    return s;
}

std::string hex_u64(uint64_t v) {
    char buf[17];
    std::snprintf(buf, sizeof buf, "%016llX", static_cast<unsigned long long>(v));
    return buf;
}

std::string hex_small(unsigned v) {
    char buf[12];
    std::snprintf(buf, sizeof buf, "0x%X", v);
    return buf;
}

std::string flags_text(const Header& h) {
    std::string s = h.is_initiator() ? "INITIATOR" : "RESPONDER";
    if (h.flags & iana::kFlagVersion) s += " VERSION";
    if (h.is_response()) s += " MSG-RESPONSE";
    return s;
}

std::string address(ByteView a) {
    char buf[INET6_ADDRSTRLEN] = {};
    if (a.size() == 4) inet_ntop(AF_INET, a.data(), buf, sizeof buf);
    else if (a.size() == 16) inet_ntop(AF_INET6, a.data(), buf, sizeof buf);
    else return "?";
    return buf;
}

std::string notify_name(uint16_t type) {
    const std::string n = iana::name(static_cast<iana::NotifyType>(type));
    return n.starts_with("UNKNOWN") ? "UNKNOWN(" + std::to_string(type) + ")" : n;
}

std::string cert_encoding(uint8_t e) {
    switch (e) {
    case static_cast<uint8_t>(iana::CertEncoding::X509_SIGNATURE): return "X.509 Certificate - Signature";
    case static_cast<uint8_t>(iana::CertEncoding::HASH_AND_URL_X509): return "Hash and URL of X.509 certificate";
    default: return "encoding " + std::to_string(e);
    }
}

class Dumper {
public:
    explicit Dumper(std::ostringstream& out) : out_(out) {}

    void payloads(const std::vector<Payload>& ps) {
        for (std::size_t i = 0; i < ps.size(); ++i) {
            const Payload& p = ps[i];
            PayloadType next = i + 1 < ps.size() ? ps[i + 1].type : PayloadType::None;
            if (const auto* sk = std::get_if<SkPayload>(&p.body)) next = sk->inner_first;
            if (const auto* skf = std::get_if<SkfPayload>(&p.body)) next = skf->inner_first;
            if (std::holds_alternative<CiscoFragmentPayload>(p.body)) next = PayloadType::None;
            const std::size_t length = kGenericHeaderSize + encode_body(p.body).size();
            out_ << iana::name(p.type) << " Next payload: " << iana::name(next)
                 << ", reserved: 0x0, length: " << length << (p.critical ? ", critical" : "") << '\n';
            std::visit([this](const auto& b) { body(b); }, p.body);
        }
    }

private:
    void line(int indent, const std::string& text) { out_ << std::string(2 * indent, ' ') << text << '\n'; }
    void hex(int indent, ByteView data) {
        if (!data.empty()) line(indent, hex_line(data));
    }

    void body(const SaPayload& sa) {
        for (std::size_t i = 0; i < sa.proposals.size(); ++i) {
            const Proposal& p = sa.proposals[i];
            std::size_t length = 8 + p.spi.size();
            for (const auto& t : p.transforms) length += transform_length(t);
            line(1, "last proposal: " + hex_small(i + 1 == sa.proposals.size() ? 0 : 2) +
                        ", reserved: 0x0, length: " + std::to_string(length));
            line(1, "Proposal: " + std::to_string(p.number) + ", Protocol id: " + iana::name(p.protocol) +
                        ", SPI size: " + std::to_string(p.spi.size()) + ", #trans: " +
                        std::to_string(p.transforms.size()));
            if (!p.spi.empty()) line(1, "SPI: " + hex_line(p.spi));
            for (std::size_t t = 0; t < p.transforms.size(); ++t) {
                const Transform& tr = p.transforms[t];
                line(2, "last transform: " + hex_small(t + 1 == p.transforms.size() ? 0 : 3) +
                            ", reserved: 0x0: length: " + std::to_string(transform_length(tr)));
                std::string s = "type: " + std::to_string(static_cast<unsigned>(tr.type)) +
                                ", reserved: 0x0, id: " + iana::transform_name(tr.type, tr.id);
                if (tr.key_length) s += ", key length: " + std::to_string(*tr.key_length);
                if (tr.has_unknown_attribute) s += ", unknown attributes: " + std::to_string(tr.unknown_attributes.size()) + " bytes";
                line(2, s);
            }
        }
    }
    static std::size_t transform_length(const Transform& t) {
        return 8 + (t.key_length ? 4 : 0) + t.unknown_attributes.size();
    }
    void body(const KePayload& ke) {
        line(1, "DH group: " + std::to_string(ke.group) + ", reserved: 0x0");
        hex(1, ke.data);
    }
    void body(const IdPayload& id) {
        line(1, "Id type: " + iana::name(id.type) + ", Reserved: 0x0 0x0");
        hex(1, id.data);
    }
    void body(const CertPayload& c) {
        line(1, "Cert encoding " + cert_encoding(c.encoding));
        line(1, "Cert data: " + std::to_string(c.data.size()) + " bytes");
    }
    void body(const CertReqPayload& c) {
        line(1, "Cert encoding " + cert_encoding(c.encoding));
        line(1, "CertReq data: " + std::to_string(c.authorities.size()) + " bytes");
    }
    void body(const AuthPayload& a) {
        line(1, "Auth method " + iana::name(a.method) + ", reserved: 0x0, reserved 0x0");
        line(1, "Auth data: " + std::to_string(a.data.size()) + " bytes");
    }
    void body(const NoncePayload& n) { hex(1, n.data); }
    void body(const NotifyPayload& n) {
        line(1, "Security protocol id: " + std::to_string(n.protocol) + ", spi size: " + std::to_string(n.spi.size()) +
                    ", type: " + notify_name(n.type));
        if (!n.spi.empty()) line(1, "SPI: " + hex_line(n.spi));
        hex(1, n.data);
    }
    void body(const DeletePayload& d) {
        line(1, "Protocol id: " + std::to_string(d.protocol) + ", spi size: " + std::to_string(d.spi_size) +
                    ", #spis: " + std::to_string(d.spis.size()));
        for (const auto& spi : d.spis) line(1, "SPI: " + hex_line(spi));
    }
    void body(const VendorIdPayload& v) { hex(1, v.data); }
    void body(const TsPayload& ts) {
        line(1, "Num of TSs: " + std::to_string(ts.selectors.size()) + ", reserved 0x0, reserved 0x0");
        for (const auto& s : ts.selectors) {
            const bool v6 = s.type == iana::TsType::IPV6_ADDR_RANGE;
            line(1, std::string("TS type: ") + (v6 ? "TS_IPV6_ADDR_RANGE" : "TS_IPV4_ADDR_RANGE") +
                        ", proto id: " + std::to_string(s.ip_protocol) + ", length: " + std::to_string(v6 ? 40 : 16));
            line(1, "start port: " + std::to_string(s.start_port) + ", end port: " + std::to_string(s.end_port));
            line(1, "start addr: " + address(s.start_addr) + ", end addr: " + address(s.end_addr));
        }
    }
    void body(const CpPayload& cp) {
        line(1, "cfg type: " + iana::name(cp.cfg_type) + ", reserved: 0x0, reserved: 0x0");
        for (const auto& a : cp.attributes) {
            line(1, "attrib type: " + iana::name(static_cast<iana::CfgAttr>(a.type)) +
                        ", length: " + std::to_string(a.value.size()));
            hex(2, a.value);
        }
    }
    void body(const EapPayload& e) {
        // Header fields only: the EAP data carries credentials.
        if (e.data.size() >= 4) {
            std::string s = "Code: " + std::to_string(e.data[0]) + ", id: " + std::to_string(e.data[1]) +
                            ", length: " + std::to_string(e.data[2] << 8 | e.data[3]);
            if (e.data.size() >= 5) s += ", type: " + std::to_string(e.data[4]);
            line(1, s);
        }
        line(1, "EAP data: " + std::to_string(e.data.size() >= 5 ? e.data.size() - 5 : 0) + " bytes");
    }
    void body(const SkPayload& sk) { line(1, "Encrypted data: " + std::to_string(sk.data.size()) + " bytes"); }
    void body(const SkfPayload& f) {
        line(1, "Fragment number: " + std::to_string(f.fragment_number) + ", total fragments: " +
                    std::to_string(f.total_fragments));
        line(1, "Encrypted data: " + std::to_string(f.data.size()) + " bytes");
    }
    void body(const CiscoFragmentPayload& f) {
        line(1, "Fragment id: " + std::to_string(f.fragment_id) + ", number: " + std::to_string(f.number) +
                    (f.last ? ", last" : ""));
        line(1, "Fragment data: " + std::to_string(f.data.size()) + " bytes");
    }
    void body(const UnknownPayload& u) { line(1, "Unknown payload data: " + std::to_string(u.data.size()) + " bytes"); }

    std::ostringstream& out_;
};

}  // namespace

std::string dump(const Message& m) {
    std::ostringstream out;
    const Header& h = m.header;
    const PayloadType first = m.payloads.empty() ? PayloadType::None : m.payloads.front().type;
    std::size_t length = kHeaderSize;
    for (const auto& p : m.payloads) length += kGenericHeaderSize + encode_body(p.body).size();
    out << "IKEV2 HDR ispi: " << hex_u64(h.spi_i) << " - rspi: " << hex_u64(h.spi_r) << '\n'
        << "Next payload: " << iana::name(first) << ", version: " << (h.version >> 4) << '.' << (h.version & 0x0f)
        << '\n'
        << "Exchange type: " << iana::name(h.exchange) << ", flags: " << flags_text(h) << '\n'
        << "Message id: " << hex_small(h.message_id) << ", length: " << length << '\n';
    Dumper(out).payloads(m.payloads);
    return out.str();
}

std::string dump_payloads(const std::vector<Payload>& payloads) {
    std::ostringstream out;
    Dumper(out).payloads(payloads);
    return out.str();
}

}  // namespace ikev2d::wire
