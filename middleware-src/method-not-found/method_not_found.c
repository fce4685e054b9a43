/* method-not-found (wit/framework.wit): the end of the chain. `initialize` returns the server info it
 * is given, lists are empty, lookups answer `none`, and `handle` answers -32601 to requests and
 * `none` to notifications. Results point into the arguments (or the arena), which the post-return
 * functions release. */
#define WACPY_IMPLEMENT_WACPY_MCP_HANDLER
#include "wacpy_world_method_not_found.h"
#include "wacpy_alloc.h"

static wacpy_arena arena;

WACPY_EXPORT("cabi_realloc")
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    return wacpy_arena_realloc(&arena, old, old_size, align, new_size);
}

#define POST(fn, T)                                        \
    void exports_wacpy_mcp_handler_##fn##_post(T *ret) {   \
        (void)ret;                                         \
        wacpy_arena_reset(&arena);                         \
    }

/* An answer of `n` zero bytes (an empty list, `none`); the borrowed context goes back before
 * returning. One copy for every function. */
static inline void zeroes(wacpy_mcp_context ctx, void *ret, size_t n) {
    __builtin_memset(ret, 0, n);
    wacpy_mcp_context_drop(ctx);
}
#define NONE(ctx, ret) zeroes(ctx, &(ret)->is_some, 1)

#define EMPTY_LIST(fn, T)                                                \
    void exports_wacpy_mcp_handler_##fn(wacpy_mcp_context ctx, T *ret) { \
        zeroes(ctx, ret, sizeof *ret);                                   \
    }                                                                    \
    POST(fn, T)

void exports_wacpy_mcp_handler_initialize(wacpy_mcp_context ctx, const wacpy_mcp_server_info *info,
                                          wacpy_mcp_server_info *ret) {
    *ret = *info;
    wacpy_mcp_context_drop(ctx);
}
POST(initialize, wacpy_mcp_server_info)

EMPTY_LIST(list_tools, wacpy_mcp_list_tool)
EMPTY_LIST(list_resources, wacpy_mcp_list_resource)
EMPTY_LIST(list_resource_templates, wacpy_mcp_list_resource_template)
EMPTY_LIST(list_prompts, wacpy_mcp_list_prompt)

void exports_wacpy_mcp_handler_call_tool(wacpy_mcp_context ctx, wacpy_string name, wacpy_string arguments,
                                         wacpy_mcp_option_result_call_tool_result_error *ret) {
    (void)name, (void)arguments;
    NONE(ctx, ret);
}
POST(call_tool, wacpy_mcp_option_result_call_tool_result_error)

void exports_wacpy_mcp_handler_read_resource(wacpy_mcp_context ctx, wacpy_string uri,
                                             wacpy_mcp_option_result_list_resource_contents_error *ret) {
    (void)uri;
    NONE(ctx, ret);
}
POST(read_resource, wacpy_mcp_option_result_list_resource_contents_error)

void exports_wacpy_mcp_handler_subscribe(wacpy_mcp_context ctx, wacpy_string uri, uint8_t on,
                                         wacpy_mcp_option_result_void_error *ret) {
    (void)uri, (void)on;
    NONE(ctx, ret);
}
POST(subscribe, wacpy_mcp_option_result_void_error)

void exports_wacpy_mcp_handler_get_prompt(wacpy_mcp_context ctx, wacpy_string name,
                                          wacpy_list_tuple2_string_string arguments,
                                          wacpy_mcp_option_result_get_prompt_result_error *ret) {
    (void)name, (void)arguments;
    NONE(ctx, ret);
}
POST(get_prompt, wacpy_mcp_option_result_get_prompt_result_error)

void exports_wacpy_mcp_handler_complete(wacpy_mcp_context ctx, const wacpy_mcp_completion_request *request,
                                        wacpy_mcp_option_result_completion_error *ret) {
    (void)request;
    NONE(ctx, ret);
}
POST(complete, wacpy_mcp_option_result_completion_error)

void exports_wacpy_mcp_handler_set_log_level(wacpy_mcp_context ctx, wacpy_mcp_log_level level) {
    (void)level;
    wacpy_mcp_context_drop(ctx);
}
void exports_wacpy_mcp_handler_set_log_level_post(void) { wacpy_arena_reset(&arena); }

void exports_wacpy_mcp_handler_handle(wacpy_mcp_context ctx, wacpy_string method, const wacpy_option_string *params,
                                      wacpy_mcp_option_result_string_error *ret) {
    (void)params;
    if (wacpy_starts_with(method, WACPY_LIT("notifications/"))) {
        ret->is_some = 0;
    } else {
        wacpy_string prefix = WACPY_LIT("Method not found: ");
        uint8_t *text = (uint8_t *)wacpy_arena_alloc(&arena, prefix.len + method.len, 1);
        __builtin_memcpy(text, prefix.ptr, prefix.len);
        __builtin_memcpy(text + prefix.len, method.ptr, method.len);
        ret->is_some = 1;
        ret->val.is_err = 1;
        ret->val.val.err = (wacpy_mcp_error){-32601, {text, prefix.len + method.len}, {0, {0, 0}}};
    }
    wacpy_mcp_context_drop(ctx);
}
POST(handle, wacpy_mcp_option_result_string_error)
