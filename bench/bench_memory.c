#include "harness.h"
void bench_memory(void) {}
