// vitforge C-simulation headers: ap_int_base / ap_int / ap_uint and raw bit access.
// Integer types wrap (two's complement) on every assignment, like the vendor's.
#ifndef VF_AP_INT_BASE_H
#define VF_AP_INT_BASE_H

#include "vf_ap_convert.h"

namespace vf_detail {

template <int W, bool S> struct int_factory { typedef ap_int<W> type; };
template <int W> struct int_factory<W, false> { typedef ap_uint<W> type; };

// Re-wrap a value held in any container into the W-bit container of a type.
template <int W, bool S, typename From> inline typename storage<W, S>::type rewrap(From v) {
  typedef typename wider<From, typename storage<W, S>::type>::type Int;
  return typename storage<W, S>::type(wrap_bits<W, S>(Int(v)));
}

// Result widths of the integer operators (Vitis rules: one more bit for +/-, sum of widths
// for *, an extra bit on the unsigned side when signedness is mixed).
template <int W1, bool S1, int W2, bool S2> struct int_rtype {
  static constexpr int plus_w = vmax(W1 + (S2 && !S1), W2 + (S1 && !S2)) + 1;
  static constexpr bool plus_s = S1 || S2;
  static constexpr int mult_w = W1 + W2;
  static constexpr bool mult_s = S1 || S2;
  typedef typename int_factory<plus_w, plus_s>::type plus;
  typedef typename int_factory<plus_w, true>::type minus;
  typedef typename int_factory<mult_w, mult_s>::type mult;
};

}  // namespace vf_detail

// Proxy returned by .range(hi, lo) on ap_[u]int and ap_[u]fixed: reads the bits hi..lo as an
// unsigned integer and assigns raw bits into them (the owner's other bits are kept).
template <typename Owner> struct vf_range_ref {
  static constexpr int W = Owner::width;
  static constexpr int VW = W < 127 ? W : 127;  // widest unsigned value type
  typedef typename vf_detail::wider<int64_t, typename Owner::raw_t>::type Int;
  typedef typename vf_detail::unsigned_of<Int>::type U;

  Owner* owner;
  int hi, lo;

  vf_range_ref(Owner* o, int h, int l) : owner(o), hi(h), lo(l) {
    if (l < 0 || h < l || h >= W) vf_detail::fatal("range(hi, lo) out of bounds (need 0 <= lo <= hi < W)");
  }
  vf_range_ref(const vf_range_ref&) = default;

  U mask() const {
    const int n = hi - lo + 1;
    return n >= int(sizeof(U) * 8) ? ~U(0) : ((U(1) << n) - 1);
  }
  // The selected bits, zero-extended.
  U get() const { return (U(Int(owner->vf_raw)) >> lo) & mask(); }
  void set(U v) {
    const U m = mask() << lo;
    const U bits = (U(Int(owner->vf_raw)) & ~m) | ((v << lo) & m);
    owner->vf_raw = vf_detail::rewrap<Owner::width, Owner::sign_flag>(Int(bits));
  }

  int length() const { return hi - lo + 1; }
  int to_int() const { return int(get()); }
  unsigned to_uint() const { return unsigned(get()); }
  long long to_int64() const { return (long long)(get()); }
  unsigned long long to_uint64() const { return (unsigned long long)(get()); }
  operator unsigned long long() const { return (unsigned long long)(get()); }

  vf_range_ref& operator=(const vf_range_ref& o) {
    set(o.get());
    return *this;
  }
  template <typename O2> vf_range_ref& operator=(const vf_range_ref<O2>& o) {
    set(U(o.get()));
    return *this;
  }
  template <int W2, bool S2> vf_range_ref& operator=(const ap_int_base<W2, S2>& v) {
    set(U(typename vf_detail::wider<Int, typename ap_int_base<W2, S2>::raw_t>::type(v.vf_raw)));
    return *this;
  }
#define VF_RANGE_ASSIGN(T) \
  vf_range_ref& operator=(T v) { set(U(Int(v))); return *this; }
  VF_RANGE_ASSIGN(bool) VF_RANGE_ASSIGN(char) VF_RANGE_ASSIGN(signed char)
  VF_RANGE_ASSIGN(unsigned char) VF_RANGE_ASSIGN(short) VF_RANGE_ASSIGN(unsigned short)
  VF_RANGE_ASSIGN(int) VF_RANGE_ASSIGN(unsigned) VF_RANGE_ASSIGN(long)
  VF_RANGE_ASSIGN(unsigned long) VF_RANGE_ASSIGN(long long) VF_RANGE_ASSIGN(unsigned long long)
#undef VF_RANGE_ASSIGN
};

