#include "dispatch.h"

#include "abi.h"
#include "json.h"
#include "serialize.h"

#pragma clang attribute push(__attribute__((minsize)), apply_to = function)

/* The server info the chain starts from in `initialize`; links fill in the rest. */
#define SERVER_NAME "wacpy-server"
#define SERVER_VERSION "0.1.0"

static const char *const SUPPORTED_VERSIONS[] = {"2025-11-25", "2025-06-18", "2025-03-26"};

str mcp_supported_version(str version) {
  for (size_t i = 0; i < sizeof SUPPORTED_VERSIONS / sizeof *SUPPORTED_VERSIONS; i++)
    if (str_eq_lit(version, SUPPORTED_VERSIONS[i])) return (str){SUPPORTED_VERSIONS[i], 10};
  return (str){0};
}

static const char *const LOG_LEVELS[] = {"debug", "info", "notice", "warning",
                                         "error", "critical", "alert", "emergency"};

/* ---- the request context ---------------------------------------------------------------------- */

static str progress_token(str params) {
  str meta, token;
  if (!json_get(params, "_meta", &meta) || !json_get(meta, "progressToken", &token)) return (str){0};
  char kind = json_kind(token);
  return kind == '"' || kind == '0' ? token : (str){0};
}

static int32_t context_open(rpc_env *env, str params) {
  str token = progress_token(params);
  sink given = env->sink;
  env->sink = (sink){SINK_NONE, 0, 0}; /* the context owns it now */
  return mcp_context_create(env->protocol_version.ptr, env->protocol_version.len, 0, 0, 0,
                            token.len != 0, token.ptr, token.len, env->log_level >= 0,
                            env->log_level >= 0 ? env->log_level : 0, given.tag, given.a, given.b, env->framing);
}

static void context_close(rpc_env *env, int32_t ctx) { mcp_context_finish(ctx, &env->sink); }

/* ---- answers ------------------------------------------------------------------------------------ */

typedef struct {
  const rpc_message *m;
  rpc_env *env;
  buf *out;
  str params; /* the params object, or `{}` */
} request;

/* Replace whatever was written with an error response. */
static int fail(request *r, int32_t code, str message, str data) {
  r->out->len = 0;
  rpc_error(r->out, r->m->id, code, message, data);
  return 0;
}

static int fail_with(request *r, const mcp_error *e) {
  return fail(r, e->code, e->message, e->data.some ? e->data.val : (str){0});
}

static int invalid_params(request *r, const char *what) {
  buf message = {0};
  buf_lit(&message, "Invalid params: ");
  while (*what) buf_char(&message, *what++);
  return fail(r, RPC_INVALID_PARAMS, buf_str(&message), (str){0});
}

static int invalid_json_from_handler(request *r) {
  return fail(r, RPC_INTERNAL_ERROR, STR("Internal error: a handler returned invalid JSON"), (str){0});
}

/* The message with a name appended: "Unknown tool: add". */
static str message_with(const char *prefix, str name) {
  buf b = {0};
  while (*prefix) buf_char(&b, *prefix++);
  buf_put(&b, name.ptr, name.len);
  return buf_str(&b);
}

static void begin(request *r) { rpc_result_begin(r->out, r->m->id); }
static int end(request *r) {
  rpc_result_end(r->out);
  return 1;
}

/* A string-valued object as (key, value) pairs; 0 when a value is not a string. */
static int string_pairs(str object, str_pair **pairs, uint32_t *count) {
  json_iter it = json_iterate(object);
  str key, value;
  uint32_t n = 0;
  while (json_next_member(&it, &key, &value)) n++;
  *pairs = mem_alloc(sizeof(str_pair) * (n ? n : 1), 4);
  *count = 0;
  it = json_iterate(object);
  while (json_next_member(&it, &key, &value)) {
    if (json_kind(value) != '"') return 0;
    (*pairs)[(*count)++] = (str_pair){json_decode_string(key), json_decode_string(value)};
  }
  return 1;
}

/* The chain's capabilities, asked once per instance: a composition does not change while it runs. */
static uint16_t known_capabilities;
static int capabilities_known;

static void remember_capabilities(uint16_t capabilities) {
  known_capabilities = capabilities;
  capabilities_known = 1;
}

