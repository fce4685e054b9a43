/* context-provider (wit/framework.wit): the `context` resource of a request and its factory.
 *
 * A context is one heap block: the state below followed by copies of the request-info strings.
 * Its representation (the i32 the canonical ABI hands to methods) is the block's address.
 * Notifications are written as one JSON-RPC message each to the sink, framed as SSE events or JSON
 * lines, through a 4096-byte buffer (the most `blocking-write-and-flush` takes at once). A sink that
 * fails once is not written to again; it still goes back to the transport on `finish`. An HTTP
 * sink arrives `pending` (the response head not sent): the first notification sends a 200 SSE head
 * and the sink goes back `started`; a request that never notifies gets its head from the transport.
 *
 * Call arguments land in an arena that the post-return functions reset.
 */
#define WACPY_IMPLEMENT_WACPY_MCP_CONTEXT
#define WACPY_IMPLEMENT_WACPY_MCP_CONTEXT_FACTORY
#include "wacpy_world_context_provider.h"
#include "wacpy_alloc.h"
#include "wacpy_json.h"
#include "wacpy_json_read.h"
#include "wacpy_wasi_http.h"
#include "wacpy_wasi_io.h"

typedef wacpy_mcp_context_factory_sink sink;

struct wacpy_mcp_context_rep {
    wacpy_string protocol_version;
    wacpy_option_string session_id;
    wacpy_option_string progress_token;
    wacpy_mcp_option_log_level log_level;
    wacpy_mcp_context_factory_client_capabilities client_capabilities;
    uint8_t framing;
    uint8_t broken;
    sink sink;
};
typedef wacpy_mcp_context_rep context;

static wacpy_arena arena;

WACPY_EXPORT("cabi_realloc")
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    return wacpy_arena_realloc(&arena, old, old_size, align, new_size);
}

static void reset_arena(void) { wacpy_arena_reset(&arena); }

/* -- the factory ---------------------------------------------------------------------------- */

/* Copy `s` to `*tail` and advance it. */
static wacpy_string keep(uint8_t **tail, wacpy_string s) {
    wacpy_string kept = {*tail, s.len};
    __builtin_memcpy(*tail, s.ptr, s.len);
    *tail += s.len;
    return kept;
}

wacpy_mcp_context exports_wacpy_mcp_context_factory_create(const wacpy_mcp_context_factory_request_info *info,
                                                           const sink *sink, wacpy_mcp_context_factory_framing framing) {
    wacpy_string sid = info->session_id.is_some ? info->session_id.val : (wacpy_string){0, 0};
    wacpy_string token = info->progress_token.is_some ? info->progress_token.val : (wacpy_string){0, 0};
    context *c = (context *)wacpy_heap_alloc(sizeof(context) + info->protocol_version.len + sid.len + token.len);
    uint8_t *tail = (uint8_t *)(c + 1);
    c->protocol_version = keep(&tail, info->protocol_version);
    c->session_id = (wacpy_option_string){info->session_id.is_some, keep(&tail, sid)};
    c->progress_token = (wacpy_option_string){info->progress_token.is_some, keep(&tail, token)};
    c->log_level = info->log_level;
    c->client_capabilities = info->client_capabilities;
    c->framing = framing;
    c->broken = 0;
    c->sink = *sink;
    return exports_wacpy_mcp_context_resource_new(c);
}
void exports_wacpy_mcp_context_factory_create_post(wacpy_mcp_context result) {
    (void)result;
    reset_arena();
}

void exports_wacpy_mcp_context_factory_finish(wacpy_mcp_context handle, sink *ret) {
    context *c = exports_wacpy_mcp_context_resource_rep(handle);
    *ret = c->sink;
    c->sink.tag = WACPY_MCP_CONTEXT_FACTORY_SINK_NONE; /* the sink leaves with the result: the destructor must not drop it */
    exports_wacpy_mcp_context_resource_drop(handle);
}
void exports_wacpy_mcp_context_factory_finish_post(sink *ret) {
    (void)ret;
    reset_arena();
}

