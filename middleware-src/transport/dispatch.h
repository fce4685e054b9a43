/* MCP methods: a parsed JSON-RPC message in, typed `handler` calls, a JSON-RPC response out. */
#ifndef TRANSPORT_DISPATCH_H
#define TRANSPORT_DISPATCH_H

#include "bindings.h"
#include "jsonrpc.h"

#define MCP_LATEST_VERSION "2025-11-25"

/* A request header: its name (lowercase) and value. */
typedef struct {
  str name, value;
} header_pair;
typedef struct {
  header_pair *ptr;
  uint32_t len;
} param_headers;

/* What a transport knows about the request besides the message; updated by the dispatch. */
typedef struct {
  str protocol_version; /* from the MCP-Protocol-Version header, or negotiated on stdio */
  int32_t log_level;    /* -1: none asked for */
  wacpy_mcp_context_factory_framing framing; /* how notifications reach the client */
  sink sink;            /* where notifications go (and the answer, once it is a stream) */
  wacpy_mcp_context_factory_event_cursor events; /* a session's SSE stream: its id and next event */
  str session_id;       /* the request's session; empty without one */
  uint8_t client_capabilities; /* wacpy_mcp_context_factory_client_capabilities of the session */
  uint8_t start_session;       /* `initialize` starts a session (HTTP with a store) */
  str session_error;           /* why `initialize` could not start one (the store's message) */
  uint8_t stateless;           /* MCP 2026-07-28: no session, everything the request needs in its `_meta` */
  int32_t error_code;          /* the JSON-RPC error the answer carries, 0 for a result */
  param_headers param_headers; /* a stateless HTTP request's Mcp-Param-* headers */
  str input_required;          /* the InputRequiredResult of a request that asked for input, or empty */
  str task;                    /* the task the request became (2026-07-28 tasks), or empty */
  str resume_task;             /* a task to run again once the answer is sent (tasks/update) */
  wacpy_mcp_option_context_factory_cache_hints cache; /* the chain's caching hints for this answer */
  str caller_subject, caller_scopes, caller_claims; /* OAuth mode: the verified token (claims empty: none) */
  str scope_needed;            /* MCP_INSUFFICIENT_SCOPE: the scopes the handler asked for */
  str auth_base;               /* `http://host`, where the protected resource metadata is */
} rpc_env;

/* A 2025 protocol version (the session revisions) if we support it (a static string), else an
 * empty one; stateless.h knows 2026-07-28. */
str mcp_supported_version(str version);
/* The flags of a `ClientCapabilities` object; the index of a log level's name (-1: none). */
uint8_t client_capability_flags(str caps);
int32_t mcp_log_level(str name);

/* Answer a request: the whole response object goes to `out`; `env->sink` is the sink handed back by
 * the context (started, if a notification started an HTTP response), or still the one given. */
void dispatch_request(const rpc_message *m, rpc_env *env, buf *out);
/* The chain's capability flags (asked once per instance). */
uint16_t dispatch_capabilities(rpc_env *env);
/* What runs once the answer is sent: a task whose questions `tasks/update` answered runs again. */
void dispatch_after_answer(rpc_env *env);
/* Pass a notification down the chain; nothing is answered. */
void dispatch_notification(const rpc_message *m, rpc_env *env);

#endif