static uint16_t chain_capabilities(rpc_env *env) {
  if (!capabilities_known) {
    server_info info;
    sink kept = env->sink;
    env->sink = (sink){SINK_NONE, 0, 0}; /* nothing of this request's output goes to this context */
    int32_t ctx = context_open(env, STR("{}"));
    mcp_initialize(ctx, SERVER_NAME, sizeof SERVER_NAME - 1, SERVER_VERSION, sizeof SERVER_VERSION - 1, 0, 0, 0,
                   0, 0, 0, CAP_LOGGING, &info);
    context_close(env, ctx);
    env->sink = kept;
    remember_capabilities(info.capabilities);
  }
  return known_capabilities;
}

static int on_initialize(request *r) {
  str requested;
  if (!json_get_string(r->params, "protocolVersion", &requested))
    return invalid_params(r, "protocolVersion must be a string");
  str version = mcp_supported_version(requested);
  if (!version.len) version = STR(MCP_LATEST_VERSION);
  r->env->protocol_version = version;
  server_info info;
  int32_t ctx = context_open(r->env, r->params);
  mcp_initialize(ctx, SERVER_NAME, sizeof SERVER_NAME - 1, SERVER_VERSION, sizeof SERVER_VERSION - 1, 0, 0, 0,
                 0, 0, 0, CAP_LOGGING, &info);
  context_close(r->env, ctx);
  remember_capabilities(info.capabilities);
  begin(r);
  ser_initialize_result(r->out, &info, version);
  return end(r);
}

static int on_list_tools(request *r) {
  tool_list tools;
  int32_t ctx = context_open(r->env, r->params);
  mcp_list_tools(ctx, &tools);
  context_close(r->env, ctx);
  begin(r);
  ser_tools(r->out, tools);
  return end(r);
}

/* From 2025-11-25 on (SEP-1303), arguments a tool rejects are a tool error the model can see and
 * correct (`isError: true`), not a protocol error; protocol versions are dates, so they compare as text. */
static int validation_is_a_tool_error(const rpc_env *env) {
  str v = env->protocol_version;
  return v.len == 10 && memcmp(v.ptr, "2025-11-25", 10) >= 0;
}

static int tool_error_result(request *r, str message) {
  begin(r);
  buf_lit(r->out, "{\"content\":[{\"type\":\"text\",\"text\":");
  buf_string(r->out, message);
  buf_lit(r->out, "}],\"isError\":true}");
  return end(r);
}

static int on_call_tool(request *r) {
  str name, arguments = STR("{}");
  if (!json_get_string(r->params, "name", &name)) return invalid_params(r, "name must be a string");
  if (json_get(r->params, "arguments", &arguments) && json_kind(arguments) != '{') {
    if (json_kind(arguments) != 'n') return invalid_params(r, "arguments must be an object");
    arguments = STR("{}");
  }
  call_tool_ret ret;
  int32_t ctx = context_open(r->env, r->params);
  mcp_call_tool(ctx, name.ptr, name.len, arguments.ptr, arguments.len, &ret);
  context_close(r->env, ctx);
  if (!ret.some) return fail(r, RPC_INVALID_PARAMS, message_with("Unknown tool: ", name), (str){0});
  if (ret.r.is_err && ret.r.u.err.code == RPC_INVALID_PARAMS && validation_is_a_tool_error(r->env))
    return tool_error_result(r, ret.r.u.err.message);
  if (ret.r.is_err) return fail_with(r, &ret.r.u.err);
  begin(r);
  if (!ser_call_tool_result(r->out, &ret.r.u.ok)) return invalid_json_from_handler(r);
  return end(r);
}

static int on_list_resources(request *r) {
  resource_list list;
  int32_t ctx = context_open(r->env, r->params);
  mcp_list_resources(ctx, &list);
  context_close(r->env, ctx);
  begin(r);
  ser_resources(r->out, list);
  return end(r);
}

static int on_list_resource_templates(request *r) {
  template_list list;
  int32_t ctx = context_open(r->env, r->params);
  mcp_list_resource_templates(ctx, &list);
  context_close(r->env, ctx);
  begin(r);
  ser_resource_templates(r->out, list);
  return end(r);
}