void exports_wacpy_mcp_context_destructor(context *c) {
    switch (c->sink.tag) {
    case WACPY_MCP_CONTEXT_FACTORY_SINK_STREAM: wasi_io_streams_output_stream_drop(c->sink.val.stream); break;
    case WACPY_MCP_CONTEXT_FACTORY_SINK_PENDING: wasi_http_response_outparam_drop(c->sink.val.pending); break;
    case WACPY_MCP_CONTEXT_FACTORY_SINK_STARTED:
        /* the stream is the body's child: it goes first */
        wasi_io_streams_output_stream_drop(c->sink.val.started.stream);
        wasi_http_outgoing_body_drop(c->sink.val.started.body);
        break;
    }
    wacpy_heap_free(c);
}

/* -- the context ---------------------------------------------------------------------------- */

void exports_wacpy_mcp_context_protocol_version(context *c, wacpy_string *ret) { *ret = c->protocol_version; }
void exports_wacpy_mcp_context_protocol_version_post(wacpy_string *ret) {
    (void)ret;
    reset_arena();
}

void exports_wacpy_mcp_context_session_id(context *c, wacpy_option_string *ret) { *ret = c->session_id; }
void exports_wacpy_mcp_context_session_id_post(wacpy_option_string *ret) {
    (void)ret;
    reset_arena();
}

static uint8_t send_buffer[WACPY_STREAM_CHUNK];

/* The stream notifications go to, starting a pending HTTP response first; -1 when there is none. */
static int32_t open_stream(context *c) {
    if (c->sink.tag == WACPY_MCP_CONTEXT_FACTORY_SINK_PENDING) {
        wasi_http_outgoing_body body;
        wasi_io_streams_output_stream stream;
        if (wacpy_http_start_events(c->sink.val.pending, &body, &stream) != 0) {
            c->sink.tag = WACPY_MCP_CONTEXT_FACTORY_SINK_NONE;
            return -1;
        }
        c->sink = (sink){WACPY_MCP_CONTEXT_FACTORY_SINK_STARTED, .val.started = {body, stream}};
    }
    if (c->sink.tag == WACPY_MCP_CONTEXT_FACTORY_SINK_STREAM) return c->sink.val.stream;
    return c->sink.tag == WACPY_MCP_CONTEXT_FACTORY_SINK_STARTED ? c->sink.val.started.stream : -1;
}

/* A writer for one notification to the sink, or 0 when nothing is to be written. */
static int begin_message(context *c, wacpy_out *o) {
    if (c->broken || c->framing == WACPY_MCP_CONTEXT_FACTORY_FRAMING_NONE) return 0;
    int32_t stream = open_stream(c);
    if (stream < 0) return 0;
    *o = (wacpy_out){send_buffer, 0, sizeof send_buffer, wacpy_out_to_stream, (void *)(intptr_t)stream, 0};
    if (c->framing == WACPY_MCP_CONTEXT_FACTORY_FRAMING_SSE) wacpy_out_lit(o, "event: message\ndata: ");
    wacpy_out_lit(o, "{\"jsonrpc\":\"2.0\",\"method\":");
    return 1;
}

static void end_message(context *c, wacpy_out *o) {
    if (c->framing == WACPY_MCP_CONTEXT_FACTORY_FRAMING_SSE)
        wacpy_out_lit(o, "}\n\n");
    else
        wacpy_out_lit(o, "}\n");
    if (wacpy_out_flush(o) != 0) c->broken = 1;
}

static const wacpy_string level_names[] = {
    WACPY_LIT("\"debug\""), WACPY_LIT("\"info\""),  WACPY_LIT("\"notice\""),   WACPY_LIT("\"warning\""),
    WACPY_LIT("\"error\""), WACPY_LIT("\"critical\""), WACPY_LIT("\"alert\""), WACPY_LIT("\"emergency\""),
};

