#include "ike/id_text.hpp"

#include "util/ip_address.hpp"
#include "util/printable.hpp"

namespace ikev2d::ike {

std::string printable_id(const wire::IdPayload& id) {
    switch (id.type) {
        case iana::IdType::IPV4_ADDR:
        case iana::IdType::IPV6_ADDR:
            if (id.data.size() == 4 || id.data.size() == 16) return IpAddress::from_bytes(id.data).to_string();
            return "<bad address>";
        case iana::IdType::DER_ASN1_DN: return "asn1dn:" + to_hex(id.data);
        default: return printable(id.data);
    }
}

}  // namespace ikev2d::ike
