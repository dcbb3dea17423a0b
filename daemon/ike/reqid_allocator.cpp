#include "ike/reqid_allocator.hpp"

#include <stdexcept>

namespace ikev2d::ike {

ReqidAllocator::ReqidAllocator(std::uint32_t first, std::uint32_t last) : next_(first), last_(last) {
    if (first == 0 || first > last || last > kernel::kMaxProtocolReqid)
        throw std::invalid_argument("reqid range must lie within 1.." + std::to_string(kernel::kMaxProtocolReqid));
}

std::uint32_t ReqidAllocator::allocate() {
    std::uint32_t reqid = 0;
    if (!free_.empty()) {
        reqid = free_.front();
        free_.pop_front();
    } else if (next_ != 0 && next_ <= last_) {
        reqid = next_;
        next_ = next_ == last_ ? 0 : next_ + 1;  // 0: the fresh range is used up
    } else {
        throw std::runtime_error("no free reqid: " + std::to_string(live_.size()) + " Child SAs hold them all");
    }
    live_.insert(reqid);
    return reqid;
}

void ReqidAllocator::release(std::uint32_t reqid) {
    if (live_.erase(reqid) > 0) free_.push_back(reqid);
}

}  // namespace ikev2d::ike
