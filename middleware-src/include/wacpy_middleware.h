/* The handler export of a capability middleware, for one of the capabilities chosen before the
 * include with `#define WACPY_MIDDLEWARE_TOOLS` (or _RESOURCES, _PROMPTS, _COMPLETIONS), after the
 * world's generated bindings (wacpy_world_<capability>_middleware.h, included with
 * WACPY_IMPLEMENT_WACPY_MCP_HANDLER defined).
 *
 * The capability's lists are the wrapped component's items then the next link's; its lookups ask
 * the component first and go down the chain on `none`; `initialize` asks the next link, then adds
 * the capability flag. Every other function goes to the next link unchanged: the arguments the
 * export lifted are lowered again for the import (the compiler folds the two), and the import
 * writes its result into the return area the export hands back.
 *
 * Memory: everything (arguments, results of imports, concatenated lists) is allocated in one arena,
 * reset by the post-return functions once the caller has copied the result out.
 */
#ifndef WACPY_MIDDLEWARE_H
#define WACPY_MIDDLEWARE_H

#include "wacpy_alloc.h"

#if defined(WACPY_MIDDLEWARE_TOOLS)
#define WACPY_MW_CAPABILITY WACPY_MCP_CAPABILITIES_TOOLS
#elif defined(WACPY_MIDDLEWARE_RESOURCES)
#define WACPY_MW_CAPABILITY WACPY_MCP_CAPABILITIES_RESOURCES
#elif defined(WACPY_MIDDLEWARE_PROMPTS)
#define WACPY_MW_CAPABILITY WACPY_MCP_CAPABILITIES_PROMPTS
#elif defined(WACPY_MIDDLEWARE_COMPLETIONS)
#define WACPY_MW_CAPABILITY WACPY_MCP_CAPABILITIES_COMPLETIONS
#else
#error "define WACPY_MIDDLEWARE_TOOLS, _RESOURCES, _PROMPTS or _COMPLETIONS"
#endif

static wacpy_arena mw_arena;

WACPY_EXPORT("cabi_realloc")
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    return wacpy_arena_realloc(&mw_arena, old, old_size, align, new_size);
}

/* The next link's list `T` (of `E`) after the component's own (already in `ret`). */
#define MW_CONCAT(next_list, T, E)                                                                      \
    do {                                                                                                \
        static T next; /* static: no stack frame */                                                     \
        next_list(ctx, &next);                                                                          \
        ret->ptr = (E *)wacpy_arena_concat(&mw_arena, ret->ptr, ret->len, next.ptr, next.len, sizeof(E), \
                                           _Alignof(E));                                                \
        ret->len += next.len;                                                                           \
    } while (0)

/* Every post-return resets the arena: the caller has lifted the result by now. */
#define MW_POST(fn, T)                                          \
    void exports_wacpy_mcp_handler_##fn##_post(T *ret) {        \
        (void)ret;                                              \
        wacpy_arena_reset(&mw_arena);                           \
    }

void exports_wacpy_mcp_handler_initialize(wacpy_mcp_context ctx, const wacpy_mcp_server_info *info,
                                          wacpy_mcp_server_info *ret) {
    wacpy_mcp_handler_initialize(ctx, info, ret);
    ret->capabilities |= WACPY_MW_CAPABILITY;
    wacpy_mcp_context_drop(ctx);
}
MW_POST(initialize, wacpy_mcp_server_info)

void exports_wacpy_mcp_handler_list_tools(wacpy_mcp_context ctx, wacpy_mcp_list_tool *ret) {
#ifdef WACPY_MIDDLEWARE_TOOLS
    wacpy_mcp_tools_list_tools(ctx, ret);
    MW_CONCAT(wacpy_mcp_handler_list_tools, wacpy_mcp_list_tool, wacpy_mcp_tool);
#else
    wacpy_mcp_handler_list_tools(ctx, ret);
#endif
    wacpy_mcp_context_drop(ctx);
}
MW_POST(list_tools, wacpy_mcp_list_tool)

void exports_wacpy_mcp_handler_call_tool(wacpy_mcp_context ctx, wacpy_string name, wacpy_string arguments,
                                         wacpy_mcp_option_result_call_tool_result_error *ret) {
#ifdef WACPY_MIDDLEWARE_TOOLS
    wacpy_mcp_tools_call_tool(ctx, name, arguments, ret);
    if (!ret->is_some)
#endif
        wacpy_mcp_handler_call_tool(ctx, name, arguments, ret);
    wacpy_mcp_context_drop(ctx);
}
MW_POST(call_tool, wacpy_mcp_option_result_call_tool_result_error)