template <int W, bool S> struct ap_int_base {
  typedef typename vf_detail::storage<W, S>::type raw_t;
  static const int width = W;
  static const bool sign_flag = S;
  raw_t vf_raw;  // exact value, sign- or zero-extended

  ap_int_base() : vf_raw(0) {}
#define VF_INT_CTOR(T) \
  ap_int_base(T v) : vf_raw(vf_detail::rewrap<W, S>(typename vf_detail::wider<raw_t, int64_t>::type(v))) {}
  VF_INT_CTOR(bool) VF_INT_CTOR(char) VF_INT_CTOR(signed char) VF_INT_CTOR(unsigned char)
  VF_INT_CTOR(short) VF_INT_CTOR(unsigned short) VF_INT_CTOR(int) VF_INT_CTOR(unsigned)
  VF_INT_CTOR(long) VF_INT_CTOR(long long)
#undef VF_INT_CTOR
  ap_int_base(unsigned long v) : vf_raw(vf_detail::rewrap<W, S>(vf_detail::i128(v))) {}
  ap_int_base(unsigned long long v) : vf_raw(vf_detail::rewrap<W, S>(vf_detail::i128(v))) {}
  ap_int_base(double d) : vf_raw(vf_detail::int_from_double<W, S>(d)) {}
  ap_int_base(float f) : vf_raw(vf_detail::int_from_double<W, S>(double(f))) {}
  template <int W2, bool S2>
  ap_int_base(const ap_int_base<W2, S2>& o) : vf_raw(vf_detail::rewrap<W, S>(o.vf_raw)) {}
  // From a fixed-point value: its integer part truncated toward zero (see to_int()), wrapped.
  template <int W2, int I2, bool S2, ap_q_mode Q2, ap_o_mode O2, int N2>
  ap_int_base(const ap_fixed_base<W2, I2, S2, Q2, O2, N2>& o)
      : vf_raw(vf_detail::rewrap<W, S>(o.vf_int_part())) {}
  template <typename Owner>
  ap_int_base(const vf_range_ref<Owner>& r)
      : vf_raw(vf_detail::rewrap<W, S>(typename vf_range_ref<Owner>::Int(r.get()))) {}

  static ap_int_base from_raw(raw_t r) {
    ap_int_base x;
    x.vf_raw = r;
    return x;
  }

  int to_int() const { return int(vf_raw); }
  unsigned to_uint() const { return unsigned(vf_raw); }
  long long to_int64() const { return (long long)(vf_raw); }
  unsigned long long to_uint64() const { return (unsigned long long)(vf_raw); }
  double to_double() const { return double(vf_raw); }
  int length() const { return W; }

  vf_range_ref<ap_int_base> range(int hi, int lo) const {
    return vf_range_ref<ap_int_base>(const_cast<ap_int_base*>(this), hi, lo);
  }
  vf_range_ref<ap_int_base> range() const { return range(W - 1, 0); }
  bool operator[](int i) const {
    if (i < 0 || i >= W) vf_detail::fatal("bit index out of range");
    typedef typename vf_detail::wider<int64_t, raw_t>::type Int;
    return ((Int(vf_raw) >> i) & 1) != 0;
  }

  // Compound arithmetic: exact operation, then wrap into W bits.
  template <int W2, bool S2> ap_int_base& operator+=(const ap_int_base<W2, S2>& o) { return op_assign(o, 0); }
  template <int W2, bool S2> ap_int_base& operator-=(const ap_int_base<W2, S2>& o) { return op_assign(o, 1); }
  template <int W2, bool S2> ap_int_base& operator*=(const ap_int_base<W2, S2>& o) { return op_assign(o, 2); }
  ap_int_base& operator+=(long long v) { return *this += ap_int_base<64, true>(v); }
  ap_int_base& operator-=(long long v) { return *this -= ap_int_base<64, true>(v); }
  ap_int_base& operator*=(long long v) { return *this *= ap_int_base<64, true>(v); }

  ap_int_base& operator++() { return *this += ap_int_base<2, true>(1); }
  ap_int_base& operator--() { return *this -= ap_int_base<2, true>(1); }
  typename vf_detail::int_factory<W, S>::type operator++(int) {
    typename vf_detail::int_factory<W, S>::type old(*this);
    ++*this;
    return old;
  }
  typename vf_detail::int_factory<W, S>::type operator--(int) {
    typename vf_detail::int_factory<W, S>::type old(*this);
    --*this;
    return old;
  }

  // Shifts keep the type; a negative amount shifts the other way, as in the vendor headers.
  typename vf_detail::int_factory<W, S>::type operator<<(int sh) const {
    return typename vf_detail::int_factory<W, S>::type(from_raw(shifted(-sh)));
  }
  typename vf_detail::int_factory<W, S>::type operator>>(int sh) const {
    return typename vf_detail::int_factory<W, S>::type(from_raw(shifted(sh)));
  }
  ap_int_base& operator<<=(int sh) { vf_raw = shifted(-sh); return *this; }
  ap_int_base& operator>>=(int sh) { vf_raw = shifted(sh); return *this; }

 private:
  template <int W2, bool S2> ap_int_base& op_assign(const ap_int_base<W2, S2>& o, int op) {
    typedef typename vf_detail::wider<raw_t, typename ap_int_base<W2, S2>::raw_t>::type Int;
    typedef typename vf_detail::unsigned_of<Int>::type U;
    const U a = U(Int(vf_raw)), b = U(Int(o.vf_raw));
    const U r = op == 0 ? a + b : op == 1 ? a - b : a * b;  // modulo 2^bits: wrap is exact
    vf_raw = vf_detail::rewrap<W, S>(Int(r));
    return *this;
  }
  // Arithmetic right shift by n (n < 0: left shift), result wrapped to W bits.
  raw_t shifted(int n) const {
    typedef typename vf_detail::unsigned_of<raw_t>::type U;
    constexpr int B = int(sizeof(raw_t) * 8);
    if (n >= 0) return n >= B ? (vf_raw < 0 ? raw_t(-1) : raw_t(0)) : raw_t(vf_raw >> n);
    return -n >= W ? raw_t(0) : vf_detail::rewrap<W, S>(raw_t(U(vf_raw) << -n));
  }
};

