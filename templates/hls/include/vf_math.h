// vf_math.h: vitforge's hardware math functions for Vitis HLS kernels.
//
// exp, reciprocal, reciprocal square root and the GELU delta-table interpolation, written as
// fixed-point integer pipelines (table look-ups, multiplies, shifts) so that C-simulation,
// hardware and vitforge's TypeScript simulator (src/fixed/math/) compute the same bits. Every
// `T v = expr;` below is one quantisation of an exact value, step for step as in the TypeScript
// version; docs/math.md gives the algorithms, their error bounds and their cost.
//
// Only the vitforge C++ subset of the Vitis API is used (ap_[u]fixed, ap_[u]int, range access,
// ap_[u]int shifts), so the file compiles unchanged with Xilinx's headers and with vitforge's
// C-simulation headers.
#ifndef VF_MATH_H
#define VF_MATH_H

#include <ap_fixed.h>

#include "vf_count.h"
#include <ap_int.h>

// Width parameters of a fixed-point type (W bits, I integer bits, F = W - I fraction bits).
template <class T> struct vf_fixed_traits;
template <int W_, int I_, ap_q_mode Q_, ap_o_mode O_, int N_>
struct vf_fixed_traits<ap_fixed<W_, I_, Q_, O_, N_> > {
    static const int W = W_;
    static const int I = I_;
    static const int F = W_ - I_;
    static const bool is_signed = true;
};
template <int W_, int I_, ap_q_mode Q_, ap_o_mode O_, int N_>
struct vf_fixed_traits<ap_ufixed<W_, I_, Q_, O_, N_> > {
    static const int W = W_;
    static const int I = I_;
    static const int F = W_ - I_;
    static const bool is_signed = false;
};

// Internal types and tables, generated from the TypeScript definitions.
#include "vf_math_tables.h"

