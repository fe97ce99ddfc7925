// vitforge C-simulation headers: ap_fixed_base / ap_fixed / ap_ufixed.
#ifndef VF_AP_FIXED_BASE_H
#define VF_AP_FIXED_BASE_H

#include <cmath>

#include "vf_ap_int_base.h"

namespace vf_detail {

template <int W, int I, bool S> struct fixed_factory { typedef ap_fixed<W, I> type; };
template <int W, int I> struct fixed_factory<W, I, false> { typedef ap_ufixed<W, I> type; };

// Result types of the fixed-point operators (Vitis rules). For + and -: the integer part is one
// bit wider than the wider operand's (an unsigned operand counts one bit more when the other
// is signed), the fraction is the finer of the two; - is always signed. For *: W1+W2, I1+I2.
template <int W1, int I1, bool S1, int W2, int I2, bool S2> struct fixed_rtype {
  static constexpr int F1 = W1 - I1, F2 = W2 - I2;
  static constexpr int F = vmax(F1, F2);
  static constexpr int plus_i = vmax(I1 + (S2 && !S1), I2 + (S1 && !S2)) + 1;
  static constexpr int plus_w = plus_i + F;
  typedef typename fixed_factory<plus_w, plus_i, S1 || S2>::type plus;
  typedef typename fixed_factory<plus_w, plus_i, true>::type minus;
  typedef typename fixed_factory<W1 + W2, I1 + I2, S1 || S2>::type mult;
};

// Three-way comparison of a * 2^d with b (d >= 0), exact for any d.
template <typename Int> inline int cmp_scaled(Int a, Int b, int d) {
  constexpr int B = int(sizeof(Int) * 8);
  Int bh;
  bool rest;
  if (d >= B) {
    bh = b < 0 ? Int(-1) : Int(0);
    rest = b != 0;
  } else {
    bh = b >> d;
    rest = d > 0 && (b & ((Int(1) << d) - 1)) != 0;
  }
  if (a < bh) return -1;
  if (a > bh) return 1;
  return rest ? -1 : 0;
}

}  // namespace vf_detail

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N> struct ap_fixed_base {
  typedef typename vf_detail::storage<W, S>::type raw_t;
  static const int width = W;
  static const int iwidth = I;
  static const int fwidth = W - I;
  static const bool sign_flag = S;
  static const ap_q_mode qmode = Q;
  static const ap_o_mode omode = O;
  static const int nbits = N;
  raw_t vf_raw;  // exact value * 2^F, sign- or zero-extended

  ap_fixed_base() : vf_raw(0) {}
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  ap_fixed_base(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& o)
      : vf_raw(from_exact(o.vf_raw, (W2 - I2) - (W - I))) {}
  template <int W2, bool S2>
  ap_fixed_base(const ap_int_base<W2, S2>& o) : vf_raw(from_exact(o.vf_raw, -(W - I))) {}
#define VF_FIXED_CTOR(T) \
  ap_fixed_base(T v) : vf_raw(from_exact(int64_t(v), -(W - I))) {}
  VF_FIXED_CTOR(bool) VF_FIXED_CTOR(char) VF_FIXED_CTOR(signed char)
  VF_FIXED_CTOR(unsigned char) VF_FIXED_CTOR(short) VF_FIXED_CTOR(unsigned short)
  VF_FIXED_CTOR(int) VF_FIXED_CTOR(unsigned) VF_FIXED_CTOR(long) VF_FIXED_CTOR(long long)
#undef VF_FIXED_CTOR
  ap_fixed_base(unsigned long v) : vf_raw(from_exact(vf_detail::i128(v), -(W - I))) {}
  ap_fixed_base(unsigned long long v) : vf_raw(from_exact(vf_detail::i128(v), -(W - I))) {}
  ap_fixed_base(double d) : vf_raw(vf_detail::from_double<W, S, Q, O, N, W - I>(d)) {}
  ap_fixed_base(float f) : vf_raw(vf_detail::from_double<W, S, Q, O, N, W - I>(double(f))) {}
  // A range is read as an unsigned integer value and converted (not a raw-bit copy).
  template <typename Owner>
  ap_fixed_base(const vf_range_ref<Owner>& r)
      : ap_fixed_base(ap_uint<vf_range_ref<Owner>::VW>(r)) {}

  static ap_fixed_base from_raw(raw_t r) {
    ap_fixed_base x;
    x.vf_raw = r;
    return x;
  }

  // Compound arithmetic: exact operation, then quantisation/overflow into this type.
  // The right operand may be an ap_[u]fixed, an ap_[u]int or a C integer.
#define VF_FX_COMPOUND(OP)                                                                     \
  template <int W2, bool S2> ap_fixed_base& operator OP##=(const ap_int_base<W2, S2>& o) {     \
    return *this = ap_fixed_base(*this OP o);                                                  \
  }                                                                                            \
  template <typename T, typename = typename std::enable_if<std::is_integral<T>::value>::type>  \
  ap_fixed_base& operator OP##=(T o) {                                                         \
    return *this = ap_fixed_base(*this OP o);                                                  \
  }
  VF_FX_COMPOUND(+)
  VF_FX_COMPOUND(-)
  VF_FX_COMPOUND(*)