static int on_read_resource(request *r) {
  str uri;
  if (!json_get_string(r->params, "uri", &uri)) return invalid_params(r, "uri must be a string");
  read_resource_ret ret;
  int32_t ctx = context_open(r->env, r->params);
  mcp_read_resource(ctx, uri.ptr, uri.len, &ret);
  context_close(r->env, ctx);
  if (!ret.some) {
    buf data = {0};
    buf_lit(&data, "{\"uri\":");
    buf_string(&data, uri);
    buf_char(&data, '}');
    return fail(r, MCP_RESOURCE_NOT_FOUND, STR("Resource not found"), buf_str(&data));
  }
  if (ret.r.is_err) return fail_with(r, &ret.r.u.err);
  begin(r);
  ser_read_resource_result(r->out, ret.r.u.ok);
  return end(r);
}

static int on_subscribe(request *r, int on) {
  str uri;
  if (!json_get_string(r->params, "uri", &uri)) return invalid_params(r, "uri must be a string");
  subscribe_ret ret;
  int32_t ctx = context_open(r->env, r->params);
  mcp_subscribe(ctx, uri.ptr, uri.len, on, &ret);
  context_close(r->env, ctx);
  if (!ret.some) return fail(r, RPC_METHOD_NOT_FOUND, STR("Resource subscriptions are not supported"), (str){0});
  if (ret.r.is_err) return fail_with(r, &ret.r.u.err);
  begin(r);
  buf_lit(r->out, "{}");
  return end(r);
}

static int on_list_prompts(request *r) {
  prompt_list list;
  int32_t ctx = context_open(r->env, r->params);
  mcp_list_prompts(ctx, &list);
  context_close(r->env, ctx);
  begin(r);
  ser_prompts(r->out, list);
  return end(r);
}

static int on_get_prompt(request *r) {
  str name, arguments = STR("{}");
  if (!json_get_string(r->params, "name", &name)) return invalid_params(r, "name must be a string");
  if (json_get(r->params, "arguments", &arguments) && json_kind(arguments) != '{') {
    if (json_kind(arguments) != 'n') return invalid_params(r, "arguments must be an object");
    arguments = STR("{}");
  }
  str_pair *pairs;
  uint32_t count;
  if (!string_pairs(arguments, &pairs, &count)) return invalid_params(r, "argument values must be strings");
  get_prompt_ret ret;
  int32_t ctx = context_open(r->env, r->params);
  mcp_get_prompt(ctx, name.ptr, name.len, pairs, count, &ret);
  context_close(r->env, ctx);
  if (!ret.some) return fail(r, RPC_INVALID_PARAMS, message_with("Unknown prompt: ", name), (str){0});
  if (ret.r.is_err) return fail_with(r, &ret.r.u.err);
  begin(r);
  ser_get_prompt_result(r->out, &ret.r.u.ok);
  return end(r);
}

static int on_complete(request *r) {
  str ref, type, target, argument, arg_name, arg_value, context, context_args = STR("{}");
  int32_t ref_tag;
  if (!json_get(r->params, "ref", &ref) || !json_get_string(ref, "type", &type))
    return invalid_params(r, "ref must be an object with a type");
  if (str_eq_lit(type, "ref/prompt") && json_get_string(ref, "name", &target)) ref_tag = REF_PROMPT;
  else if (str_eq_lit(type, "ref/resource") && json_get_string(ref, "uri", &target))
    ref_tag = REF_RESOURCE_TEMPLATE;
  else return invalid_params(r, "ref must be a ref/prompt with a name or a ref/resource with a uri");
  if (!json_get(r->params, "argument", &argument) || !json_get_string(argument, "name", &arg_name) ||
      !json_get_string(argument, "value", &arg_value))
    return invalid_params(r, "argument must have a string name and value");
  if (json_get(r->params, "context", &context) && json_get(context, "arguments", &context_args) &&
      json_kind(context_args) != '{')
    return invalid_params(r, "context.arguments must be an object");
  str_pair *pairs;
  uint32_t count;
  if (!string_pairs(context_args, &pairs, &count))
    return invalid_params(r, "context argument values must be strings");
  complete_ret ret;
  int32_t ctx = context_open(r->env, r->params);
  mcp_complete(ctx, ref_tag, target.ptr, target.len, arg_name.ptr, arg_name.len, arg_value.ptr,
               arg_value.len, pairs, count, &ret);
  context_close(r->env, ctx);
  if (!ret.some) return fail(r, RPC_INVALID_PARAMS, message_with("Unknown reference: ", target), (str){0});
  if (ret.r.is_err) return fail_with(r, &ret.r.u.err);
  begin(r);
  ser_completion(r->out, &ret.r.u.ok);
  return end(r);
}

