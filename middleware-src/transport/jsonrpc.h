/* JSON-RPC 2.0 envelopes: classify an incoming message, write responses and errors. */
#ifndef TRANSPORT_JSONRPC_H
#define TRANSPORT_JSONRPC_H

#include "jsonw.h"

#define RPC_PARSE_ERROR (-32700)
#define RPC_INVALID_REQUEST (-32600)
#define RPC_METHOD_NOT_FOUND (-32601)
#define RPC_INVALID_PARAMS (-32602)
#define RPC_INTERNAL_ERROR (-32603)
#define MCP_RESOURCE_NOT_FOUND (-32002)
#define MCP_HEADER_MISMATCH (-32020)    /* 2026-07-28 */
#define MCP_MISSING_CAPABILITY (-32021) /* 2026-07-28 */
/* Not on the wire: a handler's error meaning "the request asked the client for input" (SEP-2322);
 * the context provider makes it, the transport answers InputRequiredResult in its place. */
#define MCP_INPUT_REQUIRED (-32090)
/* A handler's error meaning "the caller's token lacks the scopes this needs" (OAuth mode), with
 * `data.scope` (space-separated): answered with HTTP 403 and `error="insufficient_scope"`. */
#define MCP_INSUFFICIENT_SCOPE (-32092)

enum { RPC_REQUEST, RPC_NOTIFICATION, RPC_RESPONSE };

typedef struct {
  int kind;
  str id;     /* raw JSON (a string or a number); empty when there is none or it was invalid */
  str method; /* decoded */
  str params; /* raw JSON (an object or an array); empty when absent or null */
} rpc_message;

/* Parse one message; returns 0, RPC_PARSE_ERROR or RPC_INVALID_REQUEST (then `m->id` is the id to
 * answer with, when it could be read). */
int rpc_parse(str text, rpc_message *m);

/* `{"jsonrpc":"2.0","id":ID,"result":` ... `}` around a result the caller writes. */
void rpc_result_begin(buf *out, str id);
void rpc_result_end(buf *out);
/* A whole error response; `data` is raw JSON or empty. */
void rpc_error(buf *out, str id, int32_t code, str message, str data);

#endif