#undef VF_FX_COMPOUND
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  ap_fixed_base& operator-=(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& o) {
    return *this = ap_fixed_base(*this - o);
  }
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  ap_fixed_base& operator*=(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& o) {
    return *this = ap_fixed_base(*this * o);
  }
  // Accumulator fast path (AP_TRN, AP_WRAP, both <= 64 bits, o at least as fine as this):
  // floor((a * 2^d + b) / 2^d) = a + floor(b / 2^d), so the exact sum need not be formed.
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  ap_fixed_base& operator+=(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& o) {
    constexpr int d = (W2 - I2) - (W - I);
    typedef typename ap_fixed_base<W2, I2, S2, Q2, O2, N2>::raw_t raw2_t;
    if constexpr (Q == AP_TRN && O == AP_WRAP && N == 0 && d >= 0 && d < 64 &&
                  sizeof(raw_t) == 8 && sizeof(raw2_t) == 8) {
      vf_raw = vf_detail::wrap_bits<W, S>(raw_t(uint64_t(vf_raw) + uint64_t(o.vf_raw >> d)));
      return *this;
    } else {
      return *this = ap_fixed_base(*this + o);
    }
  }

  double to_double() const { return std::ldexp(double(vf_raw), -(W - I)); }
  float to_float() const { return float(to_double()); }
  int to_int() const { return int(vf_int_part()); }
  unsigned to_uint() const { return unsigned(vf_int_part()); }
  long long to_int64() const { return (long long)(vf_int_part()); }
  unsigned long long to_uint64() const { return (unsigned long long)(vf_int_part()); }
  int length() const { return W; }

  // Integer part as the vendor's to_ap_int_base(): truncation toward zero for I >= 1. With
  // I <= 0 the vendor keeps a 1-bit result, so every negative value gives -1 (not 0).
  typename vf_detail::wider<int64_t, raw_t>::type vf_int_part() const {
    typedef typename vf_detail::wider<int64_t, raw_t>::type Int;
    constexpr int F = W - I;
    const Int v = Int(vf_raw);
    if constexpr (I <= 0) {
      return (S && v < 0) ? Int(-1) : Int(0);
    } else if constexpr (F <= 0) {
      return vf_detail::wrap_bits<(I < 127 ? I + 1 : 128), true>(
          Int(typename vf_detail::unsigned_of<Int>::type(v) << -F));
    } else {
      const Int fl = v >> F;
      return (v < 0 && (v & ((Int(1) << F) - 1)) != 0) ? fl + 1 : fl;
    }
  }

  vf_range_ref<ap_fixed_base> range(int hi, int lo) const {
    return vf_range_ref<ap_fixed_base>(const_cast<ap_fixed_base*>(this), hi, lo);
  }
  vf_range_ref<ap_fixed_base> range() const { return range(W - 1, 0); }
  bool operator[](int i) const {
    if (i < 0 || i >= W) vf_detail::fatal("bit index out of range");
    typedef typename vf_detail::wider<int64_t, raw_t>::type Int;
    return ((Int(vf_raw) >> i) & 1) != 0;
  }
  bool is_neg() const { return vf_raw < 0; }

  // Q_T of an exact integer src * 2^-(F + k) (k = source F - this F).
  template <typename Src> static raw_t from_exact(Src src, int k) {
    typedef typename vf_detail::wider<typename vf_detail::wider<int64_t, Src>::type, raw_t>::type Int;
    return vf_detail::convert<W, S, Q, O, N, Int>(Int(src), k);
  }
};

