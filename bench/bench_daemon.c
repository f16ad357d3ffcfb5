#include "harness.h"
void bench_daemon(void) {}
