#include "eap/method.hpp"

namespace ikev2d::eap {

EapMethod::~EapMethod() = default;

}  // namespace ikev2d::eap
