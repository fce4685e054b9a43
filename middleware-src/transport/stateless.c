#include "stateless.h"

#include "session.h"
#include "wacpy_tasks.h"

#include "json.h"
#include "serialize.h"

#pragma clang attribute push(__attribute__((minsize)), apply_to = function)

#define META_VERSION "io.modelcontextprotocol/protocolVersion"
#define META_CAPABILITIES "io.modelcontextprotocol/clientCapabilities"
#define META_LOG_LEVEL "io.modelcontextprotocol/logLevel"
#define UNSUPPORTED_VERSION (-32022)

/* Every revision the server speaks, newest first. */
static const char *const VERSIONS[] = {STATELESS_VERSION, "2025-11-25", "2025-06-18", "2025-03-26"};

int stateless_version(str version) { return str_eq_lit(version, STATELESS_VERSION); }

static str request_meta(const rpc_message *m) {
  str meta;
  if (!m->params.len || !json_get(m->params, "_meta", &meta) || json_kind(meta) != '{') return (str){0};
  return meta;
}

int stateless_by_meta(const rpc_message *m) {
  str version;
  return json_get_string(request_meta(m), META_VERSION, &version) && stateless_version(version);
}

static void versions_array(buf *out) {
  buf_char(out, '[');
  for (size_t i = 0; i < sizeof VERSIONS / sizeof *VERSIONS; i++) {
    if (i) buf_char(out, ',');
    buf_string(out, (str){VERSIONS[i], 10});
  }
  buf_char(out, ']');
}

void stateless_unsupported(buf *out, str id, str requested) {
  buf data = {0};
  buf_lit(&data, "{\"supported\":");
  versions_array(&data);
  buf_lit(&data, ",\"requested\":");
  buf_string(&data, requested);
  buf_char(&data, '}');
  rpc_error(out, id, UNSUPPORTED_VERSION, STR("Unsupported protocol version"), buf_str(&data));
}

static int32_t reject(buf *out, rpc_env *env, const rpc_message *m, int32_t code, str message) {
  rpc_error(out, m->id, code, message, (str){0});
  env->error_code = code;
  return 400;
}

/* The value a request names in the Mcp-Name header: the tool's or prompt's name, the resource's URI. */
static int named_value(const rpc_message *m, str *name) {
  str method = m->method;
  const char *field = str_eq_lit(method, "resources/read")                                  ? "uri"
                      : str_eq_lit(method, "tools/call") || str_eq_lit(method, "prompts/get") ? "name"
                      : str_eq_lit(method, "tasks/get") || str_eq_lit(method, "tasks/update") ||
                              str_eq_lit(method, "tasks/cancel")
                          ? "taskId" /* SEP-2663 */
                          : 0;
  return field && json_get_string(m->params, field, name);
}

int32_t stateless_admit(const rpc_message *m, routing_headers headers, rpc_env *env, buf *out) {
  str meta = request_meta(m), version, caps, level, name;
  int has_version = json_get_string(meta, META_VERSION, &version);
  int has_caps = json_get(meta, META_CAPABILITIES, &caps) && json_kind(caps) == '{';
  if (!has_version || !has_caps) {
    buf message = {0};
    buf_lit(&message, "Invalid params: _meta lacks ");
    if (!has_version) buf_lit(&message, META_VERSION);
    if (!has_version && !has_caps) buf_lit(&message, " and ");
    if (!has_caps) buf_lit(&message, META_CAPABILITIES " (an object)");
    return reject(out, env, m, RPC_INVALID_PARAMS, buf_str(&message));
  }
  if (!headers.version.len)
    return reject(out, env, m, MCP_HEADER_MISMATCH, STR("Header mismatch: the MCP-Protocol-Version header is missing"));
  if (!str_eq(version, headers.version))
    return reject(out, env, m, MCP_HEADER_MISMATCH,
                  STR("Header mismatch: MCP-Protocol-Version differs from _meta " META_VERSION));
  if (!headers.method.len)
    return reject(out, env, m, MCP_HEADER_MISMATCH, STR("Header mismatch: the Mcp-Method header is missing"));
  if (!str_eq(headers.method, m->method))
    return reject(out, env, m, MCP_HEADER_MISMATCH, STR("Header mismatch: Mcp-Method differs from the body's method"));
  int named = named_value(m, &name);
  if (named && !headers.name.len)
    return reject(out, env, m, MCP_HEADER_MISMATCH, STR("Header mismatch: the Mcp-Name header is missing"));
  if (named && !str_eq(headers.name, name))
    return reject(out, env, m, MCP_HEADER_MISMATCH, STR("Header mismatch: Mcp-Name differs from the name in the body"));
  env->stateless = 1;
  env->param_headers = headers.params;
  env->protocol_version = STR(STATELESS_VERSION);
  env->client_capabilities = client_capability_flags(caps);
  env->log_level = json_get_string(meta, META_LOG_LEVEL, &level) ? mcp_log_level(level) : -1;
  return 0;
}

