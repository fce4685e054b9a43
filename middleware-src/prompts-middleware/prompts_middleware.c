/* prompts-middleware (wit/framework.wit): puts a component's `prompts` in front of the next link.
 * The code is shared by the four capability middlewares: see wacpy_middleware.h. */
#define WACPY_MIDDLEWARE_PROMPTS
#define WACPY_IMPLEMENT_WACPY_MCP_HANDLER
#include "wacpy_world_prompts_middleware.h"
#include "wacpy_middleware.h"
