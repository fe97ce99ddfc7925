// vitforge C-simulation header standing in for Vitis HLS <ap_fixed.h> (see docs/hls.md).
#ifndef VF_AP_FIXED_H
#define VF_AP_FIXED_H
#include "vf_ap_fixed_base.h"
#endif  // VF_AP_FIXED_H