/* ---- custom headers (x-mcp-header, SEP-2243) ---------------------------------------------------- */

#define PARAM_PREFIX "mcp-param-"

param_headers stateless_param_headers(wasi_http_fields headers) {
  wasi_http_list_tuple2_string_field_value all;
  wasi_http_fields_entries(headers, &all);
  param_headers found = {mem_alloc(sizeof(header_pair) * (all.len ? all.len : 1), 4), 0};
  const uint32_t prefix = sizeof PARAM_PREFIX - 1;
  for (size_t i = 0; i < all.len; i++) {
    str name = all.ptr[i].f0;
    if (name.len <= prefix || !str_ieq((str){name.ptr, prefix}, STR(PARAM_PREFIX))) continue;
    str value = {(const char *)all.ptr[i].f1.ptr, (uint32_t)all.ptr[i].f1.len};
    found.ptr[found.len++] = (header_pair){{name.ptr + prefix, name.len - prefix}, str_trim(value)};
  }
  return found;
}

static int base64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* Strict RFC 4648 base64 (padded, no other characters): 0 when `text` is not. */
static int base64_decode(str text, str *out) {
  if (text.len % 4) return 0;
  uint32_t pad = text.len && text.ptr[text.len - 1] == '=' ? (text.len > 1 && text.ptr[text.len - 2] == '=' ? 2 : 1) : 0;
  char *bytes = mem_alloc(text.len / 4 * 3 + 1, 1);
  uint32_t n = 0, acc = 0;
  for (uint32_t i = 0; i < text.len - pad; i++) {
    int d = base64_digit(text.ptr[i]);
    if (d < 0) return 0;
    acc = acc << 6 | (uint32_t)d;
    if (i % 4 == 3) bytes[n++] = (char)(acc >> 16), bytes[n++] = (char)(acc >> 8), bytes[n++] = (char)acc;
  }
  if (pad == 1) bytes[n++] = (char)(acc >> 10), bytes[n++] = (char)(acc >> 2);
  if (pad == 2) bytes[n++] = (char)(acc >> 4);
  *out = (str){bytes, n};
  return 1;
}

/* A header's value as the client meant it: `=?base64?...?=` decoded, anything else literally. */
static int header_text(str value, str *text) {
  const str open = STR("=?base64?"), close = STR("?=");
  int wrapped = value.len >= open.len + close.len && str_eq((str){value.ptr, open.len}, open) &&
                str_eq((str){value.ptr + value.len - close.len, close.len}, close);
  if (!wrapped) return *text = value, 1;
  return base64_decode((str){value.ptr + open.len, value.len - open.len - close.len}, text);
}

/* An argument as its header carries it: a string's text, a number or boolean as written. */
static int argument_text(str value, str *text) {
  char kind = json_kind(value);
  if (kind == '"') return *text = json_decode_string(value), 1;
  if (kind == '0' || kind == 't' || kind == 'f') return *text = value, 1;
  return 0;
}

/* The value of the member of `object` whose decoded name is `name` (the last one when repeated). */
static int member_named(str object, str name, str *value) {
  json_iter it = json_iterate(object);
  str key, v;
  int found = 0;
  while (json_next_member(&it, &key, &v))
    if (str_eq(json_decode_string(key), name)) *value = v, found = 1;
  return found;
}

const char *stateless_check_params(str schema, str arguments, param_headers params, str *header) {
  str properties, property, prop_schema, value, expected, got;
  if (!json_get(schema, "properties", &properties) || json_kind(properties) != '{') return 0;
  json_iter it = json_iterate(properties);
  while (json_next_member(&it, &property, &prop_schema)) {
    if (json_kind(prop_schema) != '{' || !json_get_string(prop_schema, "x-mcp-header", header)) continue;
    if (!member_named(arguments, json_decode_string(property), &value) || !argument_text(value, &expected)) continue;
    const header_pair *sent = 0;
    for (uint32_t i = 0; i < params.len && !sent; i++)
      if (str_ieq(params.ptr[i].name, *header)) sent = &params.ptr[i];
    if (!sent) return "Header mismatch: a tool argument's Mcp-Param header is missing: Mcp-Param-";
    if (!header_text(sent->value, &got)) return "Header mismatch: not valid base64 in Mcp-Param-";
    if (!str_eq(got, expected)) return "Header mismatch: the argument in the body differs from Mcp-Param-";
  }
  return 0;
}

