/* Streamable HTTP (MCP 2025-11-25): POST /mcp with one JSON-RPC message, answered as JSON or SSE. */
/* Before the includes: the export glue the bindings compile here (WACPY_IMPLEMENT_WASI_HTTP_INCOMING_HANDLER) is size-optimized too. */
#pragma clang attribute push(__attribute__((minsize)), apply_to = function)
#define WACPY_IMPLEMENT_WASI_HTTP_INCOMING_HANDLER
#include "auth.h"
#include "dispatch.h"
#include "json.h"
#include "session.h"
#include "stateless.h"
#include "streams.h"
#include "wacpy_session_events.h"


#define BODY_LIMIT (4u << 20)
#define READ_CHUNK 65536
/* The version a server assumes when a client sends no MCP-Protocol-Version header. */
#define DEFAULT_HEADER_VERSION "2025-03-26"

/* ---- responses ---------------------------------------------------------------------------------- */

typedef wacpy_mcp_context_factory_started_response response;
typedef wasi_http_list_field_value field_values;

static void add_header(wasi_http_fields fields, str name, str value) {
  wasi_http_result_void_header_error ret;
  wasi_http_fields_append(fields, name, (wasi_http_field_value){(uint8_t *)value.ptr, value.len}, &ret);
}

/* Headers a response may carry besides its content type. */
typedef struct {
  str allow;      /* with 405 */
  str session_id; /* the answer to `initialize` that started a session */
  str challenge;  /* WWW-Authenticate, with 401 and 403 in oauth mode */
} extra_headers;

/* Send the status and headers; the body is written to `stream` and ended by `response_end`. */
static response response_start(wasi_http_response_outparam outparam, int32_t status, str content_type,
                               extra_headers extra) {
  wasi_http_fields fields = wasi_http_fields_new();
  if (content_type.len) add_header(fields, STR("content-type"), content_type);
  if (str_eq_lit(content_type, "text/event-stream")) add_header(fields, STR("cache-control"), STR("no-cache"));
  if (extra.allow.len) add_header(fields, STR("allow"), extra.allow);
  if (extra.session_id.len) add_header(fields, STR("mcp-session-id"), extra.session_id);
  if (extra.challenge.len) add_header(fields, STR("www-authenticate"), extra.challenge);
  wasi_http_outgoing_response resp = wasi_http_outgoing_response_new(fields);
  wasi_http_outgoing_response_set_status_code(resp, (uint16_t)status);
  wasi_http_result_outgoing_body_void body;
  wasi_http_outgoing_response_body(resp, &body);
  wasi_http_result_outgoing_response_error_code sent = {0, .val.ok = resp};
  wasi_http_response_outparam_set(outparam, &sent);
  wasi_io_result_streams_output_stream_void stream;
  wasi_http_outgoing_body_write(body.val.ok, &stream);
  return (response){body.val.ok, stream.val.ok};
}

static void response_end(response r) {
  /* The stream is a child of the body: it goes first. */
  if (r.stream >= 0) wasi_io_streams_output_stream_drop(r.stream);
  wasi_http_result_void_error_code ret;
  wasi_http_outgoing_body_finish(r.body, &(wasi_http_option_fields){0}, &ret);
}

static void respond(wasi_http_response_outparam outparam, int32_t status, str content_type, str body,
                    extra_headers extra) {
  response r = response_start(outparam, status, content_type, extra);
  stream_write_all(r.stream, body.ptr, body.len);
  response_end(r);
}

/* An HTTP error carrying a JSON-RPC error body. */
static void respond_error(wasi_http_response_outparam outparam, int32_t status, str id, int32_t code, str message) {
  buf out = {0};
  rpc_error(&out, id, code, message, (str){0});
  extra_headers extra = {0};
  if (status == 405) extra.allow = sessions_kept() ? STR("POST, GET, DELETE") : STR("POST");
  respond(outparam, status, STR("application/json"), buf_str(&out), extra);
}

/* The HTTP status of an answer: 2026-07-28 puts an unknown method at 404 and a capability the
 * client did not declare at 400. */
static int32_t answer_status(const rpc_env *env) {
  if (env->error_code == MCP_INSUFFICIENT_SCOPE) return 403;
  if (!env->stateless) return 200;
  int32_t code = env->error_code;
  return code == RPC_METHOD_NOT_FOUND ? 404 : code == MCP_MISSING_CAPABILITY || code == MCP_HEADER_MISMATCH ? 400 : 200;
}

