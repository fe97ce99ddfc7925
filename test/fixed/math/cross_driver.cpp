// Cross-check driver for vf_math.h (test/fixed/math/cpp-cross.test.ts).
// Reads lines "<case> <raw>" from stdin, runs the vf_* function of that case on the input whose
// raw bits are <raw> (two's complement), and prints the result's raw bits as an unsigned decimal.
// The cases (types per function) are mirrored one for one in the TypeScript test.
#include <cstdio>

#include <ap_fixed.h>
#include <ap_int.h>

#include "vf_math.h"
#include "cross_tables.h"  // GELU tables written by the test with geluTableCpp()

template <class IN, class OUT>
unsigned long long run_exp(long long raw) {
    IN d;
    d.range() = raw;
    const OUT r = vf_exp<OUT>(d);
    return r.range().to_uint64();
}

template <class IN, class OUT>
unsigned long long run_recip(long long raw) {
    IN x;
    x.range() = raw;
    const OUT r = vf_recip<OUT>(x);
    return r.range().to_uint64();
}

template <class IN, class OUT>
unsigned long long run_rsqrt(long long raw) {
    IN x;
    x.range() = raw;
    const OUT r = vf_rsqrt<OUT>(x);
    return r.range().to_uint64();
}

template <class FM, class TABLE_T, int N>
unsigned long long run_gelu(long long raw, const TABLE_T table[N], int step_log2) {
    FM x;
    x.range() = raw;
    const FM r = vf_gelu<FM, TABLE_T, N>(x, table, step_log2);
    return r.range().to_uint64();
}

static unsigned long long run(int c, long long raw) {
    switch (c) {
        case 0: return run_exp<ap_fixed<33, 11>, ap_fixed<32, 10> >(raw);
        case 1: return run_exp<ap_fixed<52, 12>, ap_fixed<40, 4, AP_RND, AP_SAT> >(raw);
        case 2: return run_exp<ap_fixed<20, 8>, ap_ufixed<16, 1, AP_RND_CONV> >(raw);
        case 3: return run_recip<ap_fixed<32, 10>, ap_fixed<32, 10> >(raw);
        case 4: return run_recip<ap_ufixed<48, 30>, ap_fixed<24, 4, AP_RND, AP_SAT> >(raw);
        case 5: return run_recip<ap_fixed<53, 20>, ap_fixed<48, 30, AP_RND_ZERO> >(raw);
        case 6: return run_rsqrt<ap_fixed<48, 24>, ap_fixed<48, 24> >(raw);
        case 7: return run_rsqrt<ap_ufixed<30, -3>, ap_fixed<32, 16, AP_RND, AP_SAT> >(raw);
        case 8: return run_rsqrt<ap_fixed<53, 40>, ap_ufixed<40, 8, AP_RND_INF> >(raw);
        case 9: return run_gelu<ap_fixed<32, 10>, ap_ufixed<16, -2>, GELU_N9>(raw, GELU_T9, GELU_K9);
        case 10: return run_gelu<ap_fixed<16, 6, AP_RND, AP_SAT>, ap_ufixed<20, -1>, GELU_N10>(raw, GELU_T10, GELU_K10);
        case 11: return run_gelu<ap_fixed<12, 8>, ap_ufixed<16, -2>, GELU_N11>(raw, GELU_T11, GELU_K11);
        default: std::fprintf(stderr, "unknown case %d\n", c); return 0;
    }
}

int main() {
    int c;
    long long raw;
    while (std::scanf("%d %lld", &c, &raw) == 2) std::printf("%llu\n", run(c, raw));
    return 0;
}
