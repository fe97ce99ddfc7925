// vitforge C-simulation headers: shared definitions of ap_int.h / ap_fixed.h.
//
// These headers are vitforge's own implementation of the subset of the Vitis HLS
// arbitrary-precision API listed in docs/hls.md ("C-simulation headers"). They
// follow the value semantics of Xilinx's ap_fixed/ap_int headers (including their
// corner cases, documented in docs/hls.md) so that a kernel computes the same
// bits here and with the vendor headers.
//
// Representation: every value keeps its exact integer "raw" value (value =
// raw * 2^-F) sign- or zero-extended in a C integer: int64_t when the type fits
// in 64 bits (signed W <= 64, unsigned W <= 63), __int128 otherwise. Widths are
// limited to 128 bits signed / 127 bits unsigned.
#ifndef VF_AP_COMMON_H
#define VF_AP_COMMON_H

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <type_traits>

enum ap_q_mode { AP_RND, AP_RND_ZERO, AP_RND_MIN_INF, AP_RND_INF, AP_RND_CONV, AP_TRN, AP_TRN_ZERO };
enum ap_o_mode { AP_SAT, AP_SAT_ZERO, AP_SAT_SYM, AP_WRAP, AP_WRAP_SM };

template <int W, bool S> struct ap_int_base;
template <int W> struct ap_int;
template <int W> struct ap_uint;
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N> struct ap_fixed_base;
template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0> struct ap_fixed;
template <int W, int I, ap_q_mode Q = AP_TRN, ap_o_mode O = AP_WRAP, int N = 0> struct ap_ufixed;

namespace vf_detail {

__extension__ typedef __int128 i128;
__extension__ typedef unsigned __int128 u128;

constexpr int vmax(int a, int b) { return a > b ? a : b; }

// Exact-value container of a W-bit type: int64_t whenever the whole range fits.
template <int W, bool S> struct storage {
  static_assert(W >= 1, "ap_[u]int/ap_[u]fixed width must be at least 1");
  static_assert(W + (S ? 0 : 1) <= 128,
                "vitforge C-sim headers support signed widths <= 128 and unsigned widths <= 127");
  typedef typename std::conditional<(W + (S ? 0 : 1) <= 64), int64_t, i128>::type type;
};

// The wider of two containers (used for conversions and comparisons).
template <typename A, typename B> struct wider {
  typedef typename std::conditional<(sizeof(A) >= sizeof(B)), A, B>::type type;
};

template <typename Int> struct unsigned_of;
template <> struct unsigned_of<int64_t> { typedef uint64_t type; };
template <> struct unsigned_of<i128> { typedef u128 type; };

// Low W bits of v, sign-extended (S) or zero-extended (!S): the two's-complement wrap.
template <int W, bool S, typename Int> inline Int wrap_bits(Int v) {
  typedef typename unsigned_of<Int>::type U;
  constexpr int B = int(sizeof(Int) * 8);
  if constexpr (W >= B) {
    return v;
  } else if constexpr (S) {
    return Int(U(v) << (B - W)) >> (B - W);
  } else {
    return Int(U(v) & ((U(1) << W) - 1));
  }
}

// Smallest / largest raw value of a W-bit type, in container Int.
template <int W, bool S, typename Int> constexpr Int raw_min() {
  typedef typename unsigned_of<Int>::type U;
  return S ? Int(~U(0) << (W - 1)) : Int(0);
}
template <int W, bool S, typename Int> constexpr Int raw_max() {
  typedef typename unsigned_of<Int>::type U;
  return S ? Int((U(1) << (W - 1)) - 1) : Int((U(1) << (W - 1) << 1) - 1);
}

// Comparison of two exact integers a (WA bits, signedness SA) and b (WB, SB) as the vendor's
// C-simulation integer type does it: exact when the signedness agrees or both are narrower than
// 32 bits; otherwise C's usual arithmetic conversions apply: when the unsigned operand is at
// least as wide as the signed one, both are compared as unsigned numbers modulo 2^M (so a
// negative signed operand compares as a huge value). Only reachable with ap_uint/ap_ufixed
// operands of >= 32 bits against negative signed ones. Falls back to exact beyond 128 bits.
template <int WA, bool SA, int WB, bool SB> constexpr bool cmp_is_c_like() {
  return SA != SB && !(WA < 32 && WB < 32) && (SA ? WB >= WA : WA >= WB) && vmax(WA, WB) + 1 <= 128;
}
template <int WA, bool SA, int WB, bool SB> inline bool vendor_lt(i128 a, i128 b) {
  if constexpr (cmp_is_c_like<WA, SA, WB, SB>()) {
    constexpr int M = vmax(WA, WB) + 1;
    const u128 mask = M >= 128 ? ~u128(0) : ((u128(1) << M) - 1);
    return (u128(a) & mask) < (u128(b) & mask);
  } else {
    return a < b;
  }
}
// Equality with mixed signedness compares modulo 2^max(WA, WB, 32), except for two integers of
// the SAME width below 64 bits: the vendor's single-word integer has a dedicated same-width
// overload that widens each operand by its own signedness to 64 bits, which is exact there.
template <int WA, bool SA, int WB, bool SB> constexpr bool eq_is_modular() {
  return SA != SB && !(WA == WB && WA < 64) && vmax(vmax(WA, WB), 32) <= 128;
}
template <int WA, bool SA, int WB, bool SB> inline bool vendor_eq(i128 a, i128 b) {
  constexpr int M = vmax(vmax(WA, WB), 32);
  if constexpr (eq_is_modular<WA, SA, WB, SB>()) {
    const u128 mask = M >= 128 ? ~u128(0) : ((u128(1) << M) - 1);
    return (u128(a) & mask) == (u128(b) & mask);
  } else {
    return a == b;
  }
}

// A C-simulation error (misuse the hardware would not survive): report and stop with status 1.
[[noreturn]] inline void fatal(const char* what) {
  std::fprintf(stderr, "vitforge C-sim error: %s\n", what);
  std::exit(1);
}

}  // namespace vf_detail

#endif  // VF_AP_COMMON_H
