#include "harness.h"
void bench_scale(void) {}