/* A tool that needs scopes the caller's token lacks (MCP_INSUFFICIENT_SCOPE): its 403's challenge. */
static extra_headers scope_challenge(const rpc_env *env) {
  extra_headers extra = {0};
  if (env->error_code == MCP_INSUFFICIENT_SCOPE) extra.challenge = auth_scope_challenge(env->scope_needed, env->auth_base);
  return extra;
}

/* ---- request headers ---------------------------------------------------------------------------- */

static field_values header(wasi_http_fields fields, const char *name) {
  field_values values;
  uint32_t len = 0;
  while (name[len]) len++;
  wasi_http_fields_get(fields, (str){name, len}, &values);
  return values;
}

static str value_at(field_values v, uint32_t i) { return (str){(const char *)v.ptr[i].ptr, v.ptr[i].len}; }

/* Splits `*rest` at `sep`: returns the part before it, trimmed, and advances past it. */
static str next_part(str *rest, char sep) {
  uint32_t i = 0;
  while (i < rest->len && rest->ptr[i] != sep) i++;
  str part = {rest->ptr, i};
  if (i < rest->len) i++;
  rest->ptr += i;
  rest->len -= i;
  return str_trim(part);
}

/* A media type without its parameters: "application/json; charset=utf-8" -> "application/json". */
static str media_type(str value) { return next_part(&value, ';'); }

enum { ACCEPT_JSON = 1, ACCEPT_SSE = 2, ACCEPT_SSE_NAMED = 4 };

static int accepted(field_values accept) {
  int found = 0;
  for (uint32_t i = 0; i < accept.len; i++) {
    str rest = value_at(accept, i);
    while (rest.len) {
      str type = media_type(next_part(&rest, ','));
      if (str_ieq(type, STR("application/json")) || str_ieq(type, STR("application/*"))) found |= ACCEPT_JSON;
      if (str_ieq(type, STR("text/event-stream"))) found |= ACCEPT_SSE | ACCEPT_SSE_NAMED;
      if (str_ieq(type, STR("text/*"))) found |= ACCEPT_SSE;
      if (str_ieq(type, STR("*/*"))) found |= ACCEPT_JSON | ACCEPT_SSE;
    }
  }
  return found;
}

/* ---- DNS rebinding protection ------------------------------------------------------------------- */

static int is_port(str s) {
  if (!s.len || s.len > 5) return 0;
  for (uint32_t i = 0; i < s.len; i++)
    if (s.ptr[i] < '0' || s.ptr[i] > '9') return 0;
  return 1;
}

/* Whether host (no port) is a loopback name or listed in WACPY_MCP_ALLOWED_HOSTS (comma-separated;
 * `*` allows any host). */
static int host_name_allowed(str host) {
  if (str_ieq(host, STR("localhost")) || str_eq(host, STR("127.0.0.1")) || str_eq(host, STR("[::1]")))
    return 1;
  wacpy_list_tuple2_string_string env;
  wasi_cli_environment_get_environment(&env);
  for (uint32_t i = 0; i < env.len; i++) {
    if (!str_eq_lit(env.ptr[i].f0, "WACPY_MCP_ALLOWED_HOSTS")) continue;
    str rest = env.ptr[i].f1;
    while (rest.len) {
      str allowed = next_part(&rest, ',');
      if (str_eq_lit(allowed, "*") || (allowed.len && str_ieq(allowed, host))) return 1;
    }
  }
  return 0;
}

/* `host[:port]` with an allowed host. */
static int authority_allowed(str authority) {
  uint32_t end = 0;
  if (authority.len && authority.ptr[0] == '[') {
    while (end < authority.len && authority.ptr[end] != ']') end++;
    if (end == authority.len) return 0;
    end++;
  } else {
    while (end < authority.len && authority.ptr[end] != ':') end++;
  }
  str host = {authority.ptr, end};
  if (end < authority.len && (authority.ptr[end] != ':' || !is_port((str){authority.ptr + end + 1, authority.len - end - 1})))
    return 0;
  return host.len && host_name_allowed(host);
}

static int origin_allowed(str origin) {
  str rest = origin;
  if (rest.len >= 7 && str_ieq((str){rest.ptr, 7}, STR("http://"))) rest.ptr += 7, rest.len -= 7;
  else if (rest.len >= 8 && str_ieq((str){rest.ptr, 8}, STR("https://"))) rest.ptr += 8, rest.len -= 8;
  else return 0;
  uint32_t end = 0;
  while (end < rest.len && rest.ptr[end] != '/') end++;
  if (end + 1 < rest.len) return 0; /* an Origin has no path; allow only a trailing slash */
  return authority_allowed((str){rest.ptr, end});
}