template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ap_fixed : ap_fixed_base<W, I, true, Q, O, N> {
  typedef ap_fixed_base<W, I, true, Q, O, N> Base;
  using Base::Base;
  ap_fixed() : Base() {}
  ap_fixed(const Base& b) : Base(b) {}
};

template <int W, int I, ap_q_mode Q, ap_o_mode O, int N>
struct ap_ufixed : ap_fixed_base<W, I, false, Q, O, N> {
  typedef ap_fixed_base<W, I, false, Q, O, N> Base;
  using Base::Base;
  ap_ufixed() : Base() {}
  ap_ufixed(const Base& b) : Base(b) {}
};

// ---- Binary arithmetic between fixed-point values: exact, full-precision result type.
#define VF_FX_TPL                                                                              \
  template <int W1, int I1, bool S1, ap_q_mode Q1, ap_o_mode O1, int N1, int W2, int I2,       \
            bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
#define VF_FX_A const ap_fixed_base<W1, I1, S1, Q1, O1, N1>& a
#define VF_FX_B const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& b
#define VF_FX_RT(RT) typename vf_detail::fixed_rtype<W1, I1, S1, W2, I2, S2>::RT

#define VF_FX_ADDSUB(OP, RT)                                                                   \
  VF_FX_TPL inline VF_FX_RT(RT) operator OP(VF_FX_A, VF_FX_B) {                                \
    typedef VF_FX_RT(RT) R;                                                                    \
    typedef typename R::raw_t raw_t;                                                           \
    typedef typename vf_detail::unsigned_of<raw_t>::type U;                                    \
    constexpr int F = R::fwidth;                                                               \
    /* Aligned operands fit in the result width, so the operation is exact. */               \
    const raw_t x = raw_t(U(raw_t(a.vf_raw)) << (F - (W1 - I1)));                              \
    const raw_t y = raw_t(U(raw_t(b.vf_raw)) << (F - (W2 - I2)));                              \
    return R(R::Base::from_raw(x OP y));                                                       \
  }
VF_FX_ADDSUB(+, plus)
VF_FX_ADDSUB(-, minus)
#undef VF_FX_ADDSUB

VF_FX_TPL inline VF_FX_RT(mult) operator*(VF_FX_A, VF_FX_B) {
  typedef VF_FX_RT(mult) R;
  typedef typename R::raw_t raw_t;
  return R(R::Base::from_raw(raw_t(a.vf_raw) * raw_t(b.vf_raw)));
}

template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
inline ap_fixed<W + 1, I + 1> operator-(const ap_fixed_base<W, I, S, Q, O, N>& a) {
  typedef typename ap_fixed<W + 1, I + 1>::raw_t raw_t;
  return ap_fixed<W + 1, I + 1>(ap_fixed<W + 1, I + 1>::Base::from_raw(-raw_t(a.vf_raw)));
}
template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
inline ap_fixed_base<W, I, S, Q, O, N> operator+(const ap_fixed_base<W, I, S, Q, O, N>& a) {
  return a;
}