namespace vf_math_detail {

// floor(v / 2) for any int (C++ division truncates toward zero).
constexpr int floor_half(int v) { return v >= 0 ? v / 2 : -((1 - v) / 2); }

// Index of the leading one of a non-zero value: a priority encoder.
template <int W>
int leading_one(const ap_uint<W>& v) {
#pragma HLS INLINE
    int p = 0;
    for (int i = 0; i < W; i++) {
#pragma HLS UNROLL
        if (v[i]) p = i;
    }
    return p;
}

// The largest value of T (what RECIP/RSQRT return for a non-positive input).
template <class T>
T max_value() {
    typedef vf_fixed_traits<T> tr;
    const ap_uint<tr::W + 1> one = 1;
    const ap_uint<tr::W> bits = (one << (tr::is_signed ? tr::W - 1 : tr::W)) - 1;
    T r;
    r.range() = bits;
    return r;
}

// RECIP of a positive value given by its W raw bits and F fraction bits.
template <class OUT, int W, int F>
OUT recip_raw(const ap_uint<W>& raw) {
#pragma HLS INLINE
    // Normalise: m = raw * 2^-e in [1, 2), truncated to M_F fraction bits.
    const int M_W = vf_fixed_traits<vf_recip_m_t>::W;
    const int M_F = vf_fixed_traits<vf_recip_m_t>::F;
    const int U_BITS = M_F - VF_RECIP_INDEX_BITS;
    const int e = leading_one<W>(raw);
    ap_uint<W + M_F> wide = raw;
    wide <<= M_F;
    wide >>= e;
    vf_recip_m_t m;
    m.range() = wide.range(M_W - 1, 0);
    // Seed: the table on the top fraction bits of m, interpolated on the remaining U_BITS.
    ap_uint<VF_RECIP_INDEX_BITS> j;
    j.range() = m.range(M_F - 1, U_BITS);
    ap_ufixed<U_BITS, 0> u;
    u.range() = m.range(U_BITS - 1, 0);
    const vf_recip_table_t t0 = VF_RECIP_TABLE[j.to_uint()];
    const vf_recip_table_t t1 = VF_RECIP_TABLE[j.to_uint() + 1];
    const vf_recip_d_t dt = t0 - t1;
    const vf_recip_y0_t y0 = t0 - dt * u;
    // One Newton step in residual form: y1 = y0 * (2 - m * y0) = y0 + y0 * (1 - m * y0).
    const vf_recip_h_t h = 1 - m * y0;
    const vf_recip_y_t y1 = y0 + y0 * h;
    // 1/x = y1 * 2^-(e - F): place y1's bits, shifted left by W-1-e, in a type whose LSB is
    // 2^-(Y_F + W - 1 - F), then convert with OUT's own quantisation and overflow modes.
    const int W_Y = vf_fixed_traits<vf_recip_y_t>::W;
    ap_uint<W_Y + W - 1> zr = 0;
    zr.range(W_Y - 1, 0) = y1.range();
    zr <<= (W - 1 - e);
    ap_ufixed<W_Y + W - 1, 1 + F> z;
    z.range() = zr;
    return OUT(z);
}

// RSQRT of a positive value given by its W raw bits and F fraction bits.
template <class OUT, int W, int F>
OUT rsqrt_raw(const ap_uint<W>& raw) {
#pragma HLS INLINE
    // Normalise: x = m * 2^(E - o), E = e - F, o = E mod 2, m in [1, 4) with M_F fraction bits.
    const int M_W = vf_fixed_traits<vf_rsqrt_m_t>::W;
    const int M_F = vf_fixed_traits<vf_rsqrt_m_t>::F;
    const int U_BITS = M_F - VF_RSQRT_INDEX_BITS;
    const int e = leading_one<W>(raw);
    const int o = (e - F) & 1;
    ap_uint<W + M_F + 1> wide = raw;
    wide <<= M_F + o;
    wide >>= e;
    vf_rsqrt_m_t m;
    m.range() = wide.range(M_W - 1, 0);
    // Seed: floor(m * 2^k) - 2^k indexes the table on [1, 4); the low U_BITS bits interpolate.
    ap_uint<M_W - U_BITS> jm;
    jm.range() = m.range(M_W - 1, U_BITS);
    const unsigned j = jm.to_uint() - (1u << VF_RSQRT_INDEX_BITS);
    ap_ufixed<U_BITS, 0> u;
    u.range() = m.range(U_BITS - 1, 0);
    const vf_rsqrt_table_t t0 = VF_RSQRT_TABLE[j];
    const vf_rsqrt_table_t t1 = VF_RSQRT_TABLE[j + 1];
    const vf_rsqrt_d_t dt = t0 - t1;
    const vf_rsqrt_y0_t y0 = t0 - dt * u;
    // One Newton step: y1 = y0 * (3 - m * y0^2) / 2 = y0 + y0 * (1 - (m * y0) * y0) / 2.
    const vf_rsqrt_w_t w = m * y0;
    const ap_ufixed<1, 0> half = 0.5;
    const vf_rsqrt_h_t h = (1 - w * y0) * half;
    const vf_rsqrt_y_t y1 = y0 + y0 * h;
    // 1/sqrt(x) = y1 * 2^-s, s = (E - o) / 2 in [S_MIN, S_MAX]: shift y1's bits left by
    // S_MAX - s into a type whose LSB is 2^-(Y_F + S_MAX), then convert to OUT.
    const int S_MAX = floor_half(W - 1 - F);
    const int S_MIN = floor_half(-F - 1);
    const int W_Y = vf_fixed_traits<vf_rsqrt_y_t>::W;
    const int s = (e - F - o) / 2;  // exact: e - F - o is even
    ap_uint<W_Y + S_MAX - S_MIN> zr = 0;
    zr.range(W_Y - 1, 0) = y1.range();
    zr <<= (S_MAX - s);
    ap_ufixed<W_Y + S_MAX - S_MIN, 1 - S_MIN> z;
    z.range() = zr;
    return OUT(z);
}

}  // namespace vf_math_detail

// EXP(d) ~ e^d for d <= 0 (d of any fixed-point type; in the datapath the exact difference of two
// fm values). d > 0 is treated as 0 (returns OUT(1)); d < -22 returns OUT(0).
template <class OUT, class IN>
OUT vf_exp(const IN& d) {
#pragma HLS INLINE
    VF_MATH(EXP);
    if (d > 0) return OUT(1);
    if (d < VF_EXP_D_MIN) return OUT(0);
    const vf_exp_d_t dd = d;
    // t = d * log2(e) <= 0; n = floor(t) is t's integer field, f = t - n its fraction bits.
    const vf_exp_t_t t = dd * VF_EXP_LOG2E;
    const int T_W = vf_fixed_traits<vf_exp_t_t>::W;
    const int T_F = vf_fixed_traits<vf_exp_t_t>::F;
    ap_int<T_W - T_F> n;
    n.range() = t.range(T_W - 1, T_F);
    ap_uint<VF_EXP_A_BITS> a;
    a.range() = t.range(T_F - 1, T_F - VF_EXP_A_BITS);
    ap_uint<VF_EXP_B_BITS> b;
    b.range() = t.range(VF_EXP_B_BITS + VF_EXP_C_BITS - 1, VF_EXP_C_BITS);
    vf_exp_c_t c;
    c.range() = t.range(VF_EXP_C_BITS - 1, 0);
    // 2^f = TA[a] * (1 + TB[b]) * 2^c with 2^c ~ 1 + c * ln2 (c < 2^-16).
    const vf_exp_lc_t lc = c * VF_EXP_LN2;
    const vf_exp_tb_t tb = VF_EXP_TB[b.to_uint()];
    const vf_exp_s_t s = tb + lc + tb * lc;
    const vf_exp_ta_t ta = VF_EXP_TA[a.to_uint()];
    const vf_exp_e_t e = ta + ta * s;
    // y = 2^f * 2^n: shift E's bits right by -n (0..32), truncating.
    ap_uint<vf_fixed_traits<vf_exp_e_t>::W> er;
    er.range() = e.range();
    er >>= -n.to_int();
    vf_exp_e_t y;
    y.range() = er;
    return OUT(y);
}

