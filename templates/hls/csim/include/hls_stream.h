// vitforge C-simulation header standing in for Vitis HLS <hls_stream.h> (see docs/hls.md).
// An unbounded FIFO. Reading an empty stream is an error here (the vendor C-sim only warns
// and returns a default value, while the RTL would hang), so a C-sim that does it fails.
#ifndef VF_HLS_STREAM_H
#define VF_HLS_STREAM_H

#include <cstdio>
#include <cstdlib>
#include <deque>
#include <string>

namespace hls {

template <typename T> class stream {
 public:
  stream() : name_("(unnamed)") {}
  explicit stream(const char* name) : name_(name) {}
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;
  ~stream() {
    if (!data_.empty())
      std::fprintf(stderr, "vitforge C-sim warning: hls::stream '%s' holds %zu leftover element(s)\n",
                   name_.c_str(), data_.size());
  }

  bool empty() const { return data_.empty(); }
  bool full() const { return false; }
  std::size_t size() const { return data_.size(); }

  T read() {
    if (data_.empty()) {
      std::fprintf(stderr, "vitforge C-sim error: hls::stream '%s' read while empty (the RTL would hang)\n",
                   name_.c_str());
      std::exit(1);
    }
    T v = data_.front();
    data_.pop_front();
    return v;
  }
  void read(T& v) { v = read(); }
  void write(const T& v) { data_.push_back(v); }
  void operator>>(T& v) { v = read(); }
  void operator<<(const T& v) { write(v); }

 private:
  std::string name_;
  std::deque<T> data_;
};

}  // namespace hls

#endif  // VF_HLS_STREAM_H
