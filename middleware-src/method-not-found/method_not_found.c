/* method-not-found (wit/mcp.wit): the end of the chain. `initialize` returns the server info it is
 * given, lists are empty, lookups answer `none`, and `handle` answers -32601 to requests and `none`
 * to notifications. Results point into the arguments (or the arena), which the post-return
 * functions release. */
#include "wacpy_alloc.h"
#include "wacpy_mcp_imports.h"

static wacpy_arena arena;
WACPY_RETAREA(ret, 64);

WACPY_EXPORT("cabi_realloc")
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    return wacpy_arena_realloc(&arena, old, old_size, align, new_size);
}

#define POST(fn, name)                                    \
    WACPY_HANDLER_POST(name) void post_##fn(void *result) { \
        (void)result;                                     \
        wacpy_arena_reset(&arena);                        \
    }

/* The borrowed context goes back before returning; then the result. */
static void *done(int32_t ctx) {
    wacpy_context_drop(ctx);
    return ret;
}

static void *empty_list(int32_t ctx) {
    *(wacpy_list *)ret = (wacpy_list){0, 0};
    return done(ctx);
}

static void *none(int32_t ctx) {
    ret[0] = 0;
    return done(ctx);
}

WACPY_HANDLER_EXPORT("initialize")
void *mnf_initialize(int32_t ctx, wacpy_ptr name, size_t name_len, wacpy_ptr version, size_t version_len,
                     uint32_t title_is_some, wacpy_ptr title, size_t title_len, uint32_t instructions_is_some,
                     wacpy_ptr instructions, size_t instructions_len, uint32_t capabilities) {
    *(wacpy_mcp_server_info *)ret = (wacpy_mcp_server_info){
        {name, name_len},
        {version, version_len},
        {(uint8_t)title_is_some, {title, title_len}},
        {(uint8_t)instructions_is_some, {instructions, instructions_len}},
        (uint16_t)capabilities,
    };
    return done(ctx);
}
POST(initialize, "initialize")

WACPY_HANDLER_EXPORT("list-tools") void *mnf_list_tools(int32_t ctx) { return empty_list(ctx); }
POST(list_tools, "list-tools")

WACPY_HANDLER_EXPORT("call-tool")
void *mnf_call_tool(int32_t ctx, wacpy_ptr name, size_t name_len, wacpy_ptr arguments, size_t arguments_len) {
    (void)name, (void)name_len, (void)arguments, (void)arguments_len;
    return none(ctx);
}
POST(call_tool, "call-tool")

WACPY_HANDLER_EXPORT("list-resources") void *mnf_list_resources(int32_t ctx) { return empty_list(ctx); }
POST(list_resources, "list-resources")

WACPY_HANDLER_EXPORT("list-resource-templates")
void *mnf_list_resource_templates(int32_t ctx) { return empty_list(ctx); }
POST(list_resource_templates, "list-resource-templates")

WACPY_HANDLER_EXPORT("read-resource")
void *mnf_read_resource(int32_t ctx, wacpy_ptr uri, size_t uri_len) {
    (void)uri, (void)uri_len;
    return none(ctx);
}
POST(read_resource, "read-resource")

WACPY_HANDLER_EXPORT("subscribe")
void *mnf_subscribe(int32_t ctx, wacpy_ptr uri, size_t uri_len, uint32_t on) {
    (void)uri, (void)uri_len, (void)on;
    return none(ctx);
}
POST(subscribe, "subscribe")

WACPY_HANDLER_EXPORT("list-prompts") void *mnf_list_prompts(int32_t ctx) { return empty_list(ctx); }
POST(list_prompts, "list-prompts")

WACPY_HANDLER_EXPORT("get-prompt")
void *mnf_get_prompt(int32_t ctx, wacpy_ptr name, size_t name_len, wacpy_ptr arguments, size_t arguments_len) {
    (void)name, (void)name_len, (void)arguments, (void)arguments_len;
    return none(ctx);
}
POST(get_prompt, "get-prompt")

WACPY_HANDLER_EXPORT("complete")
void *mnf_complete(int32_t ctx, uint32_t ref_tag, wacpy_ptr ref, size_t ref_len, wacpy_ptr argument_name,
                   size_t argument_name_len, wacpy_ptr argument_value, size_t argument_value_len,
                   wacpy_ptr context_arguments, size_t context_arguments_len) {
    (void)ref_tag, (void)ref, (void)ref_len, (void)argument_name, (void)argument_name_len;
    (void)argument_value, (void)argument_value_len, (void)context_arguments, (void)context_arguments_len;
    return none(ctx);
}
POST(complete, "complete")

WACPY_HANDLER_EXPORT("set-log-level")
void mnf_set_log_level(int32_t ctx, uint32_t level) {
    (void)level;
    wacpy_context_drop(ctx);
}
WACPY_HANDLER_POST("set-log-level") void post_set_log_level(void) { wacpy_arena_reset(&arena); }

WACPY_HANDLER_EXPORT("handle")
void *mnf_handle(int32_t ctx, wacpy_ptr method, size_t method_len, uint32_t params_is_some, wacpy_ptr params,
                 size_t params_len) {
    (void)params_is_some, (void)params, (void)params_len;
    wacpy_string m = {method, method_len};
    if (wacpy_starts_with(m, WACPY_LIT("notifications/"))) return none(ctx);
    wacpy_string prefix = WACPY_LIT("Method not found: ");
    uint8_t *text = (uint8_t *)wacpy_arena_alloc(&arena, prefix.len + m.len, 1);
    __builtin_memcpy(text, prefix.ptr, prefix.len);
    __builtin_memcpy(text + prefix.len, m.ptr, m.len);
    wacpy_opt_result_json *r = (wacpy_opt_result_json *)ret;
    r->is_some = 1;
    r->val.is_err = 1;
    r->val.val.err = (wacpy_mcp_error){-32601, {text, prefix.len + m.len}, {0, {0, 0}}};
    return done(ctx);
}
POST(handle, "handle")