/* The methods copy an option's payload out before passing it on: the lifted option then need not
 * live in memory (a few bytes less per method). */
void exports_wacpy_mcp_context_log(context *c, wacpy_mcp_log_level level, const wacpy_option_string *logger,
                                   wacpy_string data) {
    wacpy_out o;
    if (level > WACPY_MCP_LOG_LEVEL_EMERGENCY || (c->log_level.is_some && level < c->log_level.val)) return;
    if (!begin_message(c, &o)) return;
    wacpy_out_lit(&o, "\"notifications/message\",\"params\":{\"level\":");
    wacpy_out_str(&o, level_names[level]);
    if (logger->is_some) {
        wacpy_string name = logger->val;
        wacpy_out_lit(&o, ",\"logger\":");
        wacpy_json_string(&o, name);
    }
    wacpy_out_lit(&o, ",\"data\":");
    wacpy_json_raw(&o, data);
    wacpy_out_byte(&o, '}');
    end_message(c, &o);
}
void exports_wacpy_mcp_context_log_post(void) { reset_arena(); }

void exports_wacpy_mcp_context_progress(context *c, double progress, const wacpy_option_f64 *total,
                                        const wacpy_option_string *message) {
    wacpy_out o;
    if (!c->progress_token.is_some || !begin_message(c, &o)) return;
    wacpy_out_lit(&o, "\"notifications/progress\",\"params\":{\"progressToken\":");
    wacpy_json_raw(&o, c->progress_token.val);
    wacpy_out_lit(&o, ",\"progress\":");
    wacpy_json_f64(&o, progress);
    if (total->is_some) {
        wacpy_out_lit(&o, ",\"total\":");
        wacpy_json_f64(&o, total->val);
    }
    if (message->is_some) {
        wacpy_string text = message->val;
        wacpy_out_lit(&o, ",\"message\":");
        wacpy_json_string(&o, text);
    }
    wacpy_out_byte(&o, '}');
    end_message(c, &o);
}
void exports_wacpy_mcp_context_progress_post(void) { reset_arena(); }

void exports_wacpy_mcp_context_notify(context *c, wacpy_string method, const wacpy_option_string *params) {
    wacpy_out o;
    if (!begin_message(c, &o)) return;
    wacpy_json_string(&o, method);
    if (params->is_some) {
        wacpy_string json = params->val;
        wacpy_out_lit(&o, ",\"params\":");
        wacpy_json_raw(&o, json);
    }
    end_message(c, &o);
}
void exports_wacpy_mcp_context_notify_post(void) { reset_arena(); }

/* -- the session ---------------------------------------------------------------------------- */

static wacpy_string concat(wacpy_string a, wacpy_string b) {
    uint8_t *p = (uint8_t *)wacpy_arena_alloc(&arena, a.len + b.len + 1, 1);
    __builtin_memcpy(p, a.ptr, a.len);
    __builtin_memcpy(p + a.len, b.ptr, b.len);
    return (wacpy_string){p, a.len + b.len};
}

static wacpy_mcp_error error_of(int32_t code, wacpy_string message) {
    return (wacpy_mcp_error){code, message, {0, {0, 0}}};
}

static wacpy_mcp_error store_failure(const wacpy_mcp_store_store_error *e) {
    return error_of(-32603, e->tag == WACPY_MCP_STORE_STORE_ERROR_FAILED ? e->val.failed : WACPY_LIT("session store: unavailable"));
}

static const wacpy_string NO_SESSION = WACPY_LIT("no session: this server keeps none (compose it with a store, e.g. --store filesystem)");

/* The session's store key of a component's value: `v.<key>`; 0 (and *err set) without a session. */
static int value_key(context *c, wacpy_string key, wacpy_string *out, wacpy_mcp_error *err) {
    if (!c->session_id.is_some) {
        *err = error_of(-32603, NO_SESSION);
        return 0;
    }
    if (!key.len) {
        *err = error_of(-32602, WACPY_LIT("a session key must not be empty"));
        return 0;
    }
    *out = concat(WACPY_LIT("v."), key);
    return 1;
}

