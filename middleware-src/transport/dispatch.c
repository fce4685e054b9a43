#include "dispatch.h"

#include "json.h"
#include "serialize.h"
#include "session.h"
#include "stateless.h"
#include "tasks.h"
#include "wacpy_session_events.h"
#include "wacpy_tasks.h"

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

static wacpy_mcp_context context_open(rpc_env *env, str params) {
  str token = progress_token(params);
  WACPY_ASSUME(env->log_level <= WACPY_MCP_LOG_LEVEL_EMERGENCY); /* -1 or a level: no masking below */
  wacpy_mcp_context_factory_request_info info = {
      env->protocol_version,
      {env->session_id.len != 0, env->session_id},
      {token.len != 0, token},
      {env->log_level >= 0, env->log_level >= 0 ? (wacpy_mcp_log_level)env->log_level : 0},
      env->client_capabilities,
  };
  sink given = env->sink;
  env->sink = (sink){WACPY_MCP_CONTEXT_FACTORY_SINK_NONE}; /* the context owns it now */
  wacpy_mcp_context ctx = wacpy_mcp_context_factory_create(&info, &given, env->framing);
  if (env->caller_claims.len) {
    str scopes = env->caller_scopes;
    str *each = mem_alloc(sizeof(str) * (scopes.len / 2 + 1), 4);
    uint32_t n = 0;
    for (uint32_t i = 0; i < scopes.len;) {
      while (i < scopes.len && scopes.ptr[i] == ' ') i++;
      uint32_t start = i;
      while (i < scopes.len && scopes.ptr[i] != ' ') i++;
      if (i > start) each[n++] = (str){scopes.ptr + start, i - start};
    }
    wacpy_mcp_caller who = {env->caller_subject, {each, n}, env->caller_claims};
    wacpy_mcp_context_factory_set_caller(ctx, &who);
  }
  return ctx;
}

static void context_close(rpc_env *env, wacpy_mcp_context ctx) {
  wacpy_mcp_context_factory_finished done;
  wacpy_mcp_context_factory_finish(ctx, &done);
  env->sink = done.sink;
  env->events = done.events;
  env->input_required = done.input_required.is_some ? done.input_required.val : (str){0};
  env->task = done.task.is_some ? done.task.val : (str){0};
  env->cache = done.cache;
}

/* The retry of a 2026-07-28 request: its subject `[method, target, arguments]`, and what the
 * request carries (a resumed task: its answers and its id). */
static void set_retry(wacpy_mcp_context ctx, str method, str target, str arguments, str responses,
                      wacpy_option_string state, str id, str task, wacpy_mcp_result_void_error *opened) {
  buf subject = {0};
  buf_char(&subject, '[');
  buf_string(&subject, method);
  buf_char(&subject, ',');
  buf_string(&subject, target);
  buf_char(&subject, ',');
  buf_put(&subject, arguments.ptr, arguments.len);
  buf_char(&subject, ']');
  wacpy_mcp_context_factory_retry_info retry = {
      buf_str(&subject), {responses.len != 0, responses}, state, id.len ? id : STR("null"),
      {task.len != 0, task},
  };
  wacpy_mcp_context_factory_set_retry(ctx, &retry, opened);
}

/* The server info the chain starts from in `initialize`. */
static void initialize(wacpy_mcp_context ctx, wacpy_mcp_server_info *info) {
  const wacpy_mcp_server_info start = {
      STR(SERVER_NAME), STR(SERVER_VERSION), {0, {0, 0}}, {0, {0, 0}}, WACPY_MCP_CAPABILITIES_LOGGING,
  };
  wacpy_mcp_handler_initialize(ctx, &start, info);
}

/* Pass any other method down the chain with its raw params (none when the message has none). */
static void handle(wacpy_mcp_context ctx, const rpc_message *m, wacpy_mcp_option_result_string_error *ret) {
  wacpy_option_string params = {m->params.len != 0, m->params};
  wacpy_mcp_handler_handle(ctx, m->method, &params, ret);
}

/* ---- answers ------------------------------------------------------------------------------------ */

typedef struct {
  const rpc_message *m;
  rpc_env *env;
  buf *out;
  str params; /* the params object, or `{}` */
  uint32_t result_at; /* where the result object starts in `out` */
} request;