// RECIP(x) ~ 1/x for x > 0; x <= 0 returns OUT's largest value.
template <class OUT, int W, int I, ap_q_mode Q, ap_o_mode O, int N>
OUT vf_recip(const ap_fixed<W, I, Q, O, N>& x) {
#pragma HLS INLINE
    VF_MATH(RECIP);
    if (x <= 0) return vf_math_detail::max_value<OUT>();
    ap_uint<W> raw;
    raw.range() = x.range();
    return vf_math_detail::recip_raw<OUT, W, W - I>(raw);
}
template <class OUT, int W, int I, ap_q_mode Q, ap_o_mode O, int N>
OUT vf_recip(const ap_ufixed<W, I, Q, O, N>& x) {
#pragma HLS INLINE
    VF_MATH(RECIP);
    if (x == 0) return vf_math_detail::max_value<OUT>();
    ap_uint<W> raw;
    raw.range() = x.range();
    return vf_math_detail::recip_raw<OUT, W, W - I>(raw);
}

// RSQRT(x) ~ 1/sqrt(x) for x > 0; x <= 0 returns OUT's largest value.
template <class OUT, int W, int I, ap_q_mode Q, ap_o_mode O, int N>
OUT vf_rsqrt(const ap_fixed<W, I, Q, O, N>& x) {
#pragma HLS INLINE
    VF_MATH(RSQRT);
    if (x <= 0) return vf_math_detail::max_value<OUT>();
    ap_uint<W> raw;
    raw.range() = x.range();
    return vf_math_detail::rsqrt_raw<OUT, W, W - I>(raw);
}
template <class OUT, int W, int I, ap_q_mode Q, ap_o_mode O, int N>
OUT vf_rsqrt(const ap_ufixed<W, I, Q, O, N>& x) {
#pragma HLS INLINE
    VF_MATH(RSQRT);
    if (x == 0) return vf_math_detail::max_value<OUT>();
    ap_uint<W> raw;
    raw.range() = x.range();
    return vf_math_detail::rsqrt_raw<OUT, W, W - I>(raw);
}

// GELU(x) = max(x, 0) - delta(|x|), delta linearly interpolated in `table` (N entries,
// table[n] = delta(n * step), step = 2^-step_log2, step_log2 >= 0); delta = 0 for |x| >= (N-1)*step.
// The result is one quantisation of the exact value into FM. step_log2 is a compile-time
// constant at every call site, so the shifts below reduce to wiring.
template <class FM, class TABLE_T, int N>
FM vf_gelu(const FM& x, const TABLE_T table[N], int step_log2) {
#pragma HLS INLINE
    VF_MATH(GELU);
    typedef vf_fixed_traits<FM> fm;
    const int FB = fm::F > 0 ? fm::F : 1;
    FM xpos = 0;
    if (x > 0) xpos = x;
    // |x| as raw bits: the two's-complement negation of a negative raw, wrapped to W bits.
    ap_uint<fm::W> ar;
    ar.range() = x.range();
    if (x < 0) ar = ap_uint<fm::W>(0) - ar;
    // n = floor(|x| / step), f = |x| / step - n (bit slices of |x|).
    const int sh = fm::F - step_log2;
    ap_uint<fm::W + 32> nw = ar;
    if (sh >= 0) nw >>= sh;
    else nw <<= -sh;
    if (nw >= N - 1) return xpos;
    const unsigned n = nw.to_uint();
    const TABLE_T t0 = table[n];
    if (sh <= 0) {
        const FM r = xpos - t0;
        return r;
    }
    const TABLE_T t1 = table[n + 1];
    // f = fr * 2^-sh, fr = |x| - n * step in raw units; as an FB-bit fraction its raw is
    // fr << step_log2.
    ap_uint<fm::W + 32> fr = ar;
    fr = fr - (nw << sh);
    fr <<= step_log2;
    ap_ufixed<FB, 0> f;
    f.range() = fr.range(FB - 1, 0);
    const FM r = xpos - (t0 + (t1 - t0) * f);
    return r;
}

#endif  // VF_MATH_H
