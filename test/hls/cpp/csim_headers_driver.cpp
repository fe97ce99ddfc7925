// Test driver for vitforge's C-simulation headers (test/hls/csim-headers.test.ts).
//
// The test writes `vf_driver_types.inc` (the types under test as typedefs T<n>, plus X-macro
// lists of which operations to instantiate for which types) and a case file; this driver reads
// one case per line from stdin and prints one result line per case. Raw values travel as
// decimal integers (value = raw * 2^-F), doubles as the hex of their IEEE bits.
#include <ap_fixed.h>
#include <ap_int.h>

#include <cstdio>
#include <cstring>
#include <iostream>
#include <sstream>
#include <string>
#include <type_traits>
#include <unordered_map>

#include "vf_driver_types.inc"

typedef vf_detail::i128 i128;
typedef vf_detail::u128 u128;

static i128 parse_i128(const std::string& s) {
  bool neg = !s.empty() && s[0] == '-';
  u128 v = 0;
  for (std::size_t i = neg ? 1 : 0; i < s.size(); i++) v = v * 10 + u128(s[i] - '0');
  return neg ? i128(u128(0) - v) : i128(v);
}

static std::string fmt_u128(u128 v) {
  char buf[64];
  int n = 0;
  do {
    buf[n++] = char('0' + int(v % 10));
    v /= 10;
  } while (v != 0);
  std::string s;
  while (n > 0) s += buf[--n];
  return s;
}

static std::string fmt_i128(i128 v) {
  return v < 0 ? "-" + fmt_u128(u128(0) - u128(v)) : fmt_u128(u128(v));
}

static std::string fmt_double_bits(uint64_t b) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", (unsigned long long)b);
  return buf;
}

// Results are collected as tagged numbers and printed by non-template code, which keeps the
// per-type instantiations small (compile time of the test).
enum Kind { RAW, U128, FLAGS, DBL, I64, U64 };
struct Out {
  i128 v[32];
  Kind k[32];
  int n = 0;
  void put(i128 x, Kind kind = RAW) {
    v[n] = x;
    k[n++] = kind;
  }
};

template <typename T> static T with_raw(i128 r) {
  T x;
  x.vf_raw = typename T::raw_t(r);
  return x;
}
template <typename T, typename = void> struct has_iwidth : std::false_type {};
template <typename T> struct has_iwidth<T, std::void_t<decltype(T::iwidth)>> : std::true_type {};
// raw W I S of a value of any ap_* type (ap_int has I = W).
template <typename T> static void typed(Out& o, const T& x) {
  o.put(i128(x.vf_raw));
  o.put(T::width);
  if constexpr (has_iwidth<T>::value) o.put(T::iwidth);
  else o.put(T::width);
  o.put(T::sign_flag ? 1 : 0);
}
template <typename A, typename B> static void cmp_flags(Out& o, const A& a, const B& b) {
  o.put((a == b) << 5 | (a != b) << 4 | (a < b) << 3 | (a <= b) << 2 | (a > b) << 1 | int(a >= b), FLAGS);
}

typedef void (*Op)(const i128* args, Out& o);