/* Replace whatever was written with an error response. */
static int fail(request *r, int32_t code, str message, str data) {
  r->out->len = 0;
  r->env->error_code = code;
  if (code == MCP_INSUFFICIENT_SCOPE && data.len && json_valid(data)) json_get_string(data, "scope", &r->env->scope_needed);
  rpc_error(r->out, r->m->id, code, message, data);
  return 0;
}

/* A handler's error; INPUT_REQUIRED from a request that asked the client for input (2026-07-28,
 * SEP-2322) is answered with the InputRequiredResult the context made instead. */
static int fail_with(request *r, const wacpy_mcp_error *e) {
  if (e->code == MCP_INPUT_REQUIRED && r->env->input_required.len) {
    r->out->len = 0;
    rpc_result_begin(r->out, r->m->id);
    buf_put(r->out, r->env->input_required.ptr, r->env->input_required.len);
    rpc_result_end(r->out);
    return 1;
  }
  return fail(r, e->code, e->message, e->data.is_some ? e->data.val : (str){0});
}

/* The context of a `tools/call`, `prompts/get` or `resources/read`. From 2026-07-28 on it may ask
 * the client for input (SEP-2322): its subject `[method, name or URI, arguments]` binds the sealed
 * `requestState` to this request, and a state that does not open is answered here (0, the error
 * written). */
static int open_for_input(request *r, str target, str arguments, wacpy_mcp_context *ctx) {
  *ctx = context_open(r->env, r->params);
  if (!r->env->stateless) return 1;
  str responses = {0};
  wacpy_option_string state = {0, {0, 0}};
  json_get(r->params, "inputResponses", &responses);
  state.is_some = (uint8_t)json_get_string(r->params, "requestState", &state.val);
  wacpy_mcp_result_void_error opened;
  set_retry(*ctx, r->m->method, target, arguments, responses, state, r->m->id, (str){0}, &opened);
  if (!opened.is_err) return 1;
  context_close(r->env, *ctx);
  return fail_with(r, &opened.val.err);
}

static int invalid_params(request *r, const char *what) {
  buf message = {0};
  buf_lit(&message, "Invalid params: ");
  while (*what) buf_char(&message, *what++);
  return fail(r, RPC_INVALID_PARAMS, buf_str(&message), (str){0});
}

/* A 2026-07-28 retry's `inputResponses` must be an object and its `requestState` a string: 1 when
 * they are not, with the error written. */
/* Whether `value` is an object of objects: answers (results) by input key (SEP-2322). */
static int answers_by_key(str value) {
  json_iter it = json_iterate(value);
  str key, answer;
  int objects = json_kind(value) == '{';
  while (objects && json_next_member(&it, &key, &answer)) objects = json_kind(answer) == '{';
  return objects;
}

static const char ANSWERS_EXPECTED[] = "inputResponses must be an object of results (objects) by input key";

