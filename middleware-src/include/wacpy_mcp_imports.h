/* Core-level imports of the `wacpy:mcp` interfaces, and the export names of `handler`.
 *
 * Every function takes its flattened canonical-ABI parameters (a string is pointer + length, an
 * option is tag + payload, a resource is an i32 handle; see `wasm-tools component embed
 * --dummy-names legacy`). A function whose result is wider than one core value takes a return
 * area as its last parameter; the types in wacpy_mcp_types.h describe what is written there.
 * Declaring an import costs nothing: only the functions a component calls become imports.
 *
 * Borrowed handles: a handler export receives its `ctx` as a borrow handle and must drop it with
 * `wacpy_context_drop` before returning (the canonical ABI traps otherwise); it may pass it to
 * imports first.
 */
#ifndef WACPY_MCP_IMPORTS_H
#define WACPY_MCP_IMPORTS_H

#include "wacpy_mcp_types.h"

#define WACPY_MCP_IMPORT(iface, name) WACPY_IMPORT(WACPY_MCP_IFACE(iface), name)
/* The export name of handler function `name` and of its post-return function. */
#define WACPY_HANDLER_EXPORT(name) WACPY_EXPORT(WACPY_MCP_IFACE("handler") "#" name)
#define WACPY_HANDLER_POST(name) WACPY_EXPORT("cabi_post_" WACPY_MCP_IFACE("handler") "#" name)

/* -- context (imported resource) ----------------------------------------------------------- */
WACPY_MCP_IMPORT("context", "[method]context.protocol-version")
extern void wacpy_context_protocol_version(int32_t self, void *ret /* string */);
WACPY_MCP_IMPORT("context", "[method]context.session-id")
extern void wacpy_context_session_id(int32_t self, void *ret /* option<string> */);
WACPY_MCP_IMPORT("context", "[method]context.log")
extern void wacpy_context_log(int32_t self, uint32_t level, uint32_t logger_is_some, wacpy_ptr logger,
                              size_t logger_len, wacpy_ptr data, size_t data_len);
WACPY_MCP_IMPORT("context", "[method]context.progress")
extern void wacpy_context_progress(int32_t self, double progress, uint32_t total_is_some, double total,
                                   uint32_t message_is_some, wacpy_ptr message, size_t message_len);
WACPY_MCP_IMPORT("context", "[method]context.notify")
extern void wacpy_context_notify(int32_t self, wacpy_ptr method, size_t method_len, uint32_t params_is_some,
                                 wacpy_ptr params, size_t params_len);
WACPY_MCP_IMPORT("context", "[method]context.request")
extern void wacpy_context_request(int32_t self, wacpy_ptr method, size_t method_len, wacpy_ptr params,
                                  size_t params_len, void *ret /* wacpy_result_json */);
WACPY_MCP_IMPORT("context", "[resource-drop]context")
extern void wacpy_context_drop(int32_t handle);

/* -- context-factory ----------------------------------------------------------------------- */
WACPY_MCP_IMPORT("context-factory", "create")
extern int32_t wacpy_context_factory_create(
    wacpy_ptr protocol_version, size_t protocol_version_len, uint32_t session_id_is_some,
    wacpy_ptr session_id, size_t session_id_len, uint32_t progress_token_is_some, wacpy_ptr progress_token,
    size_t progress_token_len, uint32_t log_level_is_some, uint32_t log_level, uint32_t sink_tag,
    int32_t sink_a, int32_t sink_b, uint32_t framing);
WACPY_MCP_IMPORT("context-factory", "finish")
extern void wacpy_context_factory_finish(int32_t ctx, wacpy_sink *ret);

/* -- handler (the next link) --------------------------------------------------------------- */
WACPY_MCP_IMPORT("handler", "initialize")
extern void wacpy_next_initialize(int32_t ctx, wacpy_ptr name, size_t name_len, wacpy_ptr version,
                                  size_t version_len, uint32_t title_is_some, wacpy_ptr title, size_t title_len,
                                  uint32_t instructions_is_some, wacpy_ptr instructions, size_t instructions_len,
                                  uint32_t capabilities, void *ret /* wacpy_mcp_server_info */);