template <int W> struct ap_int : ap_int_base<W, true> {
  typedef ap_int_base<W, true> Base;
  using Base::Base;
  ap_int() : Base() {}
  ap_int(const Base& b) : Base(b) {}
};

template <int W> struct ap_uint : ap_int_base<W, false> {
  typedef ap_int_base<W, false> Base;
  using Base::Base;
  ap_uint() : Base() {}
  ap_uint(const Base& b) : Base(b) {}
};

// ---- Binary arithmetic between integer types: exact, full-precision result type.
#define VF_INT_BINOP(OP, RT, EXPR)                                                              \
  template <int W1, bool S1, int W2, bool S2>                                                   \
  inline typename vf_detail::int_rtype<W1, S1, W2, S2>::RT operator OP(                         \
      const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) {                             \
    typedef typename vf_detail::int_rtype<W1, S1, W2, S2>::RT R;                                \
    typedef typename R::raw_t raw_t;                                                            \
    const raw_t x = raw_t(a.vf_raw), y = raw_t(b.vf_raw);                                       \
    return R(R::Base::from_raw(EXPR));                                                          \
  }
VF_INT_BINOP(+, plus, x + y)
VF_INT_BINOP(-, minus, x - y)
VF_INT_BINOP(*, mult, x * y)
#undef VF_INT_BINOP

template <int W, bool S>
inline typename vf_detail::int_rtype<1, false, W, S>::minus operator-(const ap_int_base<W, S>& a) {
  return ap_int_base<1, false>(0) - a;
}
template <int W, bool S>
inline typename vf_detail::int_factory<W, S>::type operator+(const ap_int_base<W, S>& a) {
  return typename vf_detail::int_factory<W, S>::type(a);
}

// ---- Comparisons between integer types: exact, except the vendor's C-like rule for mixed
// signedness (vendor_lt / vendor_eq in vf_ap_common.h).
#define VF_INT_CMP(OP, EXPR)                                                                    \
  template <int W1, bool S1, int W2, bool S2>                                                   \
  inline bool operator OP(const ap_int_base<W1, S1>& a, const ap_int_base<W2, S2>& b) {        \
    const vf_detail::i128 x = a.vf_raw, y = b.vf_raw;                                           \
    return EXPR;                                                                                \
  }