// D t bits: T t = double.
template <typename T> static void op_double(const i128* args, Out& o) {
  const uint64_t b = uint64_t(args[0]);
  double d;
  std::memcpy(&d, &b, sizeof d);
  T x = d;
  o.put(i128(x.vf_raw));
}
// A t n: T t = (long long) n, and T t(int n).
template <typename T> static void op_cint(const i128* args, Out& o) {
  const long long n = (long long)(args[0]);
  const int ni = int(n);  // the test keeps n within int
  T x = n;
  T y(ni);
  o.put(i128(x.vf_raw));
  o.put(i128(y.vf_raw));
}
// I t raw: to_int, to_uint, to_int64, to_uint64, to_double.
template <typename T> static void op_info(const i128* args, Out& o) {
  const T x = with_raw<T>(args[0]);
  o.put(x.to_int(), I64);
  o.put(x.to_uint(), U64);
  o.put(x.to_int64(), I64);
  o.put(i128(x.to_uint64()), U64);
  const double d = x.to_double();
  uint64_t b;
  std::memcpy(&b, &d, sizeof b);
  o.put(i128(b), DBL);
}
// R t raw hi lo v: range read, range write, bit read, full-range round trip through ap_uint.
template <typename T> static void op_range(const i128* args, Out& o) {
  const T x = with_raw<T>(args[0]);
  const int hi = int(args[1]), lo = int(args[2]);
  T y = x;
  y.range(hi, lo) = (unsigned long long)(args[3]);
  ap_uint<(T::width < 127 ? T::width : 127)> all = x.range();
  T z;
  z.range() = all;
  o.put(i128(x.range(hi, lo).get()), U128);
  o.put(i128(y.vf_raw));
  o.put(x[lo] ? 1 : 0);
  o.put(i128(z.vf_raw));
}
// N t raw: unary minus.
template <typename T> static void op_neg(const i128* args, Out& o) { typed(o, -with_raw<T>(args[0])); }
// L t raw n: comparisons with an int literal (both orders), x + n, x * n.
template <typename T> static void op_lit(const i128* args, Out& o) {
  const T x = with_raw<T>(args[0]);
  const int n = int(args[1]);
  cmp_flags(o, x, n);
  cmp_flags(o, n, x);
  typed(o, x + n);
  typed(o, x * n);
}
// S t raw sh: shifts (integer types).
template <typename T> static void op_shift(const i128* args, Out& o) {
  const T x = with_raw<T>(args[0]);
  const int sh = int(args[1]);
  T y = x;
  y <<= sh;
  o.put(i128((x << sh).vf_raw));
  o.put(i128((x >> sh).vf_raw));
  o.put(i128(y.vf_raw));
}
// C s d raw: Dst d = s (copy-initialisation and assignment must agree).
template <typename S, typename D> static void op_conv(const i128* args, Out& o) {
  const S s = with_raw<S>(args[0]);
  D d = s;
  D e;
  e = s;
  o.put(i128(d.vf_raw));
  o.put(i128(e.vf_raw));
}
// B a b rawA rawB: a+b, a-b, a*b (typed), comparisons, then a+=b, a-=b, a*=b.
template <typename A, typename B> static void op_bin(const i128* args, Out& o) {
  const A a = with_raw<A>(args[0]);
  const B b = with_raw<B>(args[1]);
  A s = a, d = a, m = a;
  s += b;
  d -= b;
  m *= b;
  typed(o, a + b);
  typed(o, a - b);
  typed(o, a * b);
  cmp_flags(o, a, b);
  o.put(i128(s.vf_raw));
  o.put(i128(d.vf_raw));
  o.put(i128(m.vf_raw));
}

static std::unordered_map<std::string, Op>& ops() {
  static std::unordered_map<std::string, Op> m;
  return m;
}
static std::string key(const char* op, int a, int b = -1) {
  return std::string(op) + ":" + std::to_string(a) + ":" + std::to_string(b);
}

static void print(const Out& o, std::string& out) {
  for (int i = 0; i < o.n; i++) {
    if (i > 0) out += ' ';
    const i128 v = o.v[i];
    switch (o.k[i]) {
      case RAW: out += fmt_i128(v); break;
      case U128: out += fmt_u128(u128(v)); break;
      case I64: out += fmt_i128(v); break;
      case U64: out += fmt_u128(u128(uint64_t(v))); break;
      case DBL: out += fmt_double_bits(uint64_t(v)); break;
      case FLAGS:
        for (int bit = 5; bit >= 0; bit--) out += ((v >> bit) & 1) ? '1' : '0';
        break;
    }
  }
  out += '\n';
}

#define REG_ONE(OPNAME, FN, ID) ops()[key(OPNAME, ID)] = &FN<T##ID>;
#define REG_D(T) REG_ONE("D", op_double, T)
#define REG_A(T) REG_ONE("A", op_cint, T)
#define REG_I(T) REG_ONE("I", op_info, T)
#define REG_R(T) REG_ONE("R", op_range, T)
#define REG_N(T) REG_ONE("N", op_neg, T)
#define REG_L(T) REG_ONE("L", op_lit, T)
#define REG_S(T) REG_ONE("S", op_shift, T)
#define REG_C(S, D) ops()[key("C", S, D)] = &op_conv<T##S, T##D>;
#define REG_B(A, B) ops()[key("B", A, B)] = &op_bin<T##A, T##B>;

int main() {
  VF_DOUBLE_TYPES(REG_D)
  VF_DOUBLE_TYPES(REG_A)
  VF_INFO_TYPES(REG_I)
  VF_INFO_TYPES(REG_R)
  VF_INFO_TYPES(REG_N)
  VF_INFO_TYPES(REG_L)
  VF_SHIFT_TYPES(REG_S)
  VF_CONV_PAIRS(REG_C)
  VF_BIN_PAIRS(REG_B)

  std::ios::sync_with_stdio(false);
  std::string line, out, tok;
  i128 args[8];
  Out o;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::string op;
    int a = -1, b = -1;
    in >> op >> a;
    if (op == "C" || op == "B") in >> b;
    int n = 0;
    while (n < 8 && in >> tok) args[n++] = op == "D" ? i128(std::strtoull(tok.c_str(), nullptr, 16)) : parse_i128(tok);
    auto it = ops().find(key(op.c_str(), a, b));
    if (it == ops().end()) {
      std::fprintf(stderr, "driver: no operation %s %d %d\n", op.c_str(), a, b);
      return 2;
    }
    o.n = 0;
    it->second(args, o);
    print(o, out);
  }
  std::fwrite(out.data(), 1, out.size(), stdout);
  return 0;
}