/* A value's bytes in the store: its case's tag, then the payload (numbers little-endian). */
static wacpy_list_u8 encode_value(const wacpy_mcp_value *v) {
    const uint8_t *payload = 0;
    size_t n = 0;
    uint8_t fixed[8];
    switch (v->tag) {
    case WACPY_MCP_VALUE_STRING: payload = v->val.string.ptr, n = v->val.string.len; break;
    case WACPY_MCP_VALUE_JSON: payload = v->val.json.ptr, n = v->val.json.len; break;
    case WACPY_MCP_VALUE_BYTES: payload = v->val.bytes.ptr, n = v->val.bytes.len; break;
    case WACPY_MCP_VALUE_BOOL: fixed[0] = v->val.bool_, payload = fixed, n = 1; break;
    default: {
        uint64_t bits = v->tag == WACPY_MCP_VALUE_S64 ? (uint64_t)v->val.s64 : (uint64_t)wacpy_f64_bits(v->val.f64);
        for (int i = 0; i < 8; i++) fixed[i] = (uint8_t)(bits >> (8 * i));
        payload = fixed, n = 8;
    }
    }
    uint8_t *out = (uint8_t *)wacpy_arena_alloc(&arena, n + 1, 1);
    out[0] = v->tag;
    if (n) __builtin_memcpy(out + 1, payload, n);
    return (wacpy_list_u8){out, n + 1};
}

static int decode_value(wacpy_list_u8 bytes, wacpy_mcp_value *v) {
    if (!bytes.len || bytes.ptr[0] > WACPY_MCP_VALUE_JSON) return 0;
    wacpy_string rest = {bytes.ptr + 1, bytes.len - 1};
    v->tag = bytes.ptr[0];
    switch (v->tag) {
    case WACPY_MCP_VALUE_STRING: v->val.string = rest; return 1;
    case WACPY_MCP_VALUE_JSON: v->val.json = rest; return wacpy_json_valid(rest);
    case WACPY_MCP_VALUE_BYTES: v->val.bytes = (wacpy_list_u8){(uint8_t *)rest.ptr, rest.len}; return 1;
    case WACPY_MCP_VALUE_BOOL: v->val.bool_ = rest.len ? rest.ptr[0] : 2; return rest.len == 1 && rest.ptr[0] < 2;
    default: {
        if (rest.len != 8) return 0;
        uint64_t bits = 0;
        for (int i = 7; i >= 0; i--) bits = bits << 8 | rest.ptr[i];
        if (v->tag == WACPY_MCP_VALUE_S64) v->val.s64 = (int64_t)bits;
        else v->val.f64 = wacpy_bits_f64((int64_t)bits);
        return 1;
    }
    }
}

void exports_wacpy_mcp_context_session_get(context *c, wacpy_string key, wacpy_mcp_result_option_value_error *ret) {
    wacpy_string stored;
    *ret = (wacpy_mcp_result_option_value_error){0};
    ret->is_err = 1;
    if (!value_key(c, key, &stored, &ret->val.err)) return;
    wacpy_mcp_result_option_store_entry_store_store_error got;
    wacpy_mcp_store_get(c->session_id.val, stored, &got);
    if (got.is_err) {
        ret->val.err = store_failure(&got.val.err);
    } else if (!got.val.ok.is_some) {
        ret->is_err = 0; /* ok(none) */
    } else if (decode_value(got.val.ok.val.value, &ret->val.ok.val)) {
        ret->is_err = 0;
        ret->val.ok.is_some = 1;
    } else {
        ret->val.err = error_of(-32603, concat(WACPY_LIT("session store: corrupt value under "), key));
    }
}
void exports_wacpy_mcp_context_session_get_post(wacpy_mcp_result_option_value_error *ret) {
    (void)ret;
    reset_arena();
}

