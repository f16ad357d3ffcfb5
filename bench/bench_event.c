#include "harness.h"
void bench_event(void) {}