WACPY_MCP_IMPORT("handler", "list-tools")
extern void wacpy_next_list_tools(int32_t ctx, void *ret /* wacpy_list of wacpy_mcp_tool */);
WACPY_MCP_IMPORT("handler", "call-tool")
extern void wacpy_next_call_tool(int32_t ctx, wacpy_ptr name, size_t name_len, wacpy_ptr arguments,
                                 size_t arguments_len, void *ret /* wacpy_opt_result_call_tool */);
WACPY_MCP_IMPORT("handler", "list-resources")
extern void wacpy_next_list_resources(int32_t ctx, void *ret /* wacpy_list of wacpy_mcp_resource */);
WACPY_MCP_IMPORT("handler", "list-resource-templates")
extern void wacpy_next_list_resource_templates(int32_t ctx, void *ret /* of wacpy_mcp_resource_template */);
WACPY_MCP_IMPORT("handler", "read-resource")
extern void wacpy_next_read_resource(int32_t ctx, wacpy_ptr uri, size_t uri_len,
                                     void *ret /* wacpy_opt_result_list of resource-contents */);
WACPY_MCP_IMPORT("handler", "subscribe")
extern void wacpy_next_subscribe(int32_t ctx, wacpy_ptr uri, size_t uri_len, uint32_t on,
                                 void *ret /* wacpy_opt_result_unit */);
WACPY_MCP_IMPORT("handler", "list-prompts")
extern void wacpy_next_list_prompts(int32_t ctx, void *ret /* wacpy_list of wacpy_mcp_prompt */);
WACPY_MCP_IMPORT("handler", "get-prompt")
extern void wacpy_next_get_prompt(int32_t ctx, wacpy_ptr name, size_t name_len, wacpy_ptr arguments,
                                  size_t arguments_len /* list<tuple<string,string>> */,
                                  void *ret /* wacpy_opt_result_get_prompt */);
WACPY_MCP_IMPORT("handler", "complete")
extern void wacpy_next_complete(int32_t ctx, uint32_t ref_tag, wacpy_ptr ref, size_t ref_len,
                                wacpy_ptr argument_name, size_t argument_name_len, wacpy_ptr argument_value,
                                size_t argument_value_len, wacpy_ptr context_arguments,
                                size_t context_arguments_len, void *ret /* wacpy_opt_result_completion */);
WACPY_MCP_IMPORT("handler", "set-log-level")
extern void wacpy_next_set_log_level(int32_t ctx, uint32_t level);
WACPY_MCP_IMPORT("handler", "handle")
extern void wacpy_next_handle(int32_t ctx, wacpy_ptr method, size_t method_len, uint32_t params_is_some,
                              wacpy_ptr params, size_t params_len, void *ret /* wacpy_opt_result_json */);

/* -- capability interfaces of user components ---------------------------------------------- */
WACPY_MCP_IMPORT("tools", "list-tools")
extern void wacpy_tools_list_tools(int32_t ctx, void *ret);
WACPY_MCP_IMPORT("tools", "call-tool")
extern void wacpy_tools_call_tool(int32_t ctx, wacpy_ptr name, size_t name_len, wacpy_ptr arguments,
                                  size_t arguments_len, void *ret);
WACPY_MCP_IMPORT("resources", "list-resources")
extern void wacpy_resources_list_resources(int32_t ctx, void *ret);
WACPY_MCP_IMPORT("resources", "list-resource-templates")
extern void wacpy_resources_list_resource_templates(int32_t ctx, void *ret);
WACPY_MCP_IMPORT("resources", "read-resource")
extern void wacpy_resources_read_resource(int32_t ctx, wacpy_ptr uri, size_t uri_len, void *ret);
WACPY_MCP_IMPORT("prompts", "list-prompts")
extern void wacpy_prompts_list_prompts(int32_t ctx, void *ret);
WACPY_MCP_IMPORT("prompts", "get-prompt")
extern void wacpy_prompts_get_prompt(int32_t ctx, wacpy_ptr name, size_t name_len, wacpy_ptr arguments,
                                     size_t arguments_len, void *ret);
WACPY_MCP_IMPORT("completions", "complete")
extern void wacpy_completions_complete(int32_t ctx, uint32_t ref_tag, wacpy_ptr ref, size_t ref_len,
                                       wacpy_ptr argument_name, size_t argument_name_len,
                                       wacpy_ptr argument_value, size_t argument_value_len,
                                       wacpy_ptr context_arguments, size_t context_arguments_len, void *ret);

#endif