void exports_wacpy_mcp_context_session_set(context *c, wacpy_string key, const wacpy_mcp_value *value,
                                           wacpy_mcp_result_void_error *ret) {
    wacpy_string stored;
    ret->is_err = 1;
    if (!value_key(c, key, &stored, &ret->val.err)) return;
    if (value->tag == WACPY_MCP_VALUE_JSON && !wacpy_json_valid(value->val.json)) {
        ret->val.err = error_of(-32602, concat(WACPY_LIT("not JSON: the session value under "), key));
        return;
    }
    wacpy_mcp_result_void_store_store_error done;
    wacpy_mcp_store_set(c->session_id.val, stored, encode_value(value), &done);
    ret->is_err = done.is_err;
    if (done.is_err) ret->val.err = store_failure(&done.val.err);
}
void exports_wacpy_mcp_context_session_set_post(wacpy_mcp_result_void_error *ret) {
    (void)ret;
    reset_arena();
}

void exports_wacpy_mcp_context_session_delete(context *c, wacpy_string key, wacpy_mcp_result_void_error *ret) {
    wacpy_string stored;
    ret->is_err = 1;
    if (!value_key(c, key, &stored, &ret->val.err)) return;
    wacpy_mcp_result_void_store_store_error done;
    wacpy_mcp_store_delete(c->session_id.val, stored, &done);
    ret->is_err = done.is_err;
    if (done.is_err) ret->val.err = store_failure(&done.val.err);
}
void exports_wacpy_mcp_context_session_delete_post(wacpy_mcp_result_void_error *ret) {
    (void)ret;
    reset_arena();
}

void exports_wacpy_mcp_context_session_keys(context *c, wacpy_string prefix, wacpy_mcp_result_list_string_error *ret) {
    ret->is_err = 1;
    if (!c->session_id.is_some) {
        ret->val.err = error_of(-32603, NO_SESSION);
        return;
    }
    wacpy_mcp_result_list_string_store_store_error got;
    wacpy_mcp_store_keys(c->session_id.val, &got);
    if (got.is_err) {
        ret->val.err = store_failure(&got.val.err);
        return;
    }
    wacpy_string wanted = concat(WACPY_LIT("v."), prefix);
    size_t n = 0;
    for (size_t i = 0; i < got.val.ok.len; i++) {
        wacpy_string k = got.val.ok.ptr[i];
        if (wacpy_starts_with(k, wanted)) got.val.ok.ptr[n++] = (wacpy_string){k.ptr + 2, k.len - 2};
    }
    ret->is_err = 0;
    ret->val.ok = (wacpy_list_string){got.val.ok.ptr, n};
}
void exports_wacpy_mcp_context_session_keys_post(wacpy_mcp_result_list_string_error *ret) {
    (void)ret;
    reset_arena();
}

/* -- requests to the client ------------------------------------------------------------------ */

#define DEFAULT_ANSWER_TIMEOUT 25u /* seconds: below the 30 s per-request limit wacpy serves with */

static uint64_t answer_timeout_s;

/* WACPY_MCP_ANSWER_TIMEOUT (seconds, at least 1), read once per instance. */
static uint64_t answer_timeout(void) {
    if (answer_timeout_s) return answer_timeout_s;
    answer_timeout_s = DEFAULT_ANSWER_TIMEOUT;
    wacpy_list_tuple2_string_string env;
    wasi_cli_environment_get_environment(&env);
    for (size_t i = 0; i < env.len; i++) {
        if (!wacpy_string_eq(env.ptr[i].f0, WACPY_LIT("WACPY_MCP_ANSWER_TIMEOUT"))) continue;
        wacpy_positive_decimal(env.ptr[i].f1, 1000000u, &answer_timeout_s);
    }
    return answer_timeout_s;
}

