// vitforge C-simulation header standing in for Vitis HLS <hls_vector.h> (see docs/hls.md):
// only default construction and element access are provided.
#ifndef VF_HLS_VECTOR_H
#define VF_HLS_VECTOR_H

#include <cstddef>

namespace hls {

template <typename T, std::size_t N> class vector {
  static_assert(N > 0, "hls::vector needs at least one element");

 public:
  vector() : data_() {}
  T& operator[](std::size_t i) { return data_[i]; }
  const T& operator[](std::size_t i) const { return data_[i]; }

 private:
  T data_[N];
};

}  // namespace hls

#endif  // VF_HLS_VECTOR_H
