/* resources-middleware (wit/framework.wit): puts a component's `resources` in front of the next link.
 * The code is shared by the four capability middlewares: see wacpy_middleware.h. */
#define WACPY_MIDDLEWARE_RESOURCES
#define WACPY_IMPLEMENT_WACPY_MCP_HANDLER
#include "wacpy_world_resources_middleware.h"
#include "wacpy_middleware.h"
