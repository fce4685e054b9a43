/* session-store-none (wit/framework.wit): no store. Every call is `unavailable`, which tells the
 * transport and the context provider that the server keeps no sessions. */
#define WACPY_IMPLEMENT_WACPY_MCP_STORE
#include "wacpy_world_session_store_none.h"
#include "wacpy_alloc.h"

static wacpy_arena arena;

WACPY_EXPORT("cabi_realloc")
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    return wacpy_arena_realloc(&arena, old, old_size, align, new_size);
}

#define UNAVAILABLE(ret) ((ret)->is_err = 1, (ret)->val.err.tag = WACPY_MCP_STORE_STORE_ERROR_UNAVAILABLE)

static uint8_t exports_wacpy_mcp_store_available(void) { return 0; }
static void exports_wacpy_mcp_store_available_post(uint8_t ret) { (void)ret; }

static void exports_wacpy_mcp_store_create_scope(wacpy_string scope, wacpy_mcp_result_void_store_store_error *ret) {
    (void)scope;
    UNAVAILABLE(ret);
}
static void exports_wacpy_mcp_store_create_scope_post(wacpy_mcp_result_void_store_store_error *ret) {
    (void)ret;
    wacpy_arena_reset(&arena);
}

static void exports_wacpy_mcp_store_get(wacpy_string scope, wacpy_string key,
                                        wacpy_mcp_result_option_store_entry_store_store_error *ret) {
    (void)scope, (void)key;
    UNAVAILABLE(ret);
}
static void exports_wacpy_mcp_store_get_post(wacpy_mcp_result_option_store_entry_store_store_error *ret) {
    (void)ret;
    wacpy_arena_reset(&arena);
}

static void exports_wacpy_mcp_store_set(wacpy_string scope, wacpy_string key, wacpy_list_u8 value,
                                        wacpy_mcp_result_void_store_store_error *ret) {
    (void)scope, (void)key, (void)value;
    UNAVAILABLE(ret);
}
static void exports_wacpy_mcp_store_set_post(wacpy_mcp_result_void_store_store_error *ret) {
    (void)ret;
    wacpy_arena_reset(&arena);
}

static void exports_wacpy_mcp_store_delete(wacpy_string scope, wacpy_string key, wacpy_mcp_result_void_store_store_error *ret) {
    (void)scope, (void)key;
    UNAVAILABLE(ret);
}
static void exports_wacpy_mcp_store_delete_post(wacpy_mcp_result_void_store_store_error *ret) {
    (void)ret;
    wacpy_arena_reset(&arena);
}

static void exports_wacpy_mcp_store_keys(wacpy_string scope, wacpy_mcp_result_list_string_store_store_error *ret) {
    (void)scope;
    UNAVAILABLE(ret);
}
static void exports_wacpy_mcp_store_keys_post(wacpy_mcp_result_list_string_store_store_error *ret) {
    (void)ret;
    wacpy_arena_reset(&arena);
}

static void exports_wacpy_mcp_store_clear(wacpy_string scope, wacpy_mcp_result_void_store_store_error *ret) {
    (void)scope;
    UNAVAILABLE(ret);
}
static void exports_wacpy_mcp_store_clear_post(wacpy_mcp_result_void_store_store_error *ret) {
    (void)ret;
    wacpy_arena_reset(&arena);
}
