#include "wire/parse_error.hpp"

namespace ikev2d::wire {

std::string name(ParseErrorCode code) {
    switch (code) {
    case ParseErrorCode::TruncatedHeader: return "TruncatedHeader";
    case ParseErrorCode::BadVersion: return "BadVersion";
    case ParseErrorCode::LengthMismatch: return "LengthMismatch";
    case ParseErrorCode::TrailingData: return "TrailingData";
    case ParseErrorCode::PayloadOverrun: return "PayloadOverrun";
    case ParseErrorCode::PayloadTooShort: return "PayloadTooShort";
    case ParseErrorCode::BadProposal: return "BadProposal";
    case ParseErrorCode::ProposalNumbering: return "ProposalNumbering";
    case ParseErrorCode::BadTransform: return "BadTransform";
    case ParseErrorCode::BadAttribute: return "BadAttribute";
    case ParseErrorCode::CountMismatch: return "CountMismatch";
    case ParseErrorCode::SpiSizeMismatch: return "SpiSizeMismatch";
    case ParseErrorCode::UnsupportedCritical: return "UnsupportedCritical";
    case ParseErrorCode::BadTrafficSelector: return "BadTrafficSelector";
    case ParseErrorCode::BadNonceLength: return "BadNonceLength";
    case ParseErrorCode::BadEapLength: return "BadEapLength";
    case ParseErrorCode::BadFragment: return "BadFragment";
    case ParseErrorCode::SkNotLast: return "SkNotLast";
    case ParseErrorCode::NestedEncrypted: return "NestedEncrypted";
    }
    return "ParseErrorCode(" + std::to_string(static_cast<int>(code)) + ")";
}

iana::NotifyType ParseError::notify() const {
    switch (code) {
    case ParseErrorCode::BadVersion: return iana::NotifyType::INVALID_MAJOR_VERSION;
    case ParseErrorCode::UnsupportedCritical: return iana::NotifyType::UNSUPPORTED_CRITICAL_PAYLOAD;
    default: return iana::NotifyType::INVALID_SYNTAX;
    }
}

Bytes ParseError::notify_data() const {
    if (code == ParseErrorCode::UnsupportedCritical) return Bytes{unsupported_type};
    return {};
}

std::string ParseError::to_string() const {
    std::string s = name(code) + " at offset " + std::to_string(offset);
    if (payload != iana::PayloadType::None) s += " in " + iana::name(payload);
    if (!detail.empty()) s += ": " + detail;
    return s;
}

}  // namespace ikev2d::wire