static int bad_retry_params(request *r) {
  str value;
  if (!r->env->stateless) return 0;
  if (json_get(r->params, "inputResponses", &value) && !answers_by_key(value))
    return invalid_params(r, ANSWERS_EXPECTED), 1;
  if (json_get(r->params, "requestState", &value) && json_kind(value) != '"')
    return invalid_params(r, "requestState must be the string the server gave"), 1;
  return 0;
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

static void begin(request *r) {
  rpc_result_begin(r->out, r->m->id);
  r->result_at = (uint32_t)r->out->len;
}
static int end(request *r) {
  if (r->env->stateless) stateless_annotate(r->out, r->result_at, r->m->method, &r->env->cache);
  rpc_result_end(r->out);
  return 1;
}

/* A string-valued object as (key, value) pairs; 0 when a value is not a string. */
static int string_pairs(str object, wacpy_list_tuple2_string_string *pairs) {
  json_iter it = json_iterate(object);
  str key, value;
  uint32_t n = 0;
  while (json_next_member(&it, &key, &value)) n++;
  pairs->ptr = mem_alloc(sizeof *pairs->ptr * (n ? n : 1), 4);
  pairs->len = 0;
  it = json_iterate(object);
  while (json_next_member(&it, &key, &value)) {
    if (json_kind(value) != '"') return 0;
    pairs->ptr[pairs->len++] =
        (wacpy_tuple2_string_string){json_decode_string(key), json_decode_string(value)};
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
    wacpy_mcp_server_info info;
    sink kept = env->sink;
    env->sink = (sink){WACPY_MCP_CONTEXT_FACTORY_SINK_NONE}; /* nothing of this request's output goes here */
    wacpy_mcp_context ctx = context_open(env, STR("{}"));
    initialize(ctx, &info);
    context_close(env, ctx);
    env->sink = kept;
    remember_capabilities(info.capabilities);
  }
  return known_capabilities;
}

uint16_t dispatch_capabilities(rpc_env *env) { return chain_capabilities(env); }

/* The server info `initialize` gathers down the chain for this request (`initialize`,
 * `server/discover`), whose capabilities the instance remembers. */
static void ask_chain(request *r, wacpy_mcp_server_info *info) {
  wacpy_mcp_context ctx = context_open(r->env, r->params);
  initialize(ctx, info);
  context_close(r->env, ctx);
  remember_capabilities(info->capabilities);
}

int32_t mcp_log_level(str name) {
  for (int32_t i = 0; i < 8; i++)
    if (str_eq_lit(name, LOG_LEVELS[i])) return i;
  return -1;
}

uint8_t client_capability_flags(str caps) {
  str part, mode;
  uint8_t found = 0;
  if (json_kind(caps) != '{') return 0;
  if (json_get(caps, "roots", &part) && json_kind(part) == '{') found |= WACPY_MCP_CONTEXT_FACTORY_CLIENT_CAPABILITIES_ROOTS;
  if (json_get(caps, "sampling", &part) && json_kind(part) == '{') {
    found |= WACPY_MCP_CONTEXT_FACTORY_CLIENT_CAPABILITIES_SAMPLING;
    if (json_get(part, "tools", &mode) && json_kind(mode) == '{')
      found |= WACPY_MCP_CONTEXT_FACTORY_CLIENT_CAPABILITIES_SAMPLING_TOOLS;
  }
  if (json_get(caps, "elicitation", &part) && json_kind(part) == '{') {
    int form = json_get(part, "form", &mode) && json_kind(mode) == '{';
    int url = json_get(part, "url", &mode) && json_kind(mode) == '{';
    /* `elicitation: {}` (2025-06-18, and 2025-11-25 for compatibility) means form mode */
    if (form || !url) found |= WACPY_MCP_CONTEXT_FACTORY_CLIENT_CAPABILITIES_ELICITATION_FORM;
    if (url) found |= WACPY_MCP_CONTEXT_FACTORY_CLIENT_CAPABILITIES_ELICITATION_URL;
  }
  if (json_get(caps, "extensions", &part) && json_get(part, WACPY_TASKS_EXTENSION, &mode) && json_kind(mode) == '{')
    found |= WACPY_MCP_CONTEXT_FACTORY_CLIENT_CAPABILITIES_TASKS;
  return found;
}

/* The list-changed flags of the lists a server has. */
static uint16_t list_changes(uint16_t capabilities) {
  uint16_t changes = 0;
  if (capabilities & WACPY_MCP_CAPABILITIES_TOOLS) changes |= WACPY_MCP_CAPABILITIES_TOOLS_LIST_CHANGED;
  if (capabilities & WACPY_MCP_CAPABILITIES_RESOURCES) changes |= WACPY_MCP_CAPABILITIES_RESOURCES_LIST_CHANGED;
  if (capabilities & WACPY_MCP_CAPABILITIES_PROMPTS) changes |= WACPY_MCP_CAPABILITIES_PROMPTS_LIST_CHANGED;
  return changes;
}

static int on_initialize(request *r) {
  str requested, why;
  if (!json_get_string(r->params, "protocolVersion", &requested))
    return invalid_params(r, "protocolVersion must be a string");
  str version = mcp_supported_version(requested);
  if (!version.len) version = STR(MCP_LATEST_VERSION);
  r->env->protocol_version = version;
  str caps = {0};
  json_get(r->params, "capabilities", &caps);
  r->env->client_capabilities = client_capability_flags(caps);
  r->env->log_level = -1;
  if (r->env->start_session && session_create(r->env, &why)) {
    r->env->session_id = (str){0};
    return fail(r, RPC_INTERNAL_ERROR, why, (str){0});
  }
  wacpy_mcp_server_info info;
  ask_chain(r, &info);
  /* a session records subscriptions, so a server with resources and sessions can take them; a
   * change of a list reaches every session (on stdio, the one client) */
  int sessions = r->env->session_id.len || r->env->framing == WACPY_MCP_CONTEXT_FACTORY_FRAMING_NDJSON;
  if (sessions && (info.capabilities & WACPY_MCP_CAPABILITIES_RESOURCES))
    info.capabilities |= WACPY_MCP_CAPABILITIES_RESOURCES_SUBSCRIBE;
  if (sessions) info.capabilities |= list_changes(info.capabilities);
  begin(r);
  ser_initialize_result(r->out, &info, version);
  return end(r);
}

static int on_list_tools(request *r) {
  wacpy_mcp_list_tool tools;
  wacpy_mcp_context ctx = context_open(r->env, r->params);
  wacpy_mcp_handler_list_tools(ctx, &tools);
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

/* Whether `needle` occurs in `text`. */
static int mentions(str text, str needle) {
  for (uint32_t i = 0; i + needle.len <= text.len; i++)
    if (str_eq((str){text.ptr + i, needle.len}, needle)) return 1;
  return 0;
}

/* Whether no tool of the chain declares an `x-mcp-header` argument (an instance asks once). */
static int no_param_headers;

/* A stateless tools/call whose tool mirrors arguments into `Mcp-Param-*` headers (SEP-2243): 1 when
 * the headers match the body, else 0 with the -32020 error response written. */
static int param_headers_match(request *r, str name, str arguments) {
  if (no_param_headers) return 1;
  wacpy_mcp_list_tool list;
  wacpy_mcp_context ctx = context_open(r->env, r->params);
  wacpy_mcp_handler_list_tools(ctx, &list);
  context_close(r->env, ctx);
  int declared = 0;
  for (size_t i = 0; i < list.len; i++) {
    str schema = list.ptr[i].input_schema, header;
    declared |= json_valid(schema) && mentions(schema, STR("\"x-mcp-header\""));
    if (!str_eq(list.ptr[i].name, name) || !json_valid(schema)) continue;
    const char *why = stateless_check_params(schema, arguments, r->env->param_headers, &header);
    if (why) {
      buf message = {0};
      while (*why) buf_char(&message, *why++);
      buf_put(&message, header.ptr, header.len);
      return fail(r, MCP_HEADER_MISMATCH, buf_str(&message), (str){0});
    }
  }
  no_param_headers = !declared;
  return 1;
}

/* A task's run ended with `ret`: its outcome goes to the task (a tool error is `completed` with
 * `isError`, a protocol error `failed`, unanswered questions `input_required`). Nothing is
 * written to `out`: the request was answered when the task was made. */
static int settle(rpc_env *env, str name, const wacpy_mcp_option_result_call_tool_result_error *ret) {
  buf value = {0};
  str task = env->task, asked;
  if (ret->is_some && !ret->val.is_err) {
    if (ser_call_tool_result(&value, &ret->val.val.ok)) return task_settle(task, "completed", "result", buf_str(&value)), 1;
    buf_lit(&value, "{\"code\":-32603,\"message\":\"Internal error: the tool returned invalid JSON\"}");
  } else if (!ret->is_some) {
    buf_lit(&value, "{\"code\":-32602,\"message\":");
    buf_string(&value, message_with("Unknown tool: ", name));
    buf_char(&value, '}');
  } else if (ret->val.val.err.code == MCP_INPUT_REQUIRED && env->input_required.len &&
             json_get(env->input_required, "inputRequests", &asked)) {
    return task_settle(task, "input_required", "inputRequests", asked), 1;
  } else if (ret->val.val.err.code == RPC_INVALID_PARAMS) { /* arguments the tool refused: a tool error */
    buf_lit(&value, "{\"content\":[{\"type\":\"text\",\"text\":");
    buf_string(&value, ret->val.val.err.message);
    buf_lit(&value, "}],\"isError\":true}");
    return task_settle(task, "completed", "result", buf_str(&value)), 1;
  } else {
    const wacpy_mcp_error *e = &ret->val.val.err;
    buf_lit(&value, "{\"code\":");
    buf_i64(&value, e->code);
    buf_lit(&value, ",\"message\":");
    buf_string(&value, e->message);
    if (e->data.is_some && json_valid(e->data.val)) buf_lit(&value, ",\"data\":"), buf_put(&value, e->data.val.ptr, e->data.val.len);
    buf_char(&value, '}');
  }
  task_settle(task, "failed", "error", buf_str(&value));
  return 1;
}

static int on_call_tool(request *r) {
  str name, arguments = STR("{}");
  if (!json_get_string(r->params, "name", &name)) return invalid_params(r, "name must be a string");
  if (json_get(r->params, "arguments", &arguments) && json_kind(arguments) != '{') {
    if (json_kind(arguments) != 'n') return invalid_params(r, "arguments must be an object");
    arguments = STR("{}");
  }
  if (bad_retry_params(r) || (r->env->stateless && !param_headers_match(r, name, arguments))) return 0;
  wacpy_mcp_option_result_call_tool_result_error ret;
  wacpy_mcp_context ctx;
  if (!open_for_input(r, name, arguments, &ctx)) return 0;
  wacpy_mcp_handler_call_tool(ctx, name, arguments, &ret);
  context_close(r->env, ctx);
  if (r->env->task.len) return settle(r->env, name, &ret); /* answered already: a CreateTaskResult */
  if (!ret.is_some) return fail(r, RPC_INVALID_PARAMS, message_with("Unknown tool: ", name), (str){0});
  if (ret.val.is_err && ret.val.val.err.code == RPC_INVALID_PARAMS && validation_is_a_tool_error(r->env))
    return tool_error_result(r, ret.val.val.err.message);
  if (ret.val.is_err) return fail_with(r, &ret.val.val.err);
  begin(r);
  if (!ser_call_tool_result(r->out, &ret.val.val.ok)) return invalid_json_from_handler(r);
  return end(r);
}

static int on_list_resources(request *r) {
  wacpy_mcp_list_resource list;
  wacpy_mcp_context ctx = context_open(r->env, r->params);
  wacpy_mcp_handler_list_resources(ctx, &list);
  context_close(r->env, ctx);
  begin(r);
  ser_resources(r->out, list);
  return end(r);
}

static int on_list_resource_templates(request *r) {
  wacpy_mcp_list_resource_template list;
  wacpy_mcp_context ctx = context_open(r->env, r->params);
  wacpy_mcp_handler_list_resource_templates(ctx, &list);
  context_close(r->env, ctx);
  begin(r);
  ser_resource_templates(r->out, list);
  return end(r);
}

static int on_read_resource(request *r) {
  str uri;
  if (!json_get_string(r->params, "uri", &uri)) return invalid_params(r, "uri must be a string");
  if (bad_retry_params(r)) return 0;
  wacpy_mcp_option_result_list_resource_contents_error ret;
  wacpy_mcp_context ctx;
  if (!open_for_input(r, uri, STR("{}"), &ctx)) return 0;
  wacpy_mcp_handler_read_resource(ctx, uri, &ret);
  context_close(r->env, ctx);
  if (!ret.is_some) {
    buf data = {0};
    buf_lit(&data, "{\"uri\":");
    buf_string(&data, uri);
    buf_char(&data, '}');
    /* SEP-2164: from 2026-07-28 on, an unknown URI is an invalid parameter */
    return fail(r, r->env->stateless ? RPC_INVALID_PARAMS : MCP_RESOURCE_NOT_FOUND, STR("Resource not found"), buf_str(&data));
  }
  if (ret.val.is_err) return fail_with(r, &ret.val.val.err);
  begin(r);
  ser_read_resource_result(r->out, ret.val.val.ok);
  return end(r);
}

/* stdio's one session keeps a subscription as the session value `wacpy/sub.<hash>` (a prefix the
 * SDKs never give a component's keys), where the context provider's `resource-updated` looks. */
static void remember_on_stdio(wacpy_mcp_context ctx, str uri, int on) {
  uint8_t *key = mem_alloc(26, 1);
  memcpy(key, "wacpy/", 6);
  wacpy_subscription_key(key + 6, uri.w);
  wacpy_mcp_result_void_error done;
  wacpy_mcp_value yes = {WACPY_MCP_VALUE_BOOL, .val.bool_ = 1};
  if (on) wacpy_mcp_context_session_set(ctx, (str){(const char *)key, 26}, &yes, &done);
  else wacpy_mcp_context_session_delete(ctx, (str){(const char *)key, 26}, &done);
}

static int on_subscribe(request *r, int on) {
  str uri;
  if (!json_get_string(r->params, "uri", &uri)) return invalid_params(r, "uri must be a string");
  wacpy_mcp_option_result_void_error ret;
  wacpy_mcp_context ctx = context_open(r->env, r->params);
  wacpy_mcp_handler_subscribe(ctx, uri, on, &ret);
  int stdio = r->env->framing == WACPY_MCP_CONTEXT_FACTORY_FRAMING_NDJSON;
  if (stdio && !(ret.is_some && ret.val.is_err)) remember_on_stdio(ctx, uri, on);
  context_close(r->env, ctx);
  if (ret.is_some && ret.val.is_err) return fail_with(r, &ret.val.val.err);
  str why;
  if (stdio) {
    /* kept in the process's implicit session (remember_on_stdio) */
  } else if (r->env->session_id.len) {
    if (session_subscribe(r->env, uri, on, &why)) return fail(r, RPC_INTERNAL_ERROR, why, (str){0});
  } else if (!ret.is_some) {
    return fail(r, RPC_METHOD_NOT_FOUND, STR("Resource subscriptions need a session, which this server does not keep"), (str){0});
  }
  begin(r);
  buf_lit(r->out, "{}");
  return end(r);
}

static int on_list_prompts(request *r) {
  wacpy_mcp_list_prompt list;
  wacpy_mcp_context ctx = context_open(r->env, r->params);
  wacpy_mcp_handler_list_prompts(ctx, &list);
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
  wacpy_list_tuple2_string_string pairs;
  if (!string_pairs(arguments, &pairs)) return invalid_params(r, "argument values must be strings");
  if (bad_retry_params(r)) return 0;
  wacpy_mcp_option_result_get_prompt_result_error ret;
  wacpy_mcp_context ctx;
  if (!open_for_input(r, name, arguments, &ctx)) return 0;
  wacpy_mcp_handler_get_prompt(ctx, name, pairs, &ret);
  context_close(r->env, ctx);
  if (!ret.is_some) return fail(r, RPC_INVALID_PARAMS, message_with("Unknown prompt: ", name), (str){0});
  if (ret.val.is_err) return fail_with(r, &ret.val.val.err);
  begin(r);
  ser_get_prompt_result(r->out, &ret.val.val.ok);
  return end(r);
}

static int on_complete(request *r) {
  str ref, type, target, argument, arg_name, arg_value, context, context_args = STR("{}");
  uint8_t ref_tag;
  if (!json_get(r->params, "ref", &ref) || !json_get_string(ref, "type", &type))
    return invalid_params(r, "ref must be an object with a type");
  if (str_eq_lit(type, "ref/prompt") && json_get_string(ref, "name", &target)) ref_tag = WACPY_MCP_COMPLETION_REF_PROMPT;
  else if (str_eq_lit(type, "ref/resource") && json_get_string(ref, "uri", &target))
    ref_tag = WACPY_MCP_COMPLETION_REF_RESOURCE_TEMPLATE;
  else return invalid_params(r, "ref must be a ref/prompt with a name or a ref/resource with a uri");
  if (!json_get(r->params, "argument", &argument) || !json_get_string(argument, "name", &arg_name) ||
      !json_get_string(argument, "value", &arg_value))
    return invalid_params(r, "argument must have a string name and value");
  if (json_get(r->params, "context", &context) && json_get(context, "arguments", &context_args) &&
      json_kind(context_args) != '{')
    return invalid_params(r, "context.arguments must be an object");
  wacpy_mcp_completion_request request;
  if (!string_pairs(context_args, &request.context_arguments))
    return invalid_params(r, "context argument values must be strings");
  request.ref = (wacpy_mcp_completion_ref){ref_tag, .val.prompt = target};
  request.argument_name = arg_name;
  request.argument_value = arg_value;
  wacpy_mcp_option_result_completion_error ret;
  wacpy_mcp_context ctx = context_open(r->env, r->params);
  wacpy_mcp_handler_complete(ctx, &request, &ret);
  context_close(r->env, ctx);
  if (!ret.is_some) return fail(r, RPC_INVALID_PARAMS, message_with("Unknown reference: ", target), (str){0});
  if (ret.val.is_err) return fail_with(r, &ret.val.val.err);
  begin(r);
  ser_completion(r->out, &ret.val.val.ok);
  return end(r);
}

static int on_set_log_level(request *r) {
  str level;
  int32_t found = json_get_string(r->params, "level", &level) ? mcp_log_level(level) : -1;
  if (found < 0) return invalid_params(r, "level must be a log level");
  wacpy_mcp_context ctx = context_open(r->env, r->params);
  wacpy_mcp_handler_set_log_level(ctx, (wacpy_mcp_log_level)found);
  context_close(r->env, ctx);
  r->env->log_level = found;
  str why;
  if (r->env->session_id.len && session_save(r->env, &why)) return fail(r, RPC_INTERNAL_ERROR, why, (str){0});
  begin(r);
  buf_lit(r->out, "{}");
  return end(r);
}

static int on_other(request *r) {
  const rpc_message *m = r->m;
  wacpy_mcp_option_result_string_error ret;
  wacpy_mcp_context ctx = context_open(r->env, r->params);
  handle(ctx, m, &ret);
  context_close(r->env, ctx);
  if (!ret.is_some) return fail(r, RPC_METHOD_NOT_FOUND, message_with("Method not found: ", m->method), (str){0});
  if (ret.val.is_err) return fail_with(r, &ret.val.val.err);
  begin(r);
  if (!buf_json(r->out, ret.val.val.ok)) return invalid_json_from_handler(r);
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
    {"tools/list", on_list_tools, WACPY_MCP_CAPABILITIES_TOOLS},
    {"tools/call", on_call_tool, WACPY_MCP_CAPABILITIES_TOOLS},
    {"resources/list", on_list_resources, WACPY_MCP_CAPABILITIES_RESOURCES},
    {"resources/templates/list", on_list_resource_templates, WACPY_MCP_CAPABILITIES_RESOURCES},
    {"resources/read", on_read_resource, WACPY_MCP_CAPABILITIES_RESOURCES},
    {"resources/subscribe", on_subscribe_on, WACPY_MCP_CAPABILITIES_RESOURCES},
    {"resources/unsubscribe", on_subscribe_off, WACPY_MCP_CAPABILITIES_RESOURCES},
    {"prompts/list", on_list_prompts, WACPY_MCP_CAPABILITIES_PROMPTS},
    {"prompts/get", on_get_prompt, WACPY_MCP_CAPABILITIES_PROMPTS},
    {"completion/complete", on_complete, WACPY_MCP_CAPABILITIES_COMPLETIONS},
    {"logging/setLevel", on_set_log_level, 0},
};

/* A method of a capability the server does not advertise does not exist for the client. */
static void not_advertised(request *r) {
  fail(r, RPC_METHOD_NOT_FOUND, message_with("Method not found (the server has no such capability): ", r->m->method),
       (str){0});
}

static int on_discover(request *r) {
  wacpy_mcp_server_info info;
  ask_chain(r, &info);
  /* list changes and resource updates reach 2026 clients on subscriptions/listen, through the store */
  if (sessions_kept()) {
    info.capabilities |= list_changes(info.capabilities);
    if (info.capabilities & WACPY_MCP_CAPABILITIES_RESOURCES) info.capabilities |= WACPY_MCP_CAPABILITIES_RESOURCES_SUBSCRIBE;
  }
  begin(r);
  stateless_discover(r->out, &info);
  return end(r);
}

/* ---- tasks (2026-07-28 tasks extension, SEP-2663) ---------------------------------------------- */

static int is_task_method(str method) {
  return str_eq_lit(method, "tasks/get") || str_eq_lit(method, "tasks/update") || str_eq_lit(method, "tasks/cancel");
}

/* The outcome of a task operation: the answer (`view`, else the empty ack) or its error. */
static int task_answered(request *r, int found, str why, const buf *view) {
  if (found == TASK_UNKNOWN) return invalid_params(r, "no such task (unknown taskId, or it expired)");
  if (found == TASK_STORE_FAILED) return fail(r, RPC_INTERNAL_ERROR, why, (str){0});
  begin(r);
  if (view && view->len) buf_put(r->out, view->buf, view->len);
  else buf_lit(r->out, "{}");
  return end(r);
}

static int on_task(request *r) {
  str id, why = {0}, responses;
  if (!sessions_kept())
    return fail(r, RPC_METHOD_NOT_FOUND, message_with("Method not found (this server has no store to keep tasks in): ", r->m->method), (str){0});
  if (!(r->env->client_capabilities & WACPY_MCP_CONTEXT_FACTORY_CLIENT_CAPABILITIES_TASKS))
    return fail(r, MCP_MISSING_CAPABILITY, STR("Missing required client capability: extensions." WACPY_TASKS_EXTENSION),
                STR("{\"requiredCapabilities\":{\"extensions\":{\"" WACPY_TASKS_EXTENSION "\":{}}}}"));
  if (json_kind(r->params) != '{' || !json_get_string(r->params, "taskId", &id)) return invalid_params(r, "taskId must be a string");
  if (str_eq_lit(r->m->method, "tasks/get")) {
    buf view = {0};
    int found = task_view(id, r->env->caller_subject, &view, &why);
    return task_answered(r, found, why, &view);
  }
  if (str_eq_lit(r->m->method, "tasks/cancel")) return task_answered(r, task_cancel(id, r->env->caller_subject, &why), why, 0);
  if (!json_get(r->params, "inputResponses", &responses) || !answers_by_key(responses))
    return invalid_params(r, ANSWERS_EXPECTED);
  int resume = 0, found = task_answer(id, r->env->caller_subject, responses, &resume, &why);
  if (resume) r->env->resume_task = str_dup(id); /* the task runs again once this is answered */
  return task_answered(r, found, why, 0);
}

void dispatch_after_answer(rpc_env *env) {
  str id = env->resume_task;
  task_run run;
  env->resume_task = (str){0};
  if (!id.len || !task_call(id, &run)) return;
  str name = run.name, arguments = run.arguments, answers = run.answers;
  env->client_capabilities = run.caps;
  env->caller_subject = run.owner, env->caller_scopes = run.scopes; /* the run is its maker's */
  env->caller_claims = run.owner.ptr ? run.claims : (str){0};
  env->framing = WACPY_MCP_CONTEXT_FACTORY_FRAMING_NONE; /* the client is not listening any more */
  env->sink = (sink){WACPY_MCP_CONTEXT_FACTORY_SINK_NONE};
  env->log_level = -1;
  wacpy_mcp_context ctx = context_open(env, STR("{}"));
  wacpy_mcp_result_void_error opened;
  set_retry(ctx, STR("tools/call"), name, arguments, answers, (wacpy_option_string){0, {0, 0}}, (str){0}, id, &opened);
  wacpy_mcp_option_result_call_tool_result_error ret;
  wacpy_mcp_handler_call_tool(ctx, name, arguments, &ret);
  context_close(env, ctx);
  env->task = id; /* a resumed run is the task even if the tool does not say so again */
  settle(env, name, &ret);
}

/* A 2026-07-28 request: the methods that revision removed or added, then the shared routes. */
static int stateless_route(request *r) {
  if (stateless_removed(r->m->method))
    return fail(r, RPC_METHOD_NOT_FOUND, message_with("Method not found (removed in " STATELESS_VERSION "): ", r->m->method), (str){0});
  if (str_eq_lit(r->m->method, "server/discover")) return on_discover(r);
  if (is_task_method(r->m->method)) return on_task(r);
  return -1;
}

void dispatch_request(const rpc_message *m, rpc_env *env, buf *out) {
  request r = {m, env, out, m->params.len ? m->params : STR("{}"), 0};
  if (env->stateless && stateless_route(&r) >= 0) return;
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
  wacpy_mcp_option_result_string_error ret;
  wacpy_mcp_context ctx = context_open(env, m->params.len ? m->params : STR("{}"));
  handle(ctx, m, &ret);
  context_close(env, ctx);
}

#pragma clang attribute pop
