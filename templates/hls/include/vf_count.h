// vf_count.h: loop and operator counting for vitforge's instrumented C-simulation.
//
// Built with -DVF_COUNT_LOOPS (the Makefile's `counted` target), every labelled loop of the
// kernel counts its iterations and entries, and every multiplication and math-unit use is
// tallied per iteration of the innermost counted loop around it; the per-loop maximum over all
// iterations is the number of operators that loop's hardware needs at once. Without the macro
// (synthesis, plain C-simulation) everything below compiles to the bare expression.
#ifndef VF_COUNT_H
#define VF_COUNT_H

#ifndef VF_COUNT_LOOPS

#define VF_LOOP(index, var)
#define VF_MUL(a, b) ((a) * (b))
#define VF_MATH(fn)

#else

#include <cstdio>
#include <vector>

namespace vf_count {

enum math_fn { MATH_EXP, MATH_RECIP, MATH_RSQRT, MATH_GELU, MATH_FNS };
static const char *const MATH_NAMES[MATH_FNS] = {"exp", "recip", "rsqrt", "gelu"};

struct tally_t {
    int wa, wb, count;
};

struct loop_stats_t {
    long long iterations = 0, entries = 0;
    std::vector<tally_t> max_muls;  // per (wa, wb): most products in one iteration
    int max_math[MATH_FNS] = {0, 0, 0, 0};
};

inline std::vector<loop_stats_t> &stats() {
    static std::vector<loop_stats_t> s;
    return s;
}

struct scope_t;
inline scope_t *&current() {
    static scope_t *c = nullptr;
    return c;
}

// One iteration of a counted loop: the operators used until the iteration's body ends.
struct scope_t {
    int index;
    scope_t *outer;
    std::vector<tally_t> muls;
    int math[MATH_FNS] = {0, 0, 0, 0};
    scope_t(int i, bool first) : index(i), outer(current()) {
        if (int(stats().size()) <= i) stats().resize(i + 1);
        loop_stats_t &s = stats()[i];
        s.iterations++;
        if (first) s.entries++;
        current() = this;
    }
    ~scope_t() {
        loop_stats_t &s = stats()[index];
        for (const tally_t &t : muls) {
            bool found = false;
            for (tally_t &m : s.max_muls)
                if (m.wa == t.wa && m.wb == t.wb) {
                    if (t.count > m.count) m.count = t.count;
                    found = true;
                }
            if (!found) s.max_muls.push_back(t);
        }
        for (int f = 0; f < MATH_FNS; f++)
            if (math[f] > s.max_math[f]) s.max_math[f] = math[f];
        current() = outer;
    }
};

// Operand width as a multiplier sees it: an unsigned operand needs a zero sign bit.
template <class T> struct operand_bits {
    static const int value = T::width + (T::sign_flag ? 0 : 1);
};

template <class A, class B> inline auto mul(const A &a, const B &b) -> decltype(a * b) {
    if (scope_t *s = current()) {
        const int wa = operand_bits<A>::value, wb = operand_bits<B>::value;
        bool found = false;
        for (tally_t &t : s->muls)
            if (t.wa == wa && t.wb == wb) {
                t.count++;
                found = true;
                break;
            }
        if (!found) s->muls.push_back(tally_t{wa, wb, 1});
    }
    return a * b;
}

inline void math(math_fn f) {
    if (scope_t *s = current()) s->math[f]++;
}

// loops.json: one entry per counted loop index.
inline bool write_json(const char *path) {
    FILE *f = std::fopen(path, "w");
    if (!f) return false;
    std::fprintf(f, "{\n  \"format\": \"vitforge-loop-counts/1\",\n  \"loops\": [\n");
    for (size_t i = 0; i < stats().size(); i++) {
        const loop_stats_t &s = stats()[i];
        std::fprintf(f, "    {\"index\": %zu, \"iterations\": %lld, \"entries\": %lld, \"muls\": [", i, s.iterations, s.entries);
        for (size_t k = 0; k < s.max_muls.size(); k++)
            std::fprintf(f, "%s{\"wa\": %d, \"wb\": %d, \"count\": %d}", k ? ", " : "", s.max_muls[k].wa, s.max_muls[k].wb, s.max_muls[k].count);
        std::fprintf(f, "], \"math\": {");
        for (int m = 0; m < MATH_FNS; m++) std::fprintf(f, "%s\"%s\": %d", m ? ", " : "", MATH_NAMES[m], s.max_math[m]);
        std::fprintf(f, "}}%s\n", i + 1 < stats().size() ? "," : "");
    }
    std::fprintf(f, "  ]\n}\n");
    return std::fclose(f) == 0;
}

}  // namespace vf_count

#define VF_LOOP(index, var) vf_count::scope_t vf_scope_((index), (var) == 0)
#define VF_MUL(a, b) vf_count::mul((a), (b))
#define VF_MATH(fn) vf_count::math(vf_count::MATH_##fn)

#endif  // VF_COUNT_LOOPS
#endif  // VF_COUNT_H
