/* session-store-keyvalue-draft (wit/framework.wit): the `store` over `wasi:keyvalue@0.2.0-draft`,
 * in the bucket named "", the only one wasmtime's `-Skeyvalue` opens (wacpy_store_keyvalue.h). */
#define WACPY_IMPLEMENT_WACPY_MCP_STORE
#include "wacpy_world_session_store_keyvalue_draft.h"
#define WACPY_KEYVALUE_BUCKET ""
#include "wacpy_store_keyvalue.h"
