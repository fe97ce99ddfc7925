// Multiply-accumulate throughput of vitforge's C-simulation headers (bench/csim-headers.ts).
// The linear-unit pattern of the datapath: ap_fixed<32,10> activations times ap_fixed<16,2>
// weights, accumulated into ap_fixed<32,10> (AP_TRN, AP_WRAP). Three variants:
//   mac   acc += x * w                      one quantisation per MAC
//   tile8 acc += x0*w0 + ... + x7*w7        exact adder tree of 8 products, one quantisation
//   int64 the same as "mac" on raw int64 by hand (the floor of what the headers can reach)
// Prints "name macs seconds checksum"; mac and int64 must print the same checksum.
#include <ap_fixed.h>

#include <chrono>
#include <cstdint>
#include <cstdio>

typedef ap_fixed<32, 10> fm_t;
typedef ap_fixed<16, 2> w_t;
typedef ap_fixed<32, 10> acc_t;

static const int K = 192, N = 768;
static fm_t x[K];
static w_t w[N][K];
static int64_t xr[K];
static int64_t wr[N][K];

static uint32_t lcg = 12345u;
static double next_uniform() {
  lcg = lcg * 1664525u + 1013904223u;
  return double(lcg) / 4294967296.0;
}

static double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

int main(int argc, char** argv) {
  const int reps = argc > 1 ? std::atoi(argv[1]) : 20;
  for (int i = 0; i < K; i++) {
    x[i] = (next_uniform() - 0.5) * 8.0;
    xr[i] = x[i].range().to_int64();
    xr[i] = (xr[i] << 32) >> 32;  // sign-extend the 32 raw bits
  }
  for (int o = 0; o < N; o++) {
    for (int i = 0; i < K; i++) {
      w[o][i] = (next_uniform() - 0.5) * 3.0;
      wr[o][i] = (w[o][i].range().to_int64() << 48) >> 48;
    }
  }
  const double macs = double(reps) * N * K;

  auto t0 = std::chrono::steady_clock::now();
  int64_t sum_mac = 0;
  for (int r = 0; r < reps; r++) {
    for (int o = 0; o < N; o++) {
      acc_t acc = 0;
      for (int i = 0; i < K; i++) acc += x[i] * w[o][i];
      sum_mac += acc.range().to_int64();
    }
  }
  std::printf("mac %.0f %.6f %lld\n", macs, seconds_since(t0), (long long)sum_mac);

  t0 = std::chrono::steady_clock::now();
  int64_t sum_tile = 0;
  for (int r = 0; r < reps; r++) {
    for (int o = 0; o < N; o++) {
      acc_t acc = 0;
      const w_t* wo = w[o];
      for (int i = 0; i < K; i += 8) {
        acc += x[i] * wo[i] + x[i + 1] * wo[i + 1] + x[i + 2] * wo[i + 2] + x[i + 3] * wo[i + 3] +
               x[i + 4] * wo[i + 4] + x[i + 5] * wo[i + 5] + x[i + 6] * wo[i + 6] + x[i + 7] * wo[i + 7];
      }
      sum_tile += acc.range().to_int64();
    }
  }
  std::printf("tile8 %.0f %.6f %lld\n", macs, seconds_since(t0), (long long)sum_tile);

  t0 = std::chrono::steady_clock::now();
  int64_t sum_int = 0;
  for (int r = 0; r < reps; r++) {
    for (int o = 0; o < N; o++) {
      int64_t acc = 0;  // F = 22; products have F = 36: floor(p / 2^14), then wrap to 32 bits
      for (int i = 0; i < K; i++) acc = int64_t(int32_t(uint32_t(acc + ((xr[i] * wr[o][i]) >> 14))));
      sum_int += int64_t(uint32_t(acc));
    }
  }
  std::printf("int64 %.0f %.6f %lld\n", macs, seconds_since(t0), (long long)sum_int);
  return 0;
}
