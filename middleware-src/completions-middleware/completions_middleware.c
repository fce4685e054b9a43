/* completions-middleware (wit/mcp.wit): puts a component's `completions` in front of the next link.
 * The code is shared by the four capability middlewares: see wacpy_middleware.h. */
#define WACPY_MIDDLEWARE_COMPLETIONS
#include "wacpy_middleware.h"
