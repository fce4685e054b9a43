/* prompts-middleware (wit/mcp.wit): puts a component's `prompts` in front of the next link.
 * The code is shared by the four capability middlewares: see wacpy_middleware.h. */
#define WACPY_MIDDLEWARE_PROMPTS
#include "wacpy_middleware.h"