/* The capability a method needs of the client, and its name for messages; 0 when none is known. */
static wacpy_mcp_context_factory_client_capabilities needed_capability(wacpy_string method, wacpy_string params,
                                                                       wacpy_string *name) {
    wacpy_string mode;
    if (wacpy_string_eq(method, WACPY_LIT("sampling/createMessage"))) {
        *name = WACPY_LIT("sampling");
        return WACPY_MCP_CONTEXT_FACTORY_CLIENT_CAPABILITIES_SAMPLING;
    }
    if (wacpy_string_eq(method, WACPY_LIT("roots/list"))) {
        *name = WACPY_LIT("roots");
        return WACPY_MCP_CONTEXT_FACTORY_CLIENT_CAPABILITIES_ROOTS;
    }
    if (wacpy_string_eq(method, WACPY_LIT("elicitation/create"))) {
        if (wacpy_json_get(params, "mode", &mode) && wacpy_json_string_equals(mode, "url")) {
            *name = WACPY_LIT("elicitation (url mode)");
            return WACPY_MCP_CONTEXT_FACTORY_CLIENT_CAPABILITIES_ELICITATION_URL;
        }
        *name = WACPY_LIT("elicitation (form mode)");
        return WACPY_MCP_CONTEXT_FACTORY_CLIENT_CAPABILITIES_ELICITATION_FORM;
    }
    return 0;
}

/* "wacpy-" and 16 hex digits: unique enough across processes sharing a store. */
static wacpy_string request_id(void) {
    uint8_t *p = (uint8_t *)wacpy_arena_alloc(&arena, 22, 1);
    __builtin_memcpy(p, "wacpy-", 6);
    wacpy_hex_u64(p + 6, wasi_random_random_get_random_u64());
    return (wacpy_string){p, 22};
}

/* Writes the request (or, with `cancel`, notifications/cancelled for it) to the client; 0 when it went out. */
static int send_request(context *c, wacpy_string id, wacpy_string method, wacpy_string params, int cancel) {
    wacpy_out o;
    if (c->broken || c->framing == WACPY_MCP_CONTEXT_FACTORY_FRAMING_NONE) return 1;
    int32_t stream = open_stream(c);
    if (stream < 0) return 1;
    o = (wacpy_out){send_buffer, 0, sizeof send_buffer, wacpy_out_to_stream, (void *)(intptr_t)stream, 0};
    if (c->framing == WACPY_MCP_CONTEXT_FACTORY_FRAMING_SSE) wacpy_out_lit(&o, "event: message\ndata: ");
    if (cancel) {
        wacpy_out_lit(&o, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/cancelled\",\"params\":{\"requestId\":");
        wacpy_json_string(&o, id);
        wacpy_out_lit(&o, ",\"reason\":\"no answer in time\"}");
    } else {
        wacpy_out_lit(&o, "{\"jsonrpc\":\"2.0\",\"id\":");
        wacpy_json_string(&o, id);
        wacpy_out_lit(&o, ",\"method\":");
        wacpy_json_string(&o, method);
        wacpy_out_lit(&o, ",\"params\":");
        wacpy_json_raw(&o, params);
    }
    end_message(c, &o);
    return c->broken;
}

/* Sleeps on a timer (the runtime's worker is free meanwhile). */
static void sleep_ns(uint64_t ns) {
    wasi_io_poll_pollable timer = wasi_clocks_monotonic_clock_subscribe_duration(ns);
    wasi_io_poll_pollable_block(timer);
    wasi_io_poll_pollable_drop(timer);
}

