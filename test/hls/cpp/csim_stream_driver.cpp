// Behaviour of vitforge's hls_stream.h / hls_vector.h (test/hls/csim-headers-stream.test.ts).
// Mode "fifo": prints what it observed; mode "empty-read": reads an empty stream (must fail).
#include <ap_fixed.h>
#include <hls_stream.h>
#include <hls_vector.h>

#include <cstdio>
#include <cstring>

typedef ap_fixed<16, 4> data_t;

static void producer(hls::stream<data_t>& out, int n) {
  for (int i = 0; i < n; i++) out.write(data_t(i) * data_t(0.25));
}

int main(int argc, char** argv) {
  const char* mode = argc > 1 ? argv[1] : "fifo";
  hls::stream<data_t> s("s_data");
  if (std::strcmp(mode, "empty-read") == 0) {
    s.write(1.0);
    (void)s.read();
    (void)s.read();  // empty: reported as an error
    return 0;
  }
  std::printf("empty0 %d\n", int(s.empty()));
  producer(s, 5);
  s << data_t(-3.5);
  std::printf("empty1 %d size %zu\n", int(s.empty()), s.size());
  data_t first = s.read(), second;
  s.read(second);
  std::printf("order %g %g", first.to_double(), second.to_double());
  while (!s.empty()) {
    data_t v;
    s >> v;
    std::printf(" %g", v.to_double());
  }
  std::printf("\nempty2 %d\n", int(s.empty()));

  hls::vector<ap_int<12>, 4> vec;
  std::printf("vec0 %d %d %d %d\n", vec[0].to_int(), vec[1].to_int(), vec[2].to_int(), vec[3].to_int());
  for (int i = 0; i < 4; i++) vec[i] = ap_int<12>(100 * i - 150);
  const hls::vector<ap_int<12>, 4>& cv = vec;
  std::printf("vec1 %d %d %d %d\n", cv[0].to_int(), cv[1].to_int(), cv[2].to_int(), cv[3].to_int());

  hls::stream<hls::vector<data_t, 2> > sv("s_vec");
  hls::vector<data_t, 2> pair;
  pair[0] = 1.5;
  pair[1] = -0.75;
  sv.write(pair);
  hls::vector<data_t, 2> got = sv.read();
  std::printf("vecstream %g %g\n", got[0].to_double(), got[1].to_double());
  s.write(2.0);  // left over: warned at destruction, not an error
  return 0;
}