int stateless_removed(str method) {
  static const char *const REMOVED[] = {"initialize", "ping", "logging/setLevel", "resources/subscribe",
                                        "resources/unsubscribe"};
  for (size_t i = 0; i < sizeof REMOVED / sizeof *REMOVED; i++)
    if (str_eq_lit(method, REMOVED[i])) return 1;
  return 0;
}

void stateless_discover(buf *out, const wacpy_mcp_server_info *info) {
  /* without a store nothing reaches a 2026 client outside its request: no list-changed, no subscriptions */
  uint16_t caps = sessions_kept() ? info->capabilities
                                  : info->capabilities & (uint16_t)~(WACPY_MCP_CAPABILITIES_TOOLS_LIST_CHANGED |
                                                                     WACPY_MCP_CAPABILITIES_RESOURCES_LIST_CHANGED |
                                                                     WACPY_MCP_CAPABILITIES_PROMPTS_LIST_CHANGED |
                                                                     WACPY_MCP_CAPABILITIES_RESOURCES_SUBSCRIBE);
  buf_lit(out, "{\"supportedVersions\":");
  versions_array(out);
  buf_lit(out, ",\"capabilities\":");
  ser_capabilities(out, caps);
  if (sessions_kept() && out->len && out->buf[out->len - 1] == '}') { /* tasks live in the store */
    int empty = out->len >= 2 && out->buf[out->len - 2] == '{';
    out->len--;
    if (!empty) buf_char(out, ',');
    buf_lit(out, "\"extensions\":{\"" WACPY_TASKS_EXTENSION "\":{}}}");
  }
  buf_lit(out, ",\"serverInfo\":");
  ser_server_info(out, info);
  if (info->instructions.is_some) {
    buf_lit(out, ",\"instructions\":");
    buf_string(out, info->instructions.val);
  }
  buf_lit(out, ",\"_meta\":{\"io.modelcontextprotocol/serverInfo\":");
  ser_server_info(out, info);
  buf_lit(out, "}}");
}

/* The results that carry caching hints (SEP-2549), and their scope: 1 public, 2 private, 0 none. */
static int cache_scope(str method) {
  if (str_eq_lit(method, "server/discover")) return 1;
  return str_eq_lit(method, "tools/list") || str_eq_lit(method, "prompts/list") || str_eq_lit(method, "resources/list") ||
                 str_eq_lit(method, "resources/templates/list") || str_eq_lit(method, "resources/read")
             ? 2
             : 0;
}

void stateless_annotate(buf *out, uint32_t at, str method, const wacpy_mcp_option_context_factory_cache_hints *hints) {
  if (at >= out->len || out->buf[at] != '{') return;
  int scope = cache_scope(method);
  /* Without the components' hints: stale at once (a composition may change whenever it is
   * redeployed), and private where the answer could depend on who asks. */
  buf fields = {0};
  buf_lit(&fields, "\"resultType\":\"complete\"");
  if (scope) {
    int given = scope == 2 && hints->is_some;
    buf_lit(&fields, ",\"ttlMs\":");
    buf_u64(&fields, given ? hints->val.ttl_ms : 0);
    if (scope == 1 || (given && hints->val.shared)) buf_lit(&fields, ",\"cacheScope\":\"public\"");
    else buf_lit(&fields, ",\"cacheScope\":\"private\"");
  }
  if (!(at + 1 < out->len && out->buf[at + 1] == '}')) buf_char(&fields, ','); /* members follow */
  uint32_t grow = (uint32_t)fields.len, tail = (uint32_t)out->len - at - 1;
  buf_put(out, fields.buf, grow); /* room (the bytes are rewritten below) */
  if (out->failed || fields.failed) return;
  uint8_t *base = (uint8_t *)out->buf;
  memmove(base + at + 1 + grow, base + at + 1, tail);
  memcpy(base + at + 1, fields.buf, grow);
}

#pragma clang attribute pop
