/* The transport's generated bindings (wacpy_world_transport.h: `python -m testkit.cbindgen`), whose
 * strings are the transport's own `str` (mem.h, included first). */
#ifndef TRANSPORT_BINDINGS_H
#define TRANSPORT_BINDINGS_H

#include "mem.h"
#include "wacpy_world_transport.h"

typedef wacpy_mcp_context_factory_sink sink;

#endif