/* The answer's `result` (ok) or `error` into `ret`. */
static void take_answer(wacpy_string message, wacpy_mcp_result_string_error *ret) {
    wacpy_string result, error, code, text, data;
    ret->is_err = 1;
    if (!wacpy_json_valid(message)) {
        ret->val.err = error_of(-32603, WACPY_LIT("session store: the client's answer is corrupt"));
    } else if (wacpy_json_get(message, "result", &result)) {
        ret->is_err = 0;
        ret->val.ok = result;
    } else if (wacpy_json_get(message, "error", &error) && wacpy_json_get(error, "code", &code) &&
               wacpy_json_kind(code) == '0') {
        int64_t n = 0, sign = 1;
        size_t i = 0;
        if (code.len && code.ptr[0] == '-') sign = -1, i = 1;
        for (; i < code.len && code.ptr[i] >= '0' && code.ptr[i] <= '9' && n < 1000000000; i++) n = n * 10 + (code.ptr[i] - '0');
        ret->val.err = error_of((int32_t)(sign * n), WACPY_LIT("the client answered with an error"));
        if (wacpy_json_get(error, "message", &text) && wacpy_json_kind(text) == '"') {
            uint8_t *out = (uint8_t *)wacpy_arena_alloc(&arena, text.len, 1);
            int lone;
            ret->val.err.message = (wacpy_string){out, wacpy_json_unescape(text, out, &lone)};
        }
        if (wacpy_json_get(error, "data", &data)) ret->val.err.data = (wacpy_option_string){1, data};
    } else {
        ret->val.err = error_of(-32603, WACPY_LIT("the client's answer has neither a result nor an error"));
    }
}

void exports_wacpy_mcp_context_request(context *c, wacpy_string method, wacpy_string params,
                                       wacpy_mcp_result_string_error *ret) {
    wacpy_string capability;
    ret->is_err = 1;
    if (!c->session_id.is_some) {
        ret->val.err = error_of(-32601, concat(WACPY_LIT("Requests to the client need a session, which this server does not keep: "), method));
        return;
    }
    if (!wacpy_json_valid(params) || wacpy_json_kind(params) != '{') {
        ret->val.err = error_of(-32602, WACPY_LIT("the params of a request to the client must be a JSON object"));
        return;
    }
    wacpy_mcp_context_factory_client_capabilities needed = needed_capability(method, params, &capability);
    if (needed && !(c->client_capabilities & needed)) {
        ret->val.err = error_of(-32601, concat(WACPY_LIT("the client did not declare the capability this request needs: "), capability));
        return;
    }
    wacpy_string session = c->session_id.val, id = request_id();
    wacpy_string pending = concat(WACPY_LIT("pending."), id), answer = concat(WACPY_LIT("answer."), id);
    wacpy_mcp_result_void_store_store_error done;
    wacpy_mcp_store_set(session, pending, (wacpy_list_u8){(uint8_t *)method.ptr, method.len}, &done);
    if (done.is_err) {
        ret->val.err = store_failure(&done.val.err);
        return;
    }
    if (send_request(c, id, method, params, 0)) {
        wacpy_mcp_store_delete(session, pending, &done);
        ret->val.err = error_of(-32603, WACPY_LIT("the request could not be sent: the client's stream is closed"));
        return;
    }
    uint64_t deadline = wasi_clocks_monotonic_clock_now() + answer_timeout() * 1000000000ull, pause = 2000000;
    for (;;) {
        wacpy_mcp_result_option_store_entry_store_store_error got;
        wacpy_mcp_store_get(session, answer, &got);
        if (got.is_err) {
            ret->val.err = store_failure(&got.val.err);
            break;
        }
        if (got.val.ok.is_some) {
            wacpy_list_u8 v = got.val.ok.val.value;
            take_answer((wacpy_string){v.ptr, v.len}, ret);
            wacpy_mcp_store_delete(session, answer, &done);
            break;
        }
        if (wasi_clocks_monotonic_clock_now() >= deadline) {
            send_request(c, id, method, params, 1);
            ret->val.err = error_of(-32001, concat(WACPY_LIT("the client did not answer in time: "), method));
            break;
        }
        sleep_ns(pause);
        if (pause < 100000000) pause *= 2;
    }
    wacpy_mcp_store_delete(session, pending, &done);
}
void exports_wacpy_mcp_context_request_post(wacpy_mcp_result_string_error *ret) {
    (void)ret;
    reset_arena();
}
