/* completions-middleware (wit/framework.wit): puts a component's `completions` in front of the next link.
 * The code is shared by the four capability middlewares: see wacpy_middleware.h. */
#define WACPY_MIDDLEWARE_COMPLETIONS
#define WACPY_IMPLEMENT_WACPY_MCP_HANDLER
#include "wacpy_world_completions_middleware.h"
#include "wacpy_middleware.h"
