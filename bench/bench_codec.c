#include "harness.h"
void bench_codec(void) {}
