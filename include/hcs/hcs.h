/* libhcs: a safe C library over the Windows Host Compute Service. */
#ifndef HCS_HCS_H
#define HCS_HCS_H

#include "builders.h"
#include "client.h"
#include "error.h"
#include "event.h"
#include "handles.h"
#include "operation.h"
#include "process.h"
#include "properties.h"
#include "raw.h"
#include "schema.h"
#include "service.h"
#include "stats.h"
#include "system.h"

#endif
