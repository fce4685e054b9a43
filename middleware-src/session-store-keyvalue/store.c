/* session-store-keyvalue (wit/framework.wit): the `store` over `wasi:keyvalue@0.2.0-draft2`, in
 * the bucket Spin gives every component that lists it, `default` (wacpy_store_keyvalue.h). */
#define WACPY_IMPLEMENT_WACPY_MCP_STORE
#include "wacpy_world_session_store_keyvalue.h"
#define WACPY_KEYVALUE_BUCKET "default"
#include "wacpy_store_keyvalue.h"
