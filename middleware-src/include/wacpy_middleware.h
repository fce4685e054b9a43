/* The handler export of a capability middleware, for one of the capabilities chosen before the
 * include with `#define WACPY_MIDDLEWARE_TOOLS` (or _RESOURCES, _PROMPTS, _COMPLETIONS).
 *
 * The capability's lists are the wrapped component's items then the next link's; its lookups ask
 * the component first and go down the chain on `none`; `initialize` asks the next link, then adds
 * the capability flag. Every other function goes to the next link unchanged: the export's flattened
 * parameters are the import's, strings and lists already sit in this module's memory, and the
 * import writes its result into the return area the export hands back.
 *
 * Memory: everything (arguments, results of imports, concatenated lists) is allocated in one arena,
 * reset by the post-return functions once the caller has copied the result out.
 */
#ifndef WACPY_MIDDLEWARE_H
#define WACPY_MIDDLEWARE_H

#include "wacpy_alloc.h"
#include "wacpy_mcp_imports.h"

#if defined(WACPY_MIDDLEWARE_TOOLS)
#define WACPY_MW_CAPABILITY WACPY_CAP_TOOLS
#elif defined(WACPY_MIDDLEWARE_RESOURCES)
#define WACPY_MW_CAPABILITY WACPY_CAP_RESOURCES
#elif defined(WACPY_MIDDLEWARE_PROMPTS)
#define WACPY_MW_CAPABILITY WACPY_CAP_PROMPTS
#elif defined(WACPY_MIDDLEWARE_COMPLETIONS)
#define WACPY_MW_CAPABILITY WACPY_CAP_COMPLETIONS
#else
#error "define WACPY_MIDDLEWARE_TOOLS, _RESOURCES, _PROMPTS or _COMPLETIONS"
#endif

static wacpy_arena mw_arena;
WACPY_RETAREA(mw_ret, 64);
WACPY_RETAREA(mw_ret2, 64);

WACPY_EXPORT("cabi_realloc")
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    return wacpy_arena_realloc(&mw_arena, old, old_size, align, new_size);
}

/* The next link's list, after the component's own list (already in `mw_ret`). */
#define MW_CONCAT(next_list, T)                                                                  \
    do {                                                                                         \
        next_list(ctx, mw_ret2);                                                                 \
        wacpy_list *own = (wacpy_list *)mw_ret, *next = (wacpy_list *)mw_ret2;                   \
        own->ptr = wacpy_arena_concat(&mw_arena, own->ptr, own->len, next->ptr, next->len,       \
                                      sizeof(T), _Alignof(T));                                   \
        own->len += next->len;                                                                   \
    } while (0)

/* Every post-return resets the arena: the caller has lifted the result by now. */
#define MW_POST(fn, name)                                   \
    WACPY_HANDLER_POST(name) void mw_post_##fn(void *ret) { \
        (void)ret;                                          \
        wacpy_arena_reset(&mw_arena);                       \
    }

WACPY_HANDLER_EXPORT("initialize")
void *mw_initialize(int32_t ctx, wacpy_ptr name, size_t name_len, wacpy_ptr version, size_t version_len,
                    uint32_t title_is_some, wacpy_ptr title, size_t title_len, uint32_t instructions_is_some,
                    wacpy_ptr instructions, size_t instructions_len, uint32_t capabilities) {
    wacpy_next_initialize(ctx, name, name_len, version, version_len, title_is_some, title, title_len,
                          instructions_is_some, instructions, instructions_len, capabilities, mw_ret);
    ((wacpy_mcp_server_info *)mw_ret)->capabilities |= WACPY_MW_CAPABILITY;
    wacpy_context_drop(ctx);
    return mw_ret;
}
MW_POST(initialize, "initialize")

WACPY_HANDLER_EXPORT("list-tools")
void *mw_list_tools(int32_t ctx) {
#ifdef WACPY_MIDDLEWARE_TOOLS
    wacpy_tools_list_tools(ctx, mw_ret);
    MW_CONCAT(wacpy_next_list_tools, wacpy_mcp_tool);
#else
    wacpy_next_list_tools(ctx, mw_ret);
#endif
    wacpy_context_drop(ctx);
    return mw_ret;
}
MW_POST(list_tools, "list-tools")

WACPY_HANDLER_EXPORT("call-tool")
void *mw_call_tool(int32_t ctx, wacpy_ptr name, size_t name_len, wacpy_ptr arguments, size_t arguments_len) {
#ifdef WACPY_MIDDLEWARE_TOOLS
    wacpy_tools_call_tool(ctx, name, name_len, arguments, arguments_len, mw_ret);
    if (!mw_ret[0])
#endif
        wacpy_next_call_tool(ctx, name, name_len, arguments, arguments_len, mw_ret);
    wacpy_context_drop(ctx);
    return mw_ret;
}
MW_POST(call_tool, "call-tool")

