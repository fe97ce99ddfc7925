// vitforge C-simulation header standing in for Vitis HLS <ap_int.h> (see docs/hls.md).
// Like the vendor header, it also provides the fixed-point types.
#ifndef VF_AP_INT_H
#define VF_AP_INT_H
#include "vf_ap_fixed_base.h"
#endif  // VF_AP_INT_H