/* ---- the handler --------------------------------------------------------------------------------- */

static int content_length_too_large(field_values v) {
  if (!v.len) return 0;
  str s = str_trim(value_at(v, 0));
  uint64_t n = 0;
  for (uint32_t i = 0; i < s.len; i++) {
    if (s.ptr[i] < '0' || s.ptr[i] > '9') return 0; /* malformed: let the body read decide */
    n = n * 10 + (uint64_t)(s.ptr[i] - '0');
    if (n > BODY_LIMIT) return 1;
  }
  return 0;
}

/* Reads the whole body; 0, 413 or 400. */
static int32_t read_body(wasi_http_incoming_request request, str *body) {
  wasi_http_result_incoming_body_void incoming;
  wasi_http_incoming_request_consume(request, &incoming);
  if (incoming.is_err) return 400;
  wasi_io_result_streams_input_stream_void stream;
  wasi_http_incoming_body_stream(incoming.val.ok, &stream);
  if (stream.is_err) {
    wasi_http_incoming_body_drop(incoming.val.ok);
    return 400;
  }
  read_buffer data = {mem_top(), 0};
  int32_t status = 0;
  for (;;) {
    int got = stream_read_more(stream.val.ok, &data, READ_CHUNK);
    if (got < 0) status = 400;
    if (got <= 0) break;
    if (data.len > BODY_LIMIT) {
      status = 413;
      break;
    }
  }
  wasi_io_streams_input_stream_drop(stream.val.ok);
  wasi_http_incoming_body_drop(incoming.val.ok);
  *body = (str){(const char *)data.ptr, data.len};
  return status;
}

/* Answer a request whose handler may notify. The response head waits for the first notification:
 * that one sends a 200 SSE head (the context provider does) and the answer follows as the last
 * event; with no notification the answer is plain JSON. So a handler that traps or times out
 * before it writes anything leaves the head unsent, and the runtime answers with an error status
 * instead of an empty 200. */
static void answer_deferred(wasi_http_response_outparam outparam, const rpc_message *m, rpc_env *env) {
  buf out = {0};
  env->framing = WACPY_MCP_CONTEXT_FACTORY_FRAMING_SSE;
  env->sink = (sink){WACPY_MCP_CONTEXT_FACTORY_SINK_PENDING, .val.pending = outparam};
  dispatch_request(m, env, &out);
  sink back = env->sink;
  if (back.tag == WACPY_MCP_CONTEXT_FACTORY_SINK_PENDING) {
    respond(back.val.pending, answer_status(env), STR("application/json"), buf_str(&out), scope_challenge(env));
  } else if (back.tag == WACPY_MCP_CONTEXT_FACTORY_SINK_STARTED) {
    buf event = {0};
    uint8_t *head = mem_alloc(WACPY_EVENT_NAME_ROOM, 1);
    buf_put(&event, head, wacpy_event_head(head, env->events.stream_id.w, env->events.next));
    buf_put(&event, out.buf, out.len);
    buf_lit(&event, "\n\n");
    int sent = stream_write_all(back.val.started.stream, event.buf, event.len);
    response_end(back.val.started);
    /* the client went away: in a session the answer waits for its reconnection */
    if (!sent && env->events.stream_id.len) session_keep_answer(env, buf_str(&out), &(str){0});
  } else if (back.tag == WACPY_MCP_CONTEXT_FACTORY_SINK_CLOSED) {
    session_keep_answer(env, buf_str(&out), &(str){0});
  }
  /* none: starting the response failed; the runtime has the outparam and answers. */
}

/* ---- GET /mcp: a session's stream of events ----------------------------------------------------- */

/* Seconds a GET stream stays open waiting for events (WACPY_MCP_STREAM_HOLD overrides); the client
 * reconnects after `retry`. */
#define DEFAULT_STREAM_HOLD 20u

static void sleep_ns(uint64_t ns) {
  wasi_io_poll_pollable timer = wasi_clocks_monotonic_clock_subscribe_duration(ns);
  wasi_io_poll_pollable_block(timer);
  wasi_io_poll_pollable_drop(timer);
}

/* Write kept events; 0 when the client is gone. `stream` names a request's stream (ids
 * `r.<stream>.<n>`); empty for standalone notifications (ids `g.` and their key's hex). */