static int on_set_log_level(request *r) {
  str level;
  int32_t found = -1;
  if (json_get_string(r->params, "level", &level))
    for (int32_t i = 0; i < 8; i++)
      if (str_eq_lit(level, LOG_LEVELS[i])) found = i;
  if (found < 0) return invalid_params(r, "level must be a log level");
  int32_t ctx = context_open(r->env, r->params);
  mcp_set_log_level(ctx, found);
  context_close(r->env, ctx);
  r->env->log_level = found;
  begin(r);
  buf_lit(r->out, "{}");
  return end(r);
}

static int on_other(request *r) {
  const rpc_message *m = r->m;
  other_method_ret ret;
  int32_t ctx = context_open(r->env, r->params);
  mcp_handle(ctx, m->method.ptr, m->method.len, m->params.len != 0, m->params.ptr, m->params.len, &ret);
  context_close(r->env, ctx);
  if (!ret.some) return fail(r, RPC_METHOD_NOT_FOUND, message_with("Method not found: ", m->method), (str){0});
  if (ret.r.is_err) return fail_with(r, &ret.r.u.err);
  begin(r);
  if (!buf_json(r->out, ret.r.u.ok)) return invalid_json_from_handler(r);
  return end(r);
}

typedef struct {
  const char *method;
  int (*answer)(request *r); /* 0 when it answered with an error */
  uint16_t capability;       /* the capability the method belongs to; 0: always served */
} route;

static int on_ping(request *r) {
  begin(r);
  buf_lit(r->out, "{}");
  return end(r);
}
static int on_subscribe_on(request *r) { return on_subscribe(r, 1); }
static int on_subscribe_off(request *r) { return on_subscribe(r, 0); }

static const route ROUTES[] = {
    {"initialize", on_initialize, 0},
    {"ping", on_ping, 0},
    {"tools/list", on_list_tools, CAP_TOOLS},
    {"tools/call", on_call_tool, CAP_TOOLS},
    {"resources/list", on_list_resources, CAP_RESOURCES},
    {"resources/templates/list", on_list_resource_templates, CAP_RESOURCES},
    {"resources/read", on_read_resource, CAP_RESOURCES},
    {"resources/subscribe", on_subscribe_on, CAP_RESOURCES},
    {"resources/unsubscribe", on_subscribe_off, CAP_RESOURCES},
    {"prompts/list", on_list_prompts, CAP_PROMPTS},
    {"prompts/get", on_get_prompt, CAP_PROMPTS},
    {"completion/complete", on_complete, CAP_COMPLETIONS},
    {"logging/setLevel", on_set_log_level, 0},
};

/* A method of a capability the server does not advertise does not exist for the client. */
static void not_advertised(request *r) {
  fail(r, RPC_METHOD_NOT_FOUND, message_with("Method not found (the server has no such capability): ", r->m->method),
       (str){0});
}

void dispatch_request(const rpc_message *m, rpc_env *env, buf *out) {
  request r = {m, env, out, m->params.len ? m->params : STR("{}")};
  for (size_t i = 0; i < sizeof ROUTES / sizeof *ROUTES; i++) {
    if (!str_eq_lit(m->method, ROUTES[i].method)) continue;
    if (json_kind(r.params) != '{') invalid_params(&r, "params must be an object");
    else if (ROUTES[i].capability && !(chain_capabilities(env) & ROUTES[i].capability)) not_advertised(&r);
    else ROUTES[i].answer(&r);
    return;
  }
  on_other(&r);
}

void dispatch_notification(const rpc_message *m, rpc_env *env) {
  other_method_ret ret;
  int32_t ctx = context_open(env, m->params.len ? m->params : STR("{}"));
  mcp_handle(ctx, m->method.ptr, m->method.len, m->params.len != 0, m->params.ptr, m->params.len, &ret);
  context_close(env, ctx);
}

#pragma clang attribute pop
