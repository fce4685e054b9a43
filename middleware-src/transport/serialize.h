/* MCP results as JSON: the typed values the handler chain returns, written as MCP 2025-11-25 objects.
 * Functions returning int give 0 when a verbatim JSON field from a handler is not valid JSON.
 *
 * Lists are the items of every component in chain order. An item whose key (a tool's or prompt's
 * name, a resource's URI, a template's URI template) came earlier is left out: the first in chain
 * order wins, as it does for calls. So is an item with a verbatim JSON field that is not valid
 * (a tool's `inputSchema` must be an object): one bad item must not hide everyone's. Each item left
 * out is reported on stderr, naming it. */
#ifndef TRANSPORT_SERIALIZE_H
#define TRANSPORT_SERIALIZE_H

#include "bindings.h"
#include "jsonw.h"

/* The `capabilities` object of a server with these flags, and its `serverInfo` object. */
void ser_capabilities(buf *b, uint16_t caps);
void ser_server_info(buf *b, const wacpy_mcp_server_info *info);
void ser_initialize_result(buf *b, const wacpy_mcp_server_info *info, str protocol_version);
void ser_tools(buf *b, wacpy_mcp_list_tool tools);
int ser_call_tool_result(buf *b, const wacpy_mcp_call_tool_result *result);
void ser_resources(buf *b, wacpy_mcp_list_resource resources);
void ser_resource_templates(buf *b, wacpy_mcp_list_resource_template templates);
void ser_read_resource_result(buf *b, wacpy_mcp_list_resource_contents contents);
void ser_prompts(buf *b, wacpy_mcp_list_prompt prompts);
void ser_get_prompt_result(buf *b, const wacpy_mcp_get_prompt_result *result);
void ser_completion(buf *b, const wacpy_mcp_completion *c);

#endif
