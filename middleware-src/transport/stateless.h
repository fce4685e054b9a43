/* MCP 2026-07-28 over HTTP: stateless requests. Nothing outlives a request: the protocol version,
 * the client's capabilities and its log level come in every request's `_meta`, checked here
 * against the MCP-Protocol-Version, Mcp-Method and Mcp-Name headers before the chain sees it. */
#ifndef TRANSPORT_STATELESS_H
#define TRANSPORT_STATELESS_H

#include "dispatch.h"

#define STATELESS_VERSION "2026-07-28"

/* HTTP request headers that name the request (SEP-2243); empty when absent. */
typedef struct {
  str version; /* MCP-Protocol-Version */
  str method;  /* Mcp-Method */
  str name;    /* Mcp-Name */
  param_headers params; /* Mcp-Param-<Name>: tool arguments mirrored into headers (x-mcp-header) */
} routing_headers;

/* The request's `Mcp-Param-*` headers, names lowercased by the host, values trimmed. */
param_headers stateless_param_headers(wasi_http_fields headers);
/* Check a stateless tools/call's `Mcp-Param-*` headers against the arguments that the tool's input
 * schema marks with `x-mcp-header`: 0, or the message of the -32020 (HTTP 400) it fails with. */
const char *stateless_check_params(str schema, str arguments, param_headers params, str *header);

/* Whether `version` is a revision served statelessly. */
int stateless_version(str version);
/* Whether a request without an MCP-Protocol-Version header names a stateless revision in `_meta`. */
int stateless_by_meta(const rpc_message *m);

/* The whole error response for a version we do not speak (-32022 with the versions we do). */
void stateless_unsupported(buf *out, str id, str requested);

/* Check a stateless request against its headers and fill `env` from its `_meta`: 0, or the HTTP
 * status of the error response written to `out`. */
int32_t stateless_admit(const rpc_message *m, routing_headers headers, rpc_env *env, buf *out);

/* Removed in 2026-07-28 (answered -32601, HTTP 404). */
int stateless_removed(str method);
/* `server/discover`'s result object for a chain with `info`. */
void stateless_discover(buf *out, const wacpy_mcp_server_info *info);
/* Add what every 2026 result carries (`resultType`, and caching hints on lists) to the result
 * object written at `at` in `out`. */
void stateless_annotate(buf *out, uint32_t at, str method, const wacpy_mcp_option_context_factory_cache_hints *hints);

#endif