// ---- Comparisons. Like the vendor code, the operand with fewer fractional bits is widened to
// the other's grid (the left one with one more integer bit) and the two integers are compared
// with the vendor's integer rule (vendor_lt / vendor_eq: exact except mixed signedness at >= 32
// bits). When the widened operand is the RIGHT one and it is a signed AP_SAT_SYM type holding
// its most negative raw value, the widening saturates it to min + 1 LSB, as the vendor's does.
namespace vf_detail {
// op: 0 ==, 1 <, 2 > ; the others are negations.
VF_FX_TPL inline bool fixed_cmp(VF_FX_A, VF_FX_B, int op) {
  constexpr int F1 = W1 - I1, F2 = W2 - I2;
  constexpr int d = F1 > F2 ? F1 - F2 : F2 - F1;
  // Widths of the two integers the vendor code compares.
  constexpr int WA = F1 < F2 ? W1 + d + 1 : W1;
  constexpr int WB = F1 > F2 ? W2 + d : W2;
  const i128 x = a.vf_raw, y = b.vf_raw;
  bool sym_min = false;
  if constexpr (F1 > F2 && O2 == AP_SAT_SYM && S2) sym_min = y == raw_min<W2, true, i128>();
  if constexpr (WA <= 127 && WB <= 127) {
    const i128 xa = F1 < F2 ? i128(u128(x) << d) : x;
    const i128 yb = F1 > F2 ? i128(u128(y) << d) + i128(sym_min) : y;
    if (op == 0) return vendor_eq<WA, S1, WB, S2>(xa, yb);
    if (op == 1) return vendor_lt<WA, S1, WB, S2>(xa, yb);
    return vendor_lt<WB, S2, WA, S1>(yb, xa);
  } else {
    // Beyond 128 bits: exact three-way comparison without widening.
    int c;
    if constexpr (F1 <= F2) {
      c = cmp_scaled(x, y, d);
    } else if (sym_min) {
      c = x == raw_min<128, true, i128>() ? -1 : -cmp_scaled(y, i128(x - 1), d);
    } else {
      c = -cmp_scaled(y, x, d);
    }
    return op == 0 ? c == 0 : op == 1 ? c < 0 : c > 0;
  }
}
}  // namespace vf_detail

#define VF_FX_CMP(OP, CODE, NEG) \
  VF_FX_TPL inline bool operator OP(VF_FX_A, VF_FX_B) { return NEG vf_detail::fixed_cmp(a, b, CODE); }
VF_FX_CMP(==, 0, ) VF_FX_CMP(!=, 0, !) VF_FX_CMP(<, 1, ) VF_FX_CMP(>=, 1, !)
VF_FX_CMP(>, 2, ) VF_FX_CMP(<=, 2, !)
#undef VF_FX_CMP

// ---- Mixing with ap_[u]int and C integers: the integer acts as ap_[u]fixed<bits, bits>.
#define VF_FX_ONE template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N>
#define VF_FX_X const ap_fixed_base<W, I, S, Q, O, N>& a
#define VF_FX_WITH_C(T, BITS, SIGNED)                                               \
  VF_FX_ONE inline typename vf_detail::fixed_rtype<W, I, S, BITS, BITS, SIGNED>::plus operator+(     \
      VF_FX_X, T b) { return a + ap_fixed_base<BITS, BITS, SIGNED, AP_TRN, AP_WRAP, 0>(b); }   \
  VF_FX_ONE inline typename vf_detail::fixed_rtype<BITS, BITS, SIGNED, W, I, S>::plus operator+(     \
      T b, VF_FX_X) { return ap_fixed_base<BITS, BITS, SIGNED, AP_TRN, AP_WRAP, 0>(b) + a; }   \
  VF_FX_ONE inline typename vf_detail::fixed_rtype<W, I, S, BITS, BITS, SIGNED>::minus operator-(    \
      VF_FX_X, T b) { return a - ap_fixed_base<BITS, BITS, SIGNED, AP_TRN, AP_WRAP, 0>(b); }   \
  VF_FX_ONE inline typename vf_detail::fixed_rtype<BITS, BITS, SIGNED, W, I, S>::minus operator-(    \
      T b, VF_FX_X) { return ap_fixed_base<BITS, BITS, SIGNED, AP_TRN, AP_WRAP, 0>(b) - a; }   \
  VF_FX_ONE inline typename vf_detail::fixed_rtype<W, I, S, BITS, BITS, SIGNED>::mult operator*(     \
      VF_FX_X, T b) { return a * ap_fixed_base<BITS, BITS, SIGNED, AP_TRN, AP_WRAP, 0>(b); }   \
  VF_FX_ONE inline typename vf_detail::fixed_rtype<BITS, BITS, SIGNED, W, I, S>::mult operator*(     \
      T b, VF_FX_X) { return ap_fixed_base<BITS, BITS, SIGNED, AP_TRN, AP_WRAP, 0>(b) * a; }   \
  VF_FX_CMP_INT(T, BITS, SIGNED, ==) VF_FX_CMP_INT(T, BITS, SIGNED, !=)              \
  VF_FX_CMP_INT(T, BITS, SIGNED, <) VF_FX_CMP_INT(T, BITS, SIGNED, <=)               \
  VF_FX_CMP_INT(T, BITS, SIGNED, >) VF_FX_CMP_INT(T, BITS, SIGNED, >=)