VF_INT_CMP(==, (vf_detail::vendor_eq<W1, S1, W2, S2>(x, y)))
VF_INT_CMP(!=, (!vf_detail::vendor_eq<W1, S1, W2, S2>(x, y)))
VF_INT_CMP(<, (vf_detail::vendor_lt<W1, S1, W2, S2>(x, y)))
VF_INT_CMP(>=, (!vf_detail::vendor_lt<W1, S1, W2, S2>(x, y)))
VF_INT_CMP(>, (vf_detail::vendor_lt<W2, S2, W1, S1>(y, x)))
VF_INT_CMP(<=, (!vf_detail::vendor_lt<W2, S2, W1, S1>(y, x)))
#undef VF_INT_CMP

// ---- Mixing with C integer types: the C value acts as ap_int<bits> / ap_uint<bits>.
#define VF_INT_WITH_C(T, BITS, SIGNED)                                                          \
  template <int W, bool S>                                                                      \
  inline typename vf_detail::int_rtype<W, S, BITS, SIGNED>::plus operator+(                     \
      const ap_int_base<W, S>& a, T b) { return a + ap_int_base<BITS, SIGNED>(b); }             \
  template <int W, bool S>                                                                      \
  inline typename vf_detail::int_rtype<BITS, SIGNED, W, S>::plus operator+(                     \
      T a, const ap_int_base<W, S>& b) { return ap_int_base<BITS, SIGNED>(a) + b; }             \
  template <int W, bool S>                                                                      \
  inline typename vf_detail::int_rtype<W, S, BITS, SIGNED>::minus operator-(                    \
      const ap_int_base<W, S>& a, T b) { return a - ap_int_base<BITS, SIGNED>(b); }             \
  template <int W, bool S>                                                                      \
  inline typename vf_detail::int_rtype<BITS, SIGNED, W, S>::minus operator-(                    \
      T a, const ap_int_base<W, S>& b) { return ap_int_base<BITS, SIGNED>(a) - b; }             \
  template <int W, bool S>                                                                      \
  inline typename vf_detail::int_rtype<W, S, BITS, SIGNED>::mult operator*(                     \
      const ap_int_base<W, S>& a, T b) { return a * ap_int_base<BITS, SIGNED>(b); }             \
  template <int W, bool S>                                                                      \
  inline typename vf_detail::int_rtype<BITS, SIGNED, W, S>::mult operator*(                     \
      T a, const ap_int_base<W, S>& b) { return ap_int_base<BITS, SIGNED>(a) * b; }             \
  VF_INT_CMP_C(T, BITS, SIGNED, ==) VF_INT_CMP_C(T, BITS, SIGNED, !=)                           \
  VF_INT_CMP_C(T, BITS, SIGNED, <) VF_INT_CMP_C(T, BITS, SIGNED, <=)                            \
  VF_INT_CMP_C(T, BITS, SIGNED, >) VF_INT_CMP_C(T, BITS, SIGNED, >=)
#define VF_INT_CMP_C(T, BITS, SIGNED, OP)                                                       \
  template <int W, bool S> inline bool operator OP(const ap_int_base<W, S>& a, T b) {           \
    return a OP ap_int_base<BITS, SIGNED>(b);                                                   \
  }                                                                                             \
  template <int W, bool S> inline bool operator OP(T a, const ap_int_base<W, S>& b) {           \
    return ap_int_base<BITS, SIGNED>(a) OP b;                                                   \
  }
#define VF_FOR_EACH_C_INT(M)                                                                    \
  M(bool, 1, false) M(char, 8, (char(-1) < 0)) M(signed char, 8, true)                          \
  M(unsigned char, 8, false) M(short, 16, true) M(unsigned short, 16, false) M(int, 32, true)   \
  M(unsigned, 32, false) M(long, 64, true) M(unsigned long, 64, false) M(long long, 64, true)   \
  M(unsigned long long, 64, false)
VF_FOR_EACH_C_INT(VF_INT_WITH_C)
#undef VF_INT_WITH_C
#undef VF_INT_CMP_C

#endif  // VF_AP_INT_BASE_H