static int send_kept(int32_t out, str stream, const kept_event *events, uint32_t count) {
  for (uint32_t i = 0; i < count; i++) {
    buf event = {0};
    uint8_t *head = mem_alloc(WACPY_EVENT_NAME_ROOM, 1);
    if (stream.len) {
      buf_put(&event, head, wacpy_event_head(head, stream.w, events[i].number));
    } else {
      buf_lit(&event, "id: g.");
      buf_put(&event, events[i].key.ptr + 4, events[i].key.len - 4);
      buf_lit(&event, "\nevent: message\ndata: ");
    }
    buf_put(&event, events[i].data.ptr, events[i].data.len);
    buf_lit(&event, "\n\n");
    if (!stream_write_all(out, event.buf, event.len)) return 0;
  }
  return 1;
}

/* The session's stream: with `Last-Event-ID` of a request's stream, what that stream kept after the
 * event named, until its answer; else the standalone notifications. Either way for at most
 * the hold, after which the client reconnects. */
static void serve_events(wasi_http_response_outparam outparam, const rpc_env *env, str last_event_id) {
  str stream = {0};
  uint32_t after = 0;
  int replay = wacpy_parse_event_id(last_event_id.w, &stream.w, &after);
  response r = response_start(outparam, 200, STR("text/event-stream"), (extra_headers){0});
  int open = stream_write_all(r.stream, "retry: " WACPY_RETRY_MS "\n\n", sizeof("retry: " WACPY_RETRY_MS "\n\n") - 1);
  if (replay) session_forget_events(env->session_id, stream, after);
  uint64_t hold = setting_seconds("WACPY_MCP_STREAM_HOLD", DEFAULT_STREAM_HOLD);
  uint64_t deadline = wasi_clocks_monotonic_clock_now() + hold * 1000000000ull, pause = 2000000;
  uint8_t *mark = mem_top();
  while (open) {
    kept_event *events;
    uint32_t count = 0;
    int done = 0;
    str why;
    if (replay ? session_events_after(env->session_id, stream, after, &events, &count, &done, &why)
               : session_take_outbox(env->session_id, &events, &count, &why))
      break;
    open = send_kept(r.stream, replay ? stream : (str){0}, events, count);
    if (count && replay) after = events[count - 1].number;
    if (done || wasi_clocks_monotonic_clock_now() >= deadline) break;
    /* a stream nobody reads any more ends soon: the client went away (a comment line finds out), or
     * its session ended */
    if (pause >= 200000000 && (!stream_write_all(r.stream, ":\n\n", 3) || !session_alive(env->session_id))) break;
    mem_release_after(mark);
    sleep_ns(pause);
    if (pause < 200000000) pause *= 2;
  }
  response_end(r);
}

/* ---- subscriptions/listen (2026-07-28): the stream of notifications outside any request ------- */

#define SUBSCRIPTION_ID "io.modelcontextprotocol/subscriptionId"

/* Copy the members of object `object` (without braces) but `skip`; 1 when one was written. */
static int copy_members(buf *out, str object, const char *skip) {
  json_iter it = json_iterate(object);
  str key, value;
  int first = 1;
  while (json_kind(object) == '{' && json_next_member(&it, &key, &value))
    if (!skip || !json_string_equals(key, skip)) buf_member(out, key, value, &first);
  return !first;
}

