// vitforge C-simulation headers: Q_T, the conversion of an exact value to a fixed-point type.
//
// The source is an exact integer s in units of its own LSB; the target LSB is 2^k source
// LSBs (k = F_source - F_target). The result follows Xilinx's ap_fixed assignment:
//  1. quantisation: R = floor(s / 2^k) + carry, where the carry depends on the mode, the first
//     dropped bit (qb), whether any later dropped bit is set (r) and the source sign;
//  2. overflow: R outside [min, max] of the target (and, for AP_SAT_SYM, R == min) is handled
//     by the overflow mode on the W-bit register R mod 2^W. AP_WRAP_SM with N = 0 uses the
//     bit just above the target MSB (lD) of the truncated source, as the vendor code does.
#ifndef VF_AP_CONVERT_H
#define VF_AP_CONVERT_H

#include "vf_ap_common.h"

namespace vf_detail {

// Rounded value of s * 2^-k for k > 0 (the quantisation step).
template <ap_q_mode Q, typename Int> inline Int round_shift(Int s, int k) {
  constexpr int B = int(sizeof(Int) * 8);
  const bool neg = s < 0;
  Int t;
  bool qb, r;
  if (k < B) {
    t = s >> k;
    if constexpr (Q == AP_TRN) return t;
    qb = (s >> (k - 1)) & 1;
    r = k >= 2 && (s & ((Int(1) << (k - 1)) - 1)) != 0;
  } else {
    // |s| < 2^(k-1): the dropped part is s/2^k (positive) or 1 + s/2^k (> 1/2, negative).
    t = neg ? Int(-1) : Int(0);
    if constexpr (Q == AP_TRN) return t;
    qb = neg;
    r = s != 0;
  }
  bool carry;
  switch (Q) {
    case AP_TRN_ZERO: carry = neg && (qb || r); break;
    case AP_RND: carry = qb; break;
    case AP_RND_ZERO: carry = qb && (neg || r); break;
    case AP_RND_MIN_INF: carry = qb && r; break;
    case AP_RND_INF: carry = qb && (!neg || r); break;
    case AP_RND_CONV: carry = qb && ((t & 1) != 0 || r); break;
    default: carry = false; break;
  }
  return t + Int(carry);
}

// Overflow-mode handling of the W-bit register `reg` (low W bits of the quantised value).
// `sign` is whether the quantised value is negative, lD the source bit at target position W.
template <int W, bool S, ap_o_mode O, int N, typename U>
inline U overflow_adjust(U reg, bool over, bool under, bool lD, bool sign) {
  (void)over;
  (void)under;  // only AP_SAT/AP_SAT_SYM distinguish the direction by flag
  (void)lD;
  const U msb = U(1) << (W - 1);
  // Bits [W-N, W-2] (signed) or [W-N, W-1] (unsigned) as a mask.
  auto field = [](int lo, int hi) -> U {
    if (hi < lo) return U(0);
    const U width_ones = (hi - lo + 1 >= int(sizeof(U) * 8)) ? ~U(0) : ((U(1) << (hi - lo + 1)) - 1);
    return width_ones << lo;
  };
  if constexpr (O == AP_WRAP) {
    if constexpr (N == 0) return reg;
    if constexpr (S) {
      reg = sign ? (reg | msb) : (reg & ~msb);
      if constexpr (N > 1) {
        const U m = field(W - N, W - 2);
        reg = sign ? (reg & ~m) : (reg | m);
      }
      return reg;
    } else {
      // The vendor code sets the N MSBs to one on both overflow and underflow.
      return reg | field(W - N, W - 1);
    }
  } else if constexpr (O == AP_SAT_ZERO) {
    return U(0);
  } else if constexpr (O == AP_WRAP_SM) {
    static_assert(S, "AP_WRAP_SM is only defined for signed types (ap_fixed)");
    const U all = field(0, W - 1);
    const bool ro = (reg & msb) != 0;
    if constexpr (N == 0) {
      if (lD != ro) reg = ((~reg) & all & ~msb) | (lD ? msb : U(0));
      return reg;
    } else {
      if (N == 1 && sign != ro) {
        reg = (~reg) & all;
      } else if (N > 1) {
        const bool lno = ((reg >> (W - N)) & 1) != 0;
        if (lno == sign) reg = (~reg) & all;
        const U m = field(W - N, W - 2);
        reg = sign ? (reg & ~m) : (reg | m);
      }
      return sign ? (reg | msb) : (reg & ~msb);
    }
  } else {
    // AP_SAT and AP_SAT_SYM.
    if constexpr (S) {
      if (over) return msb - 1;
      return (O == AP_SAT_SYM) ? (msb | 1) : msb;  // under (W == 1: msb | 1 == msb)
    } else {
      if (over) return field(0, W - 1);
      return U(0);
    }
  }
}

// Q_T: exact source integer s (LSB = 2^-F_source) to the raw value of target T<W,S,Q,O,N>
// whose LSB is 2^k source LSBs. Int is the container used for the arithmetic.
template <int W, bool S, ap_q_mode Q, ap_o_mode O, int N, typename Int>
inline typename storage<W, S>::type convert(Int s, int k) {
  static_assert(N >= 0 && N <= W, "saturation bits N must be in 0..W");
  typedef typename storage<W, S>::type raw_t;
  typedef typename unsigned_of<Int>::type U;
  constexpr int B = int(sizeof(Int) * 8);
  static_assert(W + (S ? 0 : 1) <= B, "conversion container narrower than the target");

  Int R;
  bool huge = false;  // the exactly shifted value does not fit in Int
  if (k > 0) {
    R = round_shift<Q>(s, k);
  } else if (k == 0) {
    R = s;
  } else {
    const int sh = -k;
    if (sh >= B) {
      R = 0;
      huge = s != 0;
    } else {
      R = Int(U(s) << sh);
      huge = (R >> sh) != s;
    }
  }
  if constexpr (O == AP_WRAP && N == 0) {
    return raw_t(wrap_bits<W, S>(R));
  } else {
    constexpr Int lo = raw_min<W, S, Int>();
    constexpr Int hi = raw_max<W, S, Int>();
    bool over, under, sign;
    if (huge) {
      over = s > 0;
      under = s < 0;
      sign = s < 0;
    } else {
      over = R > hi;
      under = R < lo || (O == AP_SAT_SYM && S && R == lo);
      sign = R < 0;
    }
    if (!over && !under) return raw_t(R);
    // lD: bit W of the truncated (unrounded) source, i.e. bit W + k of s.
    const int idx = W + k;
    const bool lD = idx >= 0 && ((s >> (idx < B ? idx : B - 1)) & 1) != 0;
    U reg = U(R);
    if constexpr (W < B) reg &= (U(1) << W) - 1;
    reg = overflow_adjust<W, S, O, N, U>(reg, over, under, lD, sign);
    return raw_t(wrap_bits<W, S>(Int(reg)));
  }
}

// Conversion from a double, as the vendor constructor does it: the double is read as the
// exact value (+/-)1.m * 2^e (a zero exponent field is read with its implicit one bit, which
// only matters for subnormals, far below any target LSB), then converted by Q_T.
template <int W, bool S, ap_q_mode Q, ap_o_mode O, int N, int F>
inline typename storage<W, S>::type from_double(double d) {
  typedef typename wider<int64_t, typename storage<W, S>::type>::type Int;
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  if ((bits << 1) == 0) return 0;
  const int e = int((bits >> 52) & 0x7ff) - 1023;
  if (e == 1024 && (bits & ((uint64_t(1) << 52) - 1)) != 0)
    std::fprintf(stderr, "vitforge C-sim warning: assign NaN to fixed point value\n");
  int64_t m = int64_t((bits & ((uint64_t(1) << 52) - 1)) | (uint64_t(1) << 52));
  if (bits >> 63) m = -m;
  return convert<W, S, Q, O, N, Int>(Int(m), 52 - e - F);
}

// ap_int/ap_uint from a double, as the vendor constructor does it: the magnitude is truncated
// toward zero and wrapped to W bits, then negated for negative inputs. A negative input with
// |d| < 0.5 yields +1 there (its "all bits dropped" magnitude is -1, then negated): kept on
// purpose so that the same code gives the same bits with both header sets.
template <int W, bool S> inline typename storage<W, S>::type int_from_double(double d) {
  typedef typename storage<W, S>::type raw_t;
  typedef typename wider<int64_t, raw_t>::type Int;
  typedef typename unsigned_of<Int>::type U;
  uint64_t bits;
  std::memcpy(&bits, &d, sizeof bits);
  if ((bits << 1) == 0) return 0;
  const bool neg = (bits >> 63) != 0;
  const int e = int((bits >> 52) & 0x7ff) - 1023;
  const int64_t man = int64_t((bits & ((uint64_t(1) << 52) - 1)) | (uint64_t(1) << 52));
  const int sh = 52 - e;
  Int mag;
  if (sh == 0) {
    mag = Int(man);
  } else if (sh > 0) {
    mag = sh < 54 ? Int(man >> sh) : (neg ? Int(-1) : Int(0));
  } else {
    mag = (-sh < W && -sh < int(sizeof(Int) * 8)) ? Int(U(man) << -sh) : Int(0);
  }
  mag = wrap_bits<W, S>(mag);
  if (neg) mag = Int(U(0) - U(mag));
  return raw_t(wrap_bits<W, S>(mag));
}

}  // namespace vf_detail

#endif  // VF_AP_CONVERT_H