#define VF_FX_CMP_INT(T, BITS, SIGNED, OP)                                                \
  VF_FX_ONE inline bool operator OP(VF_FX_X, T b) {                                                  \
    return a OP ap_fixed_base<BITS, BITS, SIGNED, AP_TRN, AP_WRAP, 0>(b);                      \
  }                                                                                            \
  VF_FX_ONE inline bool operator OP(T b, VF_FX_X) {                                                  \
    return ap_fixed_base<BITS, BITS, SIGNED, AP_TRN, AP_WRAP, 0>(b) OP a;                      \
  }
VF_FOR_EACH_C_INT(VF_FX_WITH_C)
#define VF_FX_APINT(OP, RT)                                                                    \
  template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N, int W2, bool S2>            \
  inline typename vf_detail::fixed_rtype<W, I, S, W2, W2, S2>::RT operator OP(                 \
      VF_FX_X, const ap_int_base<W2, S2>& b) {                                                 \
    return a OP ap_fixed_base<W2, W2, S2, AP_TRN, AP_WRAP, 0>(b);                              \
  }                                                                                            \
  template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N, int W2, bool S2>            \
  inline typename vf_detail::fixed_rtype<W2, W2, S2, W, I, S>::RT operator OP(                 \
      const ap_int_base<W2, S2>& b, VF_FX_X) {                                                 \
    return ap_fixed_base<W2, W2, S2, AP_TRN, AP_WRAP, 0>(b) OP a;                              \
  }
VF_FX_APINT(+, plus)
VF_FX_APINT(-, minus)
VF_FX_APINT(*, mult)
#define VF_FX_APINT_CMP(OP)                                                                    \
  template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N, int W2, bool S2>            \
  inline bool operator OP(VF_FX_X, const ap_int_base<W2, S2>& b) {                             \
    return a OP ap_fixed_base<W2, W2, S2, AP_TRN, AP_WRAP, 0>(b);                              \
  }                                                                                            \
  template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N, int W2, bool S2>            \
  inline bool operator OP(const ap_int_base<W2, S2>& b, VF_FX_X) {                             \
    return ap_fixed_base<W2, W2, S2, AP_TRN, AP_WRAP, 0>(b) OP a;                              \
  }
VF_FX_APINT_CMP(==) VF_FX_APINT_CMP(!=) VF_FX_APINT_CMP(<)
VF_FX_APINT_CMP(<=) VF_FX_APINT_CMP(>) VF_FX_APINT_CMP(>=)

// Comparing with a double/float is outside vitforge's subset (docs/hls.md): compare with a
// value of a fixed-point type instead, or with .to_double() explicitly.
#define VF_FX_NO_FLOAT_CMP(OP)                                                                  \
  template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N, typename F,                 \
            typename = typename std::enable_if<std::is_floating_point<F>::value>::type>        \
  bool operator OP(VF_FX_X, F) = delete;                                                       \
  template <int W, int I, bool S, ap_q_mode Q, ap_o_mode O, int N, typename F,                 \
            typename = typename std::enable_if<std::is_floating_point<F>::value>::type>        \
  bool operator OP(F, VF_FX_X) = delete;
VF_FX_NO_FLOAT_CMP(==) VF_FX_NO_FLOAT_CMP(!=) VF_FX_NO_FLOAT_CMP(<)
VF_FX_NO_FLOAT_CMP(<=) VF_FX_NO_FLOAT_CMP(>) VF_FX_NO_FLOAT_CMP(>=)
#undef VF_FX_NO_FLOAT_CMP

#undef VF_FX_APINT
#undef VF_FX_APINT_CMP
#undef VF_FX_WITH_C
#undef VF_FX_CMP_INT
#undef VF_FX_ONE
#undef VF_FX_X
#undef VF_FX_TPL
#undef VF_FX_A
#undef VF_FX_B
#undef VF_FX_RT

#endif  // VF_AP_FIXED_BASE_H
