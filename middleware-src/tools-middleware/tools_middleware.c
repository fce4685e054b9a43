/* tools-middleware (wit/mcp.wit): puts a component's `tools` in front of the next link.
 * The code is shared by the four capability middlewares: see wacpy_middleware.h. */
#define WACPY_MIDDLEWARE_TOOLS
#include "wacpy_middleware.h"