/* Notification `json` as an SSE event, its params' `_meta` tagged with the subscription's `id`. */
static void listen_event(buf *event, str json, str id) {
  str method = STR("null"), params = STR("{}"), meta = STR("{}");
  json_get(json, "method", &method);
  json_get(json, "params", &params);
  json_get(params, "_meta", &meta);
  buf_lit(event, "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":");
  buf_put(event, method.ptr, method.len);
  buf_lit(event, ",\"params\":{");
  if (copy_members(event, params, "_meta")) buf_char(event, ',');
  buf_lit(event, "\"_meta\":{");
  if (copy_members(event, meta, SUBSCRIPTION_ID)) buf_char(event, ',');
  buf_lit(event, "\"" SUBSCRIPTION_ID "\":");
  buf_put(event, id.ptr, id.len);
  buf_lit(event, "}}}\n\n");
}

/* What the client asked for that the server has: the acknowledged filter into `agreed` (an
 * object), the listener's entries into `wants`, the URIs to watch into `*uris`. */
static size_t agree(str filter, uint16_t caps, buf *agreed, const char **wants, str *uris) {
  static const struct {
    const char *field, *entry;
    uint16_t capability;
  } LISTS[] = {
      {"toolsListChanged", "lc.tools", WACPY_MCP_CAPABILITIES_TOOLS},
      {"resourcesListChanged", "lc.resources", WACPY_MCP_CAPABILITIES_RESOURCES},
      {"promptsListChanged", "lc.prompts", WACPY_MCP_CAPABILITIES_PROMPTS},
  };
  size_t n = 0;
  str value;
  buf_char(agreed, '{');
  for (size_t i = 0; i < sizeof LISTS / sizeof *LISTS; i++) {
    if (!json_get(filter, LISTS[i].field, &value) || json_kind(value) != 't' || !(caps & LISTS[i].capability)) continue;
    if (n) buf_char(agreed, ',');
    buf_char(agreed, '"');
    for (const char *f = LISTS[i].field; *f; f++) buf_char(agreed, *f);
    buf_lit(agreed, "\":true");
    wants[n++] = LISTS[i].entry;
  }
  *uris = (str){0};
  if (json_get(filter, "resourceSubscriptions", &value) && json_kind(value) == '[' &&
      (caps & WACPY_MCP_CAPABILITIES_RESOURCES)) {
    if (n) buf_char(agreed, ',');
    buf_lit(agreed, "\"resourceSubscriptions\":");
    buf_put(agreed, value.ptr, value.len);
    *uris = value;
  }
  buf_char(agreed, '}');
  return n;
}

/* `subscriptions/listen`: an SSE stream that starts with `notifications/subscriptions/acknowledged`,
 * carries the notifications the client asked for (each tagged with the subscription: the request's
 * id) for at most the hold, and ends with the request's result; the client listens again. The
 * stream is a listener in the store (session.h), which the context provider posts to. */
static void serve_listen(wasi_http_response_outparam outparam, const rpc_message *m, rpc_env *env) {
  str filter, uris, why;
  const char *wants[3];
  if (!json_get(m->params, "notifications", &filter) || json_kind(filter) != '{') {
    buf out = {0};
    rpc_error(&out, m->id, RPC_INVALID_PARAMS, STR("Invalid params: notifications must be an object (the filter)"), (str){0});
    respond(outparam, 200, STR("application/json"), buf_str(&out), (extra_headers){0});
    return;
  }
  buf agreed = {0};
  size_t count = agree(filter, dispatch_capabilities(env), &agreed, wants, &uris);
  uint8_t random[16], *hex = mem_alloc(32, 1);
  wacpy_list_u8 got;
  wasi_random_random_get_random_bytes(sizeof random, &got);
  memcpy(random, got.ptr, got.len < sizeof random ? got.len : sizeof random);
  wacpy_hex(hex, random, sizeof random);
  str listener = {(const char *)hex, 32};
  if (listener_open(listener, wants, count, uris, &why)) {
    respond_error(outparam, 500, m->id, RPC_INTERNAL_ERROR, why);
    return;
  }
  response r = response_start(outparam, 200, STR("text/event-stream"), (extra_headers){0});
  buf ack = {0};
  buf_lit(&ack, "{\"method\":\"notifications/subscriptions/acknowledged\",\"params\":{\"notifications\":");
  buf_put(&ack, agreed.buf, agreed.len);
  buf_lit(&ack, "}}");
  buf event = {0};
  listen_event(&event, buf_str(&ack), m->id);
  int open = stream_write_all(r.stream, event.buf, event.len);
  uint64_t hold = setting_seconds("WACPY_MCP_STREAM_HOLD", DEFAULT_STREAM_HOLD);
  uint64_t deadline = wasi_clocks_monotonic_clock_now() + hold * 1000000000ull, pause = 2000000;
  uint8_t *mark = mem_top();
  while (open && wasi_clocks_monotonic_clock_now() < deadline) {
    kept_event *events;
    uint32_t n = 0;
    if (session_take_outbox(listener, &events, &n, &why)) break;
    for (uint32_t i = 0; i < n && open; i++) {
      buf one = {0};
      listen_event(&one, events[i].data, m->id);
      open = stream_write_all(r.stream, one.buf, one.len);
    }
    /* a stream nobody reads any more ends soon: a comment line finds out */
    if (pause >= 200000000 && !stream_write_all(r.stream, ":\n\n", 3)) open = 0;
    mem_release_after(mark);
    sleep_ns(pause);
    if (pause < 200000000) pause *= 2;
  }
  if (open) {
    buf end = {0};
    buf_lit(&end, "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":");
    buf_put(&end, m->id.ptr, m->id.len);
    buf_lit(&end, ",\"result\":{\"resultType\":\"complete\",\"_meta\":{\"" SUBSCRIPTION_ID "\":");
    buf_put(&end, m->id.ptr, m->id.len);
    buf_lit(&end, "}}}\n\n");
    stream_write_all(r.stream, end.buf, end.len);
  }
  response_end(r);
  listener_close(listener);
}

/* The session a message belongs to, into `env`: 0, or the HTTP status that refuses it (with the
 * message in `*message`). A server without a store keeps no sessions and ignores the header. */
static int32_t join_session(const rpc_message *m, rpc_env *env, str session_header, str *message) {
  if (!sessions_kept()) return 0;
  if (m->kind == RPC_REQUEST && str_eq_lit(m->method, "initialize")) {
    env->start_session = 1;
    return 0;
  }
  if (!session_header.len) {
    *message = STR("Bad Request: Mcp-Session-Id header is required (send initialize first)");
    return 400;
  }
  int32_t status = session_load(session_header, env, message);
  if (status == 404) *message = STR("Not Found: unknown or expired session (initialize again)");
  return status;
}

/* A message the server cannot take before the chain sees it: 0, or the HTTP status of the error
 * written to `out` (a version we do not speak; a stateless request its headers or `_meta` refuse). */
static int32_t admit(const rpc_message *m, routing_headers headers, rpc_env *env, buf *out) {
  if (headers.version.len && !stateless_version(headers.version) && !mcp_supported_version(headers.version).len) {
    stateless_unsupported(out, m->id, headers.version);
    return 400;
  }
  int stateless = stateless_version(headers.version) || (!headers.version.len && stateless_by_meta(m));
  if (!stateless) return 0;
  env->stateless = 1; /* a notification or a response needs nothing more: no session waits for it */
  return m->kind == RPC_REQUEST ? stateless_admit(m, headers, env, out) : 0;
}

static void answer_message(wasi_http_response_outparam outparam, str body, field_values accept, routing_headers headers,
                           str session_header, const auth_identity *caller, str base) {
  rpc_message m;
  int32_t code = rpc_parse(body, &m);
  /* a version the header names is checked by `admit` (then a static string, valid UTF-8) */
  str version = mcp_supported_version(headers.version);
  if (!version.len) version = STR(DEFAULT_HEADER_VERSION);
  rpc_env env = {version, -1, WACPY_MCP_CONTEXT_FACTORY_FRAMING_NONE, {WACPY_MCP_CONTEXT_FACTORY_SINK_NONE}};
  env.caller_subject = caller->subject, env.caller_scopes = caller->scopes, env.caller_claims = caller->claims;
  env.auth_base = base;
  int accept_flags = accepted(accept);
  str message = {0};
  buf refused = {0};
  int32_t status = code ? 0 : admit(&m, headers, &env, &refused);
  if (!code && !status && !env.stateless) status = join_session(&m, &env, session_header, &message);
  if (code) {
    respond_error(outparam, 400, m.id, code, code == RPC_PARSE_ERROR ? STR("Parse error") : STR("Invalid Request"));
  } else if (refused.len) {
    respond(outparam, status, STR("application/json"), buf_str(&refused), (extra_headers){0});
  } else if (status) {
    respond_error(outparam, status, m.id, status == 500 ? RPC_INTERNAL_ERROR : RPC_INVALID_REQUEST, message);
  } else if (m.kind == RPC_RESPONSE) {
    if (env.session_id.len && session_answer(&env, m.id, body, &message))
      respond_error(outparam, 500, (str){0}, RPC_INTERNAL_ERROR, message);
    else
      respond(outparam, 202, (str){0}, (str){0}, (extra_headers){0});
  } else if (m.kind != RPC_REQUEST) {
    dispatch_notification(&m, &env);
    respond(outparam, 202, (str){0}, (str){0}, (extra_headers){0});
  } else if ((accept_flags & (ACCEPT_JSON | ACCEPT_SSE)) != (ACCEPT_JSON | ACCEPT_SSE)) {
    respond_error(outparam, 406, m.id, RPC_INVALID_REQUEST,
                  STR("Not Acceptable: Accept must list application/json and text/event-stream"));
  } else if (env.stateless && str_eq_lit(m.method, "subscriptions/listen") && sessions_kept()) {
    serve_listen(outparam, &m, &env);
  } else if ((accept_flags & ACCEPT_SSE_NAMED) && !env.start_session) {
    answer_deferred(outparam, &m, &env);
    dispatch_after_answer(&env);
  } else {
    buf out = {0};
    dispatch_request(&m, &env, &out);
    extra_headers extra = scope_challenge(&env);
    extra.session_id = env.session_id;
    respond(outparam, answer_status(&env), STR("application/json"), buf_str(&out), extra);
    dispatch_after_answer(&env);
  }
}

/* GET /mcp: the session's stream of events (see `serve_events`). */
static void open_events(wasi_http_response_outparam outparam, str session_header, field_values accept,
                        str last_event_id, const auth_identity *caller) {
  rpc_env env = {STR(MCP_LATEST_VERSION), -1, WACPY_MCP_CONTEXT_FACTORY_FRAMING_SSE, {WACPY_MCP_CONTEXT_FACTORY_SINK_NONE}};
  env.caller_subject = caller->subject, env.caller_claims = caller->claims;
  str why = {0};
  if (!(accepted(accept) & ACCEPT_SSE)) {
    respond_error(outparam, 406, (str){0}, RPC_INVALID_REQUEST, STR("Not Acceptable: Accept must list text/event-stream"));
    return;
  }
  int32_t status = session_header.len ? session_load(session_header, &env, &why) : 400;
  if (!status) serve_events(outparam, &env, last_event_id);
  else if (status == 400) respond_error(outparam, 400, (str){0}, RPC_INVALID_REQUEST, STR("Bad Request: Mcp-Session-Id header is required"));
  else if (status == 404) respond_error(outparam, 404, (str){0}, RPC_INVALID_REQUEST, STR("Not Found: unknown or expired session"));
  else respond_error(outparam, 500, (str){0}, RPC_INTERNAL_ERROR, why);
}

/* DELETE /mcp: the client ends its session. */
static void end_session(wasi_http_response_outparam outparam, str session_header, const auth_identity *caller) {
  str why = {0};
  str requester = caller->claims.len ? caller->subject : (str){0};
  if (caller->claims.len && !requester.ptr) requester = STR("");
  int32_t status = session_header.len ? session_end(session_header, requester, &why) : 400;
  if (!status) respond(outparam, 200, (str){0}, (str){0}, (extra_headers){0});
  else if (status == 400) respond_error(outparam, 400, (str){0}, RPC_INVALID_REQUEST, STR("Bad Request: Mcp-Session-Id header is required"));
  else if (status == 404) respond_error(outparam, 404, (str){0}, RPC_INVALID_REQUEST, STR("Not Found: unknown or expired session"));
  else respond_error(outparam, 500, (str){0}, RPC_INTERNAL_ERROR, why);
}

/* ---- authorization (oauth mode: auth.h) --------------------------------------------------------- */

/* `http://host`, what the metadata's URLs start with (behind TLS, WACPY_AUTH_RESOURCE says better). */
static str origin_of(wacpy_option_string authority, field_values host) {
  buf out = {0};
  buf_lit(&out, "http://");
  str name = host.len ? str_trim(value_at(host, 0)) : authority.is_some ? authority.val : STR("localhost");
  buf_put(&out, name.ptr, name.len);
  return buf_str(&out);
}

/* GET the protected resource metadata (RFC 9728): there in oauth mode, not found otherwise. */
static void protected_resource(wasi_http_response_outparam outparam, wasi_http_method method, str base) {
  if (!auth_required()) {
    respond_error(outparam, 404, (str){0}, RPC_INVALID_REQUEST, STR("Not Found"));
  } else if (method.tag != WASI_HTTP_METHOD_GET) {
    respond(outparam, 405, STR("application/json"), STR("{\"error\":\"method not allowed: use GET\"}"),
            (extra_headers){STR("GET")});
  } else {
    respond(outparam, 200, STR("application/json"), auth_metadata(base), (extra_headers){0});
  }
}

/* Refuse a request whose token does not let it in: 401 with the challenge (`invalid_token` when
 * a token came), 403 `insufficient_scope`, 500 when oauth mode is misconfigured; 1 when refused. */
static int refused(wasi_http_response_outparam outparam, field_values authorization, str base, auth_identity *caller) {
  auth_identity who;
  str why = {0};
  int outcome = auth_check(authorization.len ? value_at(authorization, 0) : (str){0}, authorization.len, &who, &why);
  if (outcome == AUTH_PASS) return *caller = who, 0;
  int32_t status = outcome == AUTH_SCOPE ? 403 : outcome == AUTH_MISCONFIGURED ? 500 : 401;
  buf body = {0};
  buf_lit(&body, "{\"error\":\"");
  const char *code = outcome == AUTH_SCOPE ? "insufficient_scope" : outcome == AUTH_MISCONFIGURED ? "server_error"
                     : outcome == AUTH_NO_TOKEN ? "invalid_request" : "invalid_token";
  while (*code) buf_char(&body, *code++);
  buf_lit(&body, "\",\"error_description\":");
  buf_string(&body, why);
  buf_char(&body, '}');
  str challenge = outcome == AUTH_MISCONFIGURED ? (str){0} : auth_challenge(outcome, why, base);
  respond(outparam, status, STR("application/json"), buf_str(&body), (extra_headers){{0}, {0}, challenge});
  return 1;
}

static void exports_wasi_http_incoming_handler_handle(wasi_http_incoming_request request,
                                                     wasi_http_response_outparam outparam) {
  mem_reset();
  auth_prepare(); /* the settings and keys oauth mode keeps go first, below this request's memory */
  wasi_http_method method;
  wacpy_option_string path, authority;
  wasi_http_incoming_request_method(request, &method);
  wasi_http_incoming_request_path_with_query(request, &path);
  wasi_http_incoming_request_authority(request, &authority);
  wasi_http_fields headers = wasi_http_incoming_request_headers(request);
  field_values host = header(headers, "host"), origin = header(headers, "origin"),
               accept = header(headers, "accept"), content_type = header(headers, "content-type"),
               version = header(headers, "mcp-protocol-version"), length = header(headers, "content-length"),
               session = header(headers, "mcp-session-id"), last_event = header(headers, "last-event-id"),
               mcp_method = header(headers, "mcp-method"), mcp_name = header(headers, "mcp-name"),
               authorization = header(headers, "authorization");
  param_headers params = stateless_param_headers(headers);
  wasi_http_fields_drop(headers);

  str route = path.is_some ? path.val : STR("/");
  route = next_part(&route, '?');
  int32_t status = 0;
  const char *message = 0;
  /* DNS rebinding protection comes first: a foreign page learns nothing else about the server. */
  if (authority.is_some && !authority_allowed(authority.val)) status = 403;
  for (uint32_t i = 0; !status && i < host.len; i++)
    if (!authority_allowed(value_at(host, i))) status = 403;
  for (uint32_t i = 0; !status && i < origin.len; i++)
    if (!origin_allowed(value_at(origin, i))) status = 403;
  if (status == 403) message = "Forbidden: Host or Origin not allowed";
  else if (str_eq_lit(route, "/.well-known/oauth-protected-resource") ||
           str_eq_lit(route, "/.well-known/oauth-protected-resource/mcp")) {
    wasi_http_incoming_request_drop(request);
    protected_resource(outparam, method, origin_of(authority, host));
    return;
  } else if (!str_eq_lit(route, "/mcp")) status = 404, message = "Not Found";
  auth_identity caller = {{0}, {0}, {0}};
  if (!status && auth_required() && refused(outparam, authorization, origin_of(authority, host), &caller)) {
    wasi_http_incoming_request_drop(request);
    return;
  }
  str session_header = session.len ? str_trim(value_at(session, 0)) : (str){0};
  if (!status && method.tag == WASI_HTTP_METHOD_DELETE && sessions_kept()) {
    wasi_http_incoming_request_drop(request);
    end_session(outparam, session_header, &caller);
    return;
  }
  if (!status && method.tag == WASI_HTTP_METHOD_GET && sessions_kept()) {
    wasi_http_incoming_request_drop(request);
    open_events(outparam, session_header, accept, last_event.len ? str_trim(value_at(last_event, 0)) : (str){0}, &caller);
    return;
  }
  if (!status && method.tag != WASI_HTTP_METHOD_POST)
    status = 405, message = sessions_kept() ? "Method Not Allowed: use POST (GET for the session's stream, DELETE to end it)" : "Method Not Allowed: use POST";
  if (!status && (!content_type.len || !str_ieq(media_type(value_at(content_type, 0)), STR("application/json"))))
    status = 415, message = "Unsupported Media Type: use application/json";
  routing_headers routing = {
      version.len ? str_trim(value_at(version, 0)) : (str){0},
      mcp_method.len ? str_trim(value_at(mcp_method, 0)) : (str){0},
      mcp_name.len ? str_trim(value_at(mcp_name, 0)) : (str){0},
      params,
  };
  if (!status && content_length_too_large(length)) status = 413;

  str body = {0};
  if (!status) status = read_body(request, &body);
  if (status == 413) message = "Payload Too Large: the limit is 4 MiB";
  if (status == 400 && !message) message = "Bad Request: the body could not be read";
  wasi_http_incoming_request_drop(request);
  if (status) {
    respond_error(outparam, status, (str){0}, RPC_INVALID_REQUEST, str_from(message));
  } else {
    /* `http://host` only matters in oauth mode (a tool's 403 challenge names the metadata) */
    str base = auth_required() ? origin_of(authority, host) : (str){0};
    answer_message(outparam, body, accept, routing, session_header, &caller, base);
  }
}

static void exports_wasi_http_incoming_handler_handle_post(void) {}

#pragma clang attribute pop
