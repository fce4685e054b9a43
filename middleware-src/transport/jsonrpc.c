#include "jsonrpc.h"

#include "json.h"

#pragma clang attribute push(__attribute__((minsize)), apply_to = function)

int rpc_parse(str text, rpc_message *m) {
  *m = (rpc_message){0};
  if (!json_valid(text)) return RPC_PARSE_ERROR;
  str msg = json_trim(text);
  if (json_kind(msg) != '{') return RPC_INVALID_REQUEST; /* batches were removed in 2025-06-18 */

  str version = {0}, id = {0}, method = {0}, params = {0}, result = {0}, error = {0};
  json_iter it = json_iterate(msg);
  str key, value;
  while (json_next_member(&it, &key, &value)) {
    if (json_string_equals(key, "jsonrpc")) version = value;
    else if (json_string_equals(key, "id")) id = value;
    else if (json_string_equals(key, "method")) method = value;
    else if (json_string_equals(key, "params")) params = value;
    else if (json_string_equals(key, "result")) result = value;
    else if (json_string_equals(key, "error")) error = value;
  }
  char id_kind = json_kind(id);
  if (id_kind == '"' || id_kind == '0') m->id = id;
  if (json_kind(version) != '"' || !json_string_equals(version, "2.0")) return RPC_INVALID_REQUEST;
  /* MCP ids are strings or integers, never null */
  if (id.len && !m->id.len) return RPC_INVALID_REQUEST;

  if (!method.len) {
    if (m->id.len && (result.len || error.len)) {
      m->kind = RPC_RESPONSE;
      return 0;
    }
    return RPC_INVALID_REQUEST;
  }
  if (json_kind(method) != '"') return RPC_INVALID_REQUEST;
  m->method = json_decode_string(method);
  char params_kind = json_kind(params);
  if (params_kind == 'n') params = (str){0};
  else if (params.len && params_kind != '{' && params_kind != '[') return RPC_INVALID_REQUEST;
  m->params = params;
  m->kind = m->id.len ? RPC_REQUEST : RPC_NOTIFICATION;
  return 0;
}

static void write_id(buf *out, str id) {
  if (id.len) buf_put(out, id.ptr, id.len);
  else buf_lit(out, "null");
}

void rpc_result_begin(buf *out, str id) {
  buf_lit(out, "{\"jsonrpc\":\"2.0\",\"id\":");
  write_id(out, id);
  buf_lit(out, ",\"result\":");
}

void rpc_result_end(buf *out) { buf_char(out, '}'); }

void rpc_error(buf *out, str id, int32_t code, str message, str data) {
  buf_lit(out, "{\"jsonrpc\":\"2.0\",\"id\":");
  write_id(out, id);
  buf_lit(out, ",\"error\":{\"code\":");
  buf_i64(out, code);
  buf_lit(out, ",\"message\":");
  buf_string(out, message);
  if (data.len) {
    uint32_t mark = out->len;
    buf_lit(out, ",\"data\":");
    if (!buf_json(out, data)) out->len = mark; /* a handler's invalid data is dropped, not sent */
  }
  buf_lit(out, "}}");
}

#pragma clang attribute pop