WACPY_HANDLER_EXPORT("list-resources")
void *mw_list_resources(int32_t ctx) {
#ifdef WACPY_MIDDLEWARE_RESOURCES
    wacpy_resources_list_resources(ctx, mw_ret);
    MW_CONCAT(wacpy_next_list_resources, wacpy_mcp_resource);
#else
    wacpy_next_list_resources(ctx, mw_ret);
#endif
    wacpy_context_drop(ctx);
    return mw_ret;
}
MW_POST(list_resources, "list-resources")

WACPY_HANDLER_EXPORT("list-resource-templates")
void *mw_list_resource_templates(int32_t ctx) {
#ifdef WACPY_MIDDLEWARE_RESOURCES
    wacpy_resources_list_resource_templates(ctx, mw_ret);
    MW_CONCAT(wacpy_next_list_resource_templates, wacpy_mcp_resource_template);
#else
    wacpy_next_list_resource_templates(ctx, mw_ret);
#endif
    wacpy_context_drop(ctx);
    return mw_ret;
}
MW_POST(list_resource_templates, "list-resource-templates")

WACPY_HANDLER_EXPORT("read-resource")
void *mw_read_resource(int32_t ctx, wacpy_ptr uri, size_t uri_len) {
#ifdef WACPY_MIDDLEWARE_RESOURCES
    wacpy_resources_read_resource(ctx, uri, uri_len, mw_ret);
    if (!mw_ret[0])
#endif
        wacpy_next_read_resource(ctx, uri, uri_len, mw_ret);
    wacpy_context_drop(ctx);
    return mw_ret;
}
MW_POST(read_resource, "read-resource")

WACPY_HANDLER_EXPORT("subscribe")
void *mw_subscribe(int32_t ctx, wacpy_ptr uri, size_t uri_len, uint32_t on) {
    wacpy_next_subscribe(ctx, uri, uri_len, on, mw_ret);
    wacpy_context_drop(ctx);
    return mw_ret;
}
MW_POST(subscribe, "subscribe")

WACPY_HANDLER_EXPORT("list-prompts")
void *mw_list_prompts(int32_t ctx) {
#ifdef WACPY_MIDDLEWARE_PROMPTS
    wacpy_prompts_list_prompts(ctx, mw_ret);
    MW_CONCAT(wacpy_next_list_prompts, wacpy_mcp_prompt);
#else
    wacpy_next_list_prompts(ctx, mw_ret);
#endif
    wacpy_context_drop(ctx);
    return mw_ret;
}
MW_POST(list_prompts, "list-prompts")

WACPY_HANDLER_EXPORT("get-prompt")
void *mw_get_prompt(int32_t ctx, wacpy_ptr name, size_t name_len, wacpy_ptr arguments, size_t arguments_len) {
#ifdef WACPY_MIDDLEWARE_PROMPTS
    wacpy_prompts_get_prompt(ctx, name, name_len, arguments, arguments_len, mw_ret);
    if (!mw_ret[0])
#endif
        wacpy_next_get_prompt(ctx, name, name_len, arguments, arguments_len, mw_ret);
    wacpy_context_drop(ctx);
    return mw_ret;
}
MW_POST(get_prompt, "get-prompt")

WACPY_HANDLER_EXPORT("complete")
void *mw_complete(int32_t ctx, uint32_t ref_tag, wacpy_ptr ref, size_t ref_len, wacpy_ptr argument_name,
                  size_t argument_name_len, wacpy_ptr argument_value, size_t argument_value_len,
                  wacpy_ptr context_arguments, size_t context_arguments_len) {
#ifdef WACPY_MIDDLEWARE_COMPLETIONS
    wacpy_completions_complete(ctx, ref_tag, ref, ref_len, argument_name, argument_name_len, argument_value,
                               argument_value_len, context_arguments, context_arguments_len, mw_ret);
    if (!mw_ret[0])
#endif
        wacpy_next_complete(ctx, ref_tag, ref, ref_len, argument_name, argument_name_len, argument_value,
                            argument_value_len, context_arguments, context_arguments_len, mw_ret);
    wacpy_context_drop(ctx);
    return mw_ret;
}
MW_POST(complete, "complete")

WACPY_HANDLER_EXPORT("set-log-level")
void mw_set_log_level(int32_t ctx, uint32_t level) {
    wacpy_next_set_log_level(ctx, level);
    wacpy_context_drop(ctx);
}
WACPY_HANDLER_POST("set-log-level") void mw_post_set_log_level(void) { wacpy_arena_reset(&mw_arena); }

WACPY_HANDLER_EXPORT("handle")
void *mw_handle(int32_t ctx, wacpy_ptr method, size_t method_len, uint32_t params_is_some, wacpy_ptr params,
                size_t params_len) {
    wacpy_next_handle(ctx, method, method_len, params_is_some, params, params_len, mw_ret);
    wacpy_context_drop(ctx);
    return mw_ret;
}
MW_POST(handle, "handle")

#endif
