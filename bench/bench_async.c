#include "harness.h"
void bench_async(void) {}
