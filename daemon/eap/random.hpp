// Unpredictable bytes for challenges and the first EAP Identifier.
#pragma once

#include <cstddef>
#include <cstdint>

#include "util/bytes.hpp"

namespace ikev2d::eap {

// From GnuTLS's CSPRNG; throws std::runtime_error if it fails (never a weak fallback).
Bytes random_bytes(std::size_t size);
std::uint8_t random_byte();

}  // namespace ikev2d::eap
