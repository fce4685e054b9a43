/* resources-middleware (wit/mcp.wit): puts a component's `resources` in front of the next link.
 * The code is shared by the four capability middlewares: see wacpy_middleware.h. */
#define WACPY_MIDDLEWARE_RESOURCES
#include "wacpy_middleware.h"