void exports_wacpy_mcp_handler_list_resources(wacpy_mcp_context ctx, wacpy_mcp_list_resource *ret) {
#ifdef WACPY_MIDDLEWARE_RESOURCES
    wacpy_mcp_resources_list_resources(ctx, ret);
    MW_CONCAT(wacpy_mcp_handler_list_resources, wacpy_mcp_list_resource, wacpy_mcp_resource);
#else
    wacpy_mcp_handler_list_resources(ctx, ret);
#endif
    wacpy_mcp_context_drop(ctx);
}
MW_POST(list_resources, wacpy_mcp_list_resource)

void exports_wacpy_mcp_handler_list_resource_templates(wacpy_mcp_context ctx,
                                                       wacpy_mcp_list_resource_template *ret) {
#ifdef WACPY_MIDDLEWARE_RESOURCES
    wacpy_mcp_resources_list_resource_templates(ctx, ret);
    MW_CONCAT(wacpy_mcp_handler_list_resource_templates, wacpy_mcp_list_resource_template,
              wacpy_mcp_resource_template);
#else
    wacpy_mcp_handler_list_resource_templates(ctx, ret);
#endif
    wacpy_mcp_context_drop(ctx);
}
MW_POST(list_resource_templates, wacpy_mcp_list_resource_template)

void exports_wacpy_mcp_handler_read_resource(wacpy_mcp_context ctx, wacpy_string uri,
                                             wacpy_mcp_option_result_list_resource_contents_error *ret) {
#ifdef WACPY_MIDDLEWARE_RESOURCES
    wacpy_mcp_resources_read_resource(ctx, uri, ret);
    if (!ret->is_some)
#endif
        wacpy_mcp_handler_read_resource(ctx, uri, ret);
    wacpy_mcp_context_drop(ctx);
}
MW_POST(read_resource, wacpy_mcp_option_result_list_resource_contents_error)

void exports_wacpy_mcp_handler_subscribe(wacpy_mcp_context ctx, wacpy_string uri, uint8_t on,
                                         wacpy_mcp_option_result_void_error *ret) {
    wacpy_mcp_handler_subscribe(ctx, uri, on, ret);
    wacpy_mcp_context_drop(ctx);
}
MW_POST(subscribe, wacpy_mcp_option_result_void_error)

void exports_wacpy_mcp_handler_list_prompts(wacpy_mcp_context ctx, wacpy_mcp_list_prompt *ret) {
#ifdef WACPY_MIDDLEWARE_PROMPTS
    wacpy_mcp_prompts_list_prompts(ctx, ret);
    MW_CONCAT(wacpy_mcp_handler_list_prompts, wacpy_mcp_list_prompt, wacpy_mcp_prompt);
#else
    wacpy_mcp_handler_list_prompts(ctx, ret);
#endif
    wacpy_mcp_context_drop(ctx);
}
MW_POST(list_prompts, wacpy_mcp_list_prompt)

void exports_wacpy_mcp_handler_get_prompt(wacpy_mcp_context ctx, wacpy_string name,
                                          wacpy_list_tuple2_string_string arguments,
                                          wacpy_mcp_option_result_get_prompt_result_error *ret) {
#ifdef WACPY_MIDDLEWARE_PROMPTS
    wacpy_mcp_prompts_get_prompt(ctx, name, arguments, ret);
    if (!ret->is_some)
#endif
        wacpy_mcp_handler_get_prompt(ctx, name, arguments, ret);
    wacpy_mcp_context_drop(ctx);
}
MW_POST(get_prompt, wacpy_mcp_option_result_get_prompt_result_error)

void exports_wacpy_mcp_handler_complete(wacpy_mcp_context ctx, const wacpy_mcp_completion_request *request,
                                        wacpy_mcp_option_result_completion_error *ret) {
#ifdef WACPY_MIDDLEWARE_COMPLETIONS
    wacpy_mcp_completions_complete(ctx, request, ret);
    if (!ret->is_some)
#endif
        wacpy_mcp_handler_complete(ctx, request, ret);
    wacpy_mcp_context_drop(ctx);
}
MW_POST(complete, wacpy_mcp_option_result_completion_error)

void exports_wacpy_mcp_handler_set_log_level(wacpy_mcp_context ctx, wacpy_mcp_log_level level) {
    wacpy_mcp_handler_set_log_level(ctx, level);
    wacpy_mcp_context_drop(ctx);
}
void exports_wacpy_mcp_handler_set_log_level_post(void) { wacpy_arena_reset(&mw_arena); }

void exports_wacpy_mcp_handler_handle(wacpy_mcp_context ctx, wacpy_string method, const wacpy_option_string *params,
                                      wacpy_mcp_option_result_string_error *ret) {
    wacpy_mcp_handler_handle(ctx, method, params, ret);
    wacpy_mcp_context_drop(ctx);
}
MW_POST(handle, wacpy_mcp_option_result_string_error)

#endif
