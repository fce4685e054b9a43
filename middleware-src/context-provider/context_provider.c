/* context-provider (wit/framework.wit): the `context` resource of a request and its factory.
 *
 * A context is one heap block: the state below followed by copies of the request-info strings.
 * Its representation (the i32 the canonical ABI hands to methods) is the block's address.
 * Each message to the client is built in the arena, then framed on the sink as an SSE event or a
 * JSON line. A sink that fails once is not written to again; it still goes back to the transport on
 * `finish`. An HTTP sink arrives `pending` (the response head not sent): the first message sends a
 * 200 SSE head and the sink goes back `started`; a request that never notifies gets its head from
 * the transport. In a session the stream gets an id and a priming event, its events carry ids, and
 * once it closes (`close-stream`, or the client went away) the messages are kept in the store for
 * the client's reconnection (wacpy_session_events.h). stdio is one implicit session that lives as
 * long as the process: its values stay in memory, and the client's answers are read from stdin.
 *
 * Call arguments land in an arena that the post-return functions reset.
 */
/* Before the includes: the export glue the bindings compile here is size-optimized too. */
#pragma clang attribute push(__attribute__((minsize)), apply_to = function)
#define WACPY_IMPLEMENT_WACPY_MCP_CONTEXT
#define WACPY_IMPLEMENT_WACPY_MCP_CONTEXT_FACTORY
#include "wacpy_world_context_provider.h"
#include "wacpy_alloc.h"
#include "wacpy_json.h"
#include "wacpy_json_read.h"
#include "wacpy_session_events.h"
#include "wacpy_wasi_io.h"
#include "wacpy_wasi_http.h"
#include "wacpy_base64url.h"
#include "wacpy_tasks.h"
#include "monocypher.h"

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
    /* the SSE stream's id (empty until a session's stream starts) and its next event's number */
    uint8_t stream_id[WACPY_STREAM_ID_LEN];
    uint8_t has_stream;
    uint32_t next_event;
    /* MCP 2026-07-28 input (SEP-2322), on the heap: the retry's subject, answers and state */
    struct retry *retry;
    /* the task this request became (context.run-as-task), 32 hex digits, when has_task */
    uint8_t task_id[WACPY_TASK_ID_LEN];
    uint8_t has_task;
    /* the caller (OAuth mode), on the heap: subject, claims, and its scopes joined by spaces */
    struct caller_copy *caller;
    /* the merged caching hints (context.cache-hint): the smallest TTL, shared only if all say so */
    uint8_t has_cache, cache_shared;
    uint64_t cache_ttl;
};
typedef wacpy_mcp_context_rep context;

static wacpy_arena arena;
static int is_stateless(const context *c);

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
    c->has_stream = 0;
    c->next_event = 0;
    c->retry = 0;
    c->has_task = 0;
    c->has_cache = 0;
    c->caller = 0;
    return exports_wacpy_mcp_context_resource_new(c);
}
void exports_wacpy_mcp_context_factory_create_post(wacpy_mcp_context result) {
    (void)result;
    reset_arena();
}

static wacpy_string stream_of(context *c) {
    return (wacpy_string){c->stream_id, c->has_stream ? WACPY_STREAM_ID_LEN : 0};
}

static wacpy_option_string input_required_result(context *c);

void exports_wacpy_mcp_context_factory_finish(wacpy_mcp_context handle, wacpy_mcp_context_factory_finished *ret) {
    context *c = exports_wacpy_mcp_context_resource_rep(handle);
    wacpy_string stream = stream_of(c);
    uint8_t *id = (uint8_t *)wacpy_arena_alloc(&arena, WACPY_STREAM_ID_LEN, 1); /* the context goes below */
    __builtin_memcpy(id, stream.ptr, stream.len);
    ret->sink = c->sink;
    ret->events = (wacpy_mcp_context_factory_event_cursor){{id, stream.len}, c->next_event};
    ret->input_required = input_required_result(c);
    uint8_t *task = (uint8_t *)wacpy_arena_alloc(&arena, WACPY_TASK_ID_LEN, 1);
    __builtin_memcpy(task, c->task_id, WACPY_TASK_ID_LEN);
    ret->task = (wacpy_option_string){c->has_task, {task, c->has_task ? WACPY_TASK_ID_LEN : 0}};
    ret->cache.is_some = c->has_cache;
    ret->cache.val = (wacpy_mcp_context_factory_cache_hints){c->cache_ttl, c->cache_shared};
    c->sink.tag = WACPY_MCP_CONTEXT_FACTORY_SINK_NONE; /* the sink leaves with the result: the destructor must not drop it */
    exports_wacpy_mcp_context_resource_drop(handle);
}
void exports_wacpy_mcp_context_factory_finish_post(wacpy_mcp_context_factory_finished *ret) {
    (void)ret;
    reset_arena();
}

static void retry_free(context *c);
static void caller_free(context *c);

void exports_wacpy_mcp_context_destructor(context *c) {
    retry_free(c);
    caller_free(c);
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

static const wacpy_string PRIMING = WACPY_LIT("\nretry: " WACPY_RETRY_MS "\ndata: \n\n");

/* The stream messages go to, starting a pending HTTP response first (with, in a session, a stream
 * id and the priming event); -1 when there is none. */
static int32_t open_stream(context *c) {
    if (c->sink.tag == WACPY_MCP_CONTEXT_FACTORY_SINK_PENDING) {
        wasi_http_outgoing_body body;
        wasi_io_streams_output_stream stream;
        if (wacpy_http_start_events(c->sink.val.pending, &body, &stream) != 0) {
            c->sink.tag = WACPY_MCP_CONTEXT_FACTORY_SINK_NONE;
            return -1;
        }
        c->sink = (sink){WACPY_MCP_CONTEXT_FACTORY_SINK_STARTED, .val.started = {body, stream}};
        if (c->session_id.is_some) {
            uint8_t head[WACPY_EVENT_NAME_ROOM];
            wacpy_hex_u64(c->stream_id, wasi_random_random_get_random_u64());
            c->has_stream = 1;
            size_t n = wacpy_event_name(head, "id: r.", stream_of(c), c->next_event++);
            if (wacpy_stream_write_all(stream, head, n) || wacpy_stream_write_all(stream, PRIMING.ptr, PRIMING.len))
                c->broken = 1;
        }
    }
    if (c->sink.tag == WACPY_MCP_CONTEXT_FACTORY_SINK_STREAM) return c->sink.val.stream;
    return c->sink.tag == WACPY_MCP_CONTEXT_FACTORY_SINK_STARTED ? c->sink.val.started.stream : -1;
}

void exports_wacpy_mcp_context_cache_hint(context *c, uint64_t ttl_ms, uint8_t shared) {
    c->cache_ttl = c->has_cache && c->cache_ttl < ttl_ms ? c->cache_ttl : ttl_ms;
    c->cache_shared = (uint8_t)((c->has_cache ? c->cache_shared : 1) && shared);
    c->has_cache = 1;
}
void exports_wacpy_mcp_context_cache_hint_post(void) {}

/* End a started response early: the sink is `closed`, and what follows is kept in the store. */
static void close_response(context *c) {
    wasi_http_result_void_error_code ended;
    wasi_io_streams_output_stream_drop(c->sink.val.started.stream); /* the body's child goes first */
    wasi_http_outgoing_body_finish(c->sink.val.started.body, &(wasi_http_option_fields){0}, &ended);
    c->sink.tag = WACPY_MCP_CONTEXT_FACTORY_SINK_CLOSED;
}

/* Keep message `json` as the closed stream's event `number` for the client's reconnection. */
static void keep_event(context *c, wacpy_string json, uint32_t number) {
    uint8_t key[WACPY_EVENT_NAME_ROOM];
    size_t n = wacpy_event_name(key, "ev.", stream_of(c), number);
    wacpy_mcp_result_void_store_store_error done;
    wacpy_mcp_store_set(c->session_id.val, (wacpy_string){key, n}, (wacpy_list_u8){(uint8_t *)json.ptr, json.len}, &done);
    if (done.is_err) c->broken = 1; /* nowhere left to send it */
}

/* One message (a JSON-RPC object) to the client: framed on the sink, or kept once the session's
 * stream has closed. A session's stream that fails to take it closes, and the message is kept. */
static void deliver(context *c, wacpy_string json) {
    if (c->broken || c->framing == WACPY_MCP_CONTEXT_FACTORY_FRAMING_NONE) return;
    if (c->sink.tag == WACPY_MCP_CONTEXT_FACTORY_SINK_CLOSED) {
        keep_event(c, json, c->next_event++);
        return;
    }
    int32_t stream = open_stream(c);
    if (stream < 0 || c->broken) return;
    uint8_t head[WACPY_EVENT_NAME_ROOM];
    int sse = c->framing == WACPY_MCP_CONTEXT_FACTORY_FRAMING_SSE;
    size_t n = sse ? wacpy_event_head(head, stream_of(c), c->next_event) : 0;
    int failed = wacpy_stream_write_all(stream, head, n) || wacpy_stream_write_all(stream, json.ptr, json.len) ||
                 wacpy_stream_write_all(stream, (const uint8_t *)"\n\n", sse ? 2 : 1);
    uint32_t number = c->has_stream ? c->next_event++ : 0;
    if (!failed) return;
    if (!c->has_stream) {
        c->broken = 1;
        return;
    }
    close_response(c);
    keep_event(c, json, number);
}

/* A writer for one notification (its `method` comes next), or 0 when nothing is to be written. */
static int begin_message(context *c, wacpy_out *o) {
    if (c->broken || c->framing == WACPY_MCP_CONTEXT_FACTORY_FRAMING_NONE) return 0;
    *o = wacpy_out_in_arena(&arena);
    wacpy_out_lit(o, "{\"jsonrpc\":\"2.0\",\"method\":");
    return 1;
}

static void end_message(context *c, wacpy_out *o) {
    wacpy_out_byte(o, '}');
    if (!o->failed) deliver(c, (wacpy_string){o->buf, o->len});
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
    if (is_stateless(c) && !c->log_level.is_some) return; /* 2026-07-28: no logLevel in _meta, no log messages */
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

typedef wacpy_mcp_result_option_store_entry_store_store_error got_entry;
typedef wacpy_mcp_result_void_store_store_error store_done;
typedef wacpy_mcp_result_list_string_store_store_error got_keys;

/* stdio's implicit session: its entries in memory, for as long as the process (the instance) runs. */
typedef struct memory_entry {
    struct memory_entry *next;
    size_t key_len, value_len;
    uint8_t bytes[]; /* the key, then the value */
} memory_entry;
static memory_entry *memory;

static int is_stdio(const context *c) { return c->framing == WACPY_MCP_CONTEXT_FACTORY_FRAMING_NDJSON; }
static int has_session(const context *c) { return c->session_id.is_some || is_stdio(c); }

/* A request of MCP 2026-07-28: stateless, its log level and capabilities from its `_meta`. */
static int is_stateless(const context *c) { return wacpy_string_eq(c->protocol_version, WACPY_LIT("2026-07-28")); }

static memory_entry **memory_find(wacpy_string key) {
    memory_entry **at = &memory;
    while (*at && !wacpy_string_eq((wacpy_string){(*at)->bytes, (*at)->key_len}, key)) at = &(*at)->next;
    return at;
}

/* The session's entry `key`: from the store, or from memory on stdio. */
static void session_get(context *c, wacpy_string key, got_entry *got) {
    if (!is_stdio(c)) {
        wacpy_mcp_store_get(c->session_id.val, key, got);
        return;
    }
    memory_entry *e = *memory_find(key);
    *got = (got_entry){0};
    if (e) got->val.ok = (wacpy_mcp_option_store_entry){1, {{e->bytes + e->key_len, e->value_len}, 0}};
}

static void session_delete(context *c, wacpy_string key, store_done *done) {
    if (!is_stdio(c)) {
        wacpy_mcp_store_delete(c->session_id.val, key, done);
        return;
    }
    memory_entry **at = memory_find(key), *e = *at;
    if (e) *at = e->next, wacpy_heap_free(e);
    *done = (store_done){0};
}

static void session_set(context *c, wacpy_string key, wacpy_list_u8 value, store_done *done) {
    if (!is_stdio(c)) {
        wacpy_mcp_store_set(c->session_id.val, key, value, done);
        return;
    }
    session_delete(c, key, done);
    memory_entry *e = (memory_entry *)wacpy_heap_alloc(sizeof(memory_entry) + key.len + value.len);
    e->key_len = key.len, e->value_len = value.len;
    __builtin_memcpy(e->bytes, key.ptr, key.len);
    __builtin_memcpy(e->bytes + key.len, value.ptr, value.len);
    e->next = memory, memory = e;
}

static void session_keys(context *c, got_keys *got) {
    if (!is_stdio(c)) {
        wacpy_mcp_store_keys(c->session_id.val, got);
        return;
    }
    size_t n = 0;
    for (memory_entry *e = memory; e; e = e->next) n++;
    wacpy_string *keys = (wacpy_string *)wacpy_arena_alloc(&arena, n * sizeof(wacpy_string) + 1, 4);
    n = 0;
    for (memory_entry *e = memory; e; e = e->next) keys[n++] = (wacpy_string){e->bytes, e->key_len};
    *got = (got_keys){0};
    got->val.ok = (wacpy_list_string){keys, n};
}

/* The session's store key of a component's value: `v.<key>`; 0 (and *err set) without a session. */
static int value_key(context *c, wacpy_string key, wacpy_string *out, wacpy_mcp_error *err) {
    if (!has_session(c)) {
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
    got_entry got;
    session_get(c, stored, &got);
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
    store_done done;
    session_set(c, stored, encode_value(value), &done);
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
    store_done done;
    session_delete(c, stored, &done);
    ret->is_err = done.is_err;
    if (done.is_err) ret->val.err = store_failure(&done.val.err);
}
void exports_wacpy_mcp_context_session_delete_post(wacpy_mcp_result_void_error *ret) {
    (void)ret;
    reset_arena();
}

void exports_wacpy_mcp_context_session_keys(context *c, wacpy_string prefix, wacpy_mcp_result_list_string_error *ret) {
    ret->is_err = 1;
    if (!has_session(c)) {
        ret->val.err = error_of(-32603, NO_SESSION);
        return;
    }
    got_keys got;
    session_keys(c, &got);
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
    if (!begin_message(c, &o)) return 1;
    if (cancel) {
        wacpy_out_lit(&o, "\"notifications/cancelled\",\"params\":{\"requestId\":");
        wacpy_json_string(&o, id);
        wacpy_out_lit(&o, ",\"reason\":\"no answer in time\"}");
    } else {
        wacpy_json_string(&o, method);
        wacpy_out_lit(&o, ",\"id\":");
        wacpy_json_string(&o, id);
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

/* HTTP: the answer arrives in another request, which finds `pending.<id>` and stores `answer.<id>`
 * (transport/session.c); this one polls the store on a timer until then. 1 and the message, or 0
 * and the error in `*ret`. */
static int wait_in_store(context *c, wacpy_string id, uint64_t deadline, wacpy_string *message,
                         wacpy_mcp_result_string_error *ret) {
    wacpy_string answer = concat(WACPY_LIT("answer."), id);
    uint64_t pause = 500000; /* 0.5 ms, growing by half to 50 ms: a prompt answer is picked up within a millisecond or so */
    for (;;) {
        got_entry got;
        wacpy_mcp_store_get(c->session_id.val, answer, &got);
        if (got.is_err) {
            ret->val.err = store_failure(&got.val.err);
            return 0;
        }
        if (got.val.ok.is_some) { /* the caller drops `pending.<id>`, then `answer.<id>` */
            wacpy_list_u8 v = got.val.ok.val.value;
            *message = (wacpy_string){v.ptr, v.len};
            return 1;
        }
        if (wasi_clocks_monotonic_clock_now() >= deadline) return 0;
        sleep_ns(pause);
        if (pause < 50000000) pause += pause / 2;
    }
}

static wasi_io_streams_input_stream stdin_stream = -1;

/* stdio: the next line from stdin, read a byte at a time (what follows stays for the transport),
 * waiting on stdin and a timer together. 1 and the line; 0 at the deadline; -1 when stdin ended. */
static int read_stdin_line(uint64_t deadline, wacpy_string *line) {
    if (stdin_stream < 0) stdin_stream = wasi_cli_stdin_get_stdin();
    wacpy_out text = wacpy_out_in_arena(&arena);
    for (;;) {
        wasi_io_result_list_u8_streams_stream_error got;
        wasi_io_streams_input_stream_read(stdin_stream, 1, &got);
        if (got.is_err) return -1;
        if (got.val.ok.len) {
            uint8_t byte = got.val.ok.ptr[0];
            if (byte == '\n') break;
            if (text.len < (4u << 20)) wacpy_out_byte(&text, byte);
            continue;
        }
        wasi_io_poll_pollable ready[2] = {wasi_io_streams_input_stream_subscribe(stdin_stream),
                                          wasi_clocks_monotonic_clock_subscribe_instant(deadline)};
        wacpy_list_u32 which;
        wasi_io_poll_poll((wasi_io_list_poll_pollable){ready, 2}, &which);
        wasi_io_poll_pollable_drop(ready[0]);
        wasi_io_poll_pollable_drop(ready[1]);
        if (wasi_clocks_monotonic_clock_now() >= deadline) return 0;
    }
    *line = (wacpy_string){text.buf, text.len};
    return 1;
}

/* A message the client sent while the server waits for an answer on stdio: a ping is answered, any
 * other request gets an error (the transport takes one request at a time), the rest is dropped. */
static void answer_meanwhile(context *c, wacpy_string message, wacpy_string method) {
    wacpy_string id, name;
    if (!wacpy_json_get(message, "id", &id) || !wacpy_json_get(message, "method", &name)) return;
    wacpy_out o = wacpy_out_in_arena(&arena);
    wacpy_out_lit(&o, "{\"jsonrpc\":\"2.0\",\"id\":");
    wacpy_json_raw(&o, id);
    if (wacpy_json_string_equals(name, "ping")) {
        wacpy_out_lit(&o, ",\"result\":{}}");
    } else {
        wacpy_out_lit(&o, ",\"error\":{\"code\":-32603,\"message\":");
        wacpy_json_string(&o, concat(WACPY_LIT("the server waits for the client's answer to "), method));
        wacpy_out_lit(&o, "}}");
    }
    if (!o.failed) deliver(c, (wacpy_string){o.buf, o.len});
}

/* stdio: read stdin until the answer to `id`. 1 and the message, or 0 and the error in `*ret`. */
static int wait_on_stdin(context *c, wacpy_string id, wacpy_string method, uint64_t deadline, wacpy_string *message,
                         wacpy_mcp_result_string_error *ret) {
    for (;;) {
        wacpy_string line, got_id;
        int read = read_stdin_line(deadline, &line);
        if (read <= 0) {
            if (read < 0) ret->val.err = error_of(-32603, concat(WACPY_LIT("the client closed stdin before it answered "), method));
            return 0;
        }
        if (!wacpy_json_valid(line) || wacpy_json_kind(line) != '{') continue;
        wacpy_string named;
        if (wacpy_json_get(line, "id", &got_id) && !wacpy_json_get(line, "method", &named)) { /* an answer */
            uint8_t *text = (uint8_t *)wacpy_arena_alloc(&arena, got_id.len, 1);
            int lone;
            if (wacpy_json_kind(got_id) == '"' &&
                wacpy_string_eq((wacpy_string){text, wacpy_json_unescape(got_id, text, &lone)}, id)) {
                *message = line;
                return 1;
            }
            continue; /* a late answer to an earlier request */
        }
        answer_meanwhile(c, line, method);
    }
}

/* The `ClientCapabilities` object naming what a request to the client needs. */
static wacpy_string required_capabilities(wacpy_mcp_context_factory_client_capabilities needed) {
    if (needed == WACPY_MCP_CONTEXT_FACTORY_CLIENT_CAPABILITIES_SAMPLING) return WACPY_LIT("{\"requiredCapabilities\":{\"sampling\":{}}}");
    if (needed == WACPY_MCP_CONTEXT_FACTORY_CLIENT_CAPABILITIES_ROOTS) return WACPY_LIT("{\"requiredCapabilities\":{\"roots\":{}}}");
    if (needed == WACPY_MCP_CONTEXT_FACTORY_CLIENT_CAPABILITIES_ELICITATION_URL)
        return WACPY_LIT("{\"requiredCapabilities\":{\"elicitation\":{\"url\":{}}}}");
    return WACPY_LIT("{\"requiredCapabilities\":{\"elicitation\":{\"form\":{}}}}");
}

/* -- multi round-trip input (MCP 2026-07-28, SEP-2322) ----------------------------------------
 *
 * A 2026 request cannot wait for the client. When a tool asks (`request`), the answer comes from
 * the retry's `inputResponses` or from the answers an earlier round sealed into `requestState`;
 * when there is none, the request is recorded and the tool gets INPUT_REQUIRED, which it passes on
 * as its error; `finish` then hands the transport an InputRequiredResult with every request the
 * run recorded and a new `requestState` sealing the answers it used. The retry runs the tool again
 * from the start with those answers: a tool's code is the same for both revisions.
 *
 * `requestState` is base64url(nonce[24] mac[16] ciphertext): XChaCha20-Poly1305 (Monocypher) of
 * `{"exp":<unix seconds>,"answers":{...}}` under WACPY_STATE_KEY, with the request's subject (its
 * method, name or URI and arguments) as associated data, so a state minted for one request does not
 * open for another, and any changed byte fails. */

#define INPUT_REQUIRED (-32090) /* internal: the transport answers InputRequiredResult instead */
#define INPUT_KEY_META "wacpy/input-key"
#define DEFAULT_STATE_TTL 600u /* seconds */
#define MAX_STATE 262144u

typedef struct {
    uint8_t *p;
    uint32_t len, cap;
} heap_buf;

struct retry {
    heap_buf subject, responses, state; /* as set-retry gave them */
    heap_buf request_id, task;          /* the request's JSON-RPC id; the task a resumed run is */
    heap_buf asked;                     /* `"key":{"method":...,"params":...}` members */
    heap_buf answers;                   /* `"key":answer` members of answers used */
    heap_buf opened;                    /* the answers object the state sealed */
    uint32_t requests;                  /* requests made, for keys of requests that name none */
    uint8_t has_state;                  /* the retry carries a requestState (maybe an empty one) */
};

static void heap_put(heap_buf *b, const void *data, uint32_t n) {
    if (b->len + n > b->cap) {
        uint32_t cap = (b->len + n) * 2 + 64;
        uint8_t *grown = (uint8_t *)wacpy_heap_alloc(cap);
        if (b->len) __builtin_memcpy(grown, b->p, b->len);
        if (b->p) wacpy_heap_free(b->p);
        b->p = grown;
        b->cap = cap;
    }
    if (n) __builtin_memcpy(b->p + b->len, data, n);
    b->len += n;
}
static void heap_str(heap_buf *b, wacpy_string s) { heap_put(b, s.ptr, (uint32_t)s.len); }
static wacpy_string heap_view(const heap_buf *b) { return (wacpy_string){b->p, b->len}; }
static void heap_drop(heap_buf *b) {
    if (b->p) wacpy_heap_free(b->p);
    *b = (heap_buf){0, 0, 0};
}

static void retry_free(context *c) {
    if (!c->retry) return;
    heap_drop(&c->retry->subject), heap_drop(&c->retry->responses), heap_drop(&c->retry->state);
    heap_drop(&c->retry->asked), heap_drop(&c->retry->answers), heap_drop(&c->retry->opened);
    heap_drop(&c->retry->request_id), heap_drop(&c->retry->task);
    wacpy_heap_free(c->retry);
    c->retry = 0;
}



/* WACPY_STATE_KEY (64 hex digits) and WACPY_STATE_TTL (seconds), read once per instance. */
static uint8_t state_key[32];
static int state_key_read; /* 0 unread, 1 good, -1 absent, -2 malformed */
static uint64_t state_ttl = DEFAULT_STATE_TTL;

static int hex_digit(uint8_t c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

static int read_state_key(void) {
    if (state_key_read) return state_key_read;
    state_key_read = -1;
    wacpy_list_tuple2_string_string env;
    wasi_cli_environment_get_environment(&env);
    for (size_t i = 0; i < env.len; i++) {
        wacpy_string name = env.ptr[i].f0, value = env.ptr[i].f1;
        if (wacpy_string_eq(name, WACPY_LIT("WACPY_STATE_TTL"))) wacpy_positive_decimal(value, 86400u * 30, &state_ttl);
        if (!wacpy_string_eq(name, WACPY_LIT("WACPY_STATE_KEY"))) continue;
        state_key_read = value.len == 64 ? 1 : -2;
        for (size_t j = 0; state_key_read == 1 && j < 32; j++) {
            int hi = hex_digit(value.ptr[2 * j]), lo = hex_digit(value.ptr[2 * j + 1]);
            if (hi < 0 || lo < 0) state_key_read = -2;
            else state_key[j] = (uint8_t)(hi << 4 | lo);
        }
    }
    return state_key_read;
}

static const wacpy_string NO_STATE_KEY = WACPY_LIT(
    "Asking a 2026-07-28 client for input needs WACPY_STATE_KEY in the server's environment: 32 random bytes as "
    "64 hex digits (e.g. wasmtime serve --env WACPY_STATE_KEY=$(openssl rand -hex 32))");

static const char B64URL[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

static wacpy_string base64url(const uint8_t *data, size_t n) {
    uint8_t *out = (uint8_t *)wacpy_arena_alloc(&arena, (n + 2) / 3 * 4 + 1, 1);
    size_t len = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t v = (uint32_t)data[i] << 16 | (i + 1 < n ? (uint32_t)data[i + 1] << 8 : 0) | (i + 2 < n ? data[i + 2] : 0);
        size_t digits = i + 2 < n ? 4 : i + 1 < n ? 3 : 2;
        for (size_t d = 0; d < digits; d++) out[len++] = (uint8_t)B64URL[v >> (18 - 6 * d) & 63];
    }
    return (wacpy_string){out, len};
}

/* 0 when `text` is not canonical unpadded base64url (wacpy_base64url.h). */
static int unbase64url(wacpy_string text, uint8_t **data, size_t *n) {
    uint8_t *out = (uint8_t *)wacpy_arena_alloc(&arena, text.len / 4 * 3 + 3, 1);
    long got = wacpy_base64url_decode(text.ptr, text.len, out);
    if (got < 0) return 0;
    *data = out;
    *n = (size_t)got;
    return 1;
}

static uint64_t wall_seconds(void) {
    wasi_clocks_wall_clock_datetime now;
    wasi_clocks_wall_clock_now(&now);
    return now.seconds;
}

static wacpy_string decimal(uint64_t v) {
    uint8_t *p = (uint8_t *)wacpy_arena_alloc(&arena, 20, 1);
    size_t at = 20;
    do p[--at] = (uint8_t)('0' + v % 10), v /= 10;
    while (v);
    return (wacpy_string){p + at, 20 - at};
}

/* Open the retry's `requestState` into `opened`: 0, or the error (the state is refused). */
static int open_state(struct retry *r, wacpy_mcp_error *err) {
    if (!r->has_state) return 0;
    if (read_state_key() != 1) return *err = error_of(-32603, NO_STATE_KEY), 1;
    uint8_t *raw;
    size_t n;
    const wacpy_string refused = WACPY_LIT(
        "Invalid params: requestState does not verify (changed, made for another request, or sealed with another key)");
    if (r->state.len > MAX_STATE * 2 || !unbase64url(heap_view(&r->state), &raw, &n) || n < 40)
        return *err = error_of(-32602, refused), 1;
    uint8_t *plain = (uint8_t *)wacpy_arena_alloc(&arena, n - 40 + 1, 1);
    if (crypto_aead_unlock(plain, raw + 24, state_key, raw, r->subject.p, r->subject.len, raw + 40, n - 40))
        return *err = error_of(-32602, refused), 1;
    wacpy_string text = {plain, n - 40}, exp, answers;
    uint64_t expires = 0;
    if (!wacpy_json_valid(text) || !wacpy_json_get(text, "exp", &exp) || !wacpy_positive_decimal(exp, ~0ull, &expires) ||
        !wacpy_json_get(text, "answers", &answers) || wacpy_json_kind(answers) != '{')
        return *err = error_of(-32602, refused), 1;
    if (wall_seconds() > expires)
        return *err = error_of(-32602, WACPY_LIT("Invalid params: requestState has expired (ask again without it)")), 1;
    heap_str(&r->opened, answers);
    return 0;
}

void exports_wacpy_mcp_context_factory_set_retry(context *c, const wacpy_mcp_context_factory_retry_info *info,
                                                 wacpy_mcp_result_void_error *ret) {
    retry_free(c);
    struct retry *r = (struct retry *)wacpy_heap_alloc(sizeof *r);
    __builtin_memset(r, 0, sizeof *r);
    wacpy_out o = wacpy_out_in_arena(&arena);
    if (wacpy_json_minified(&o, info->subject.ptr, info->subject.len)) heap_put(&r->subject, o.buf, (uint32_t)o.len);
    else heap_str(&r->subject, info->subject);
    if (info->input_responses.is_some) heap_str(&r->responses, info->input_responses.val);
    if (info->request_state.is_some) heap_str(&r->state, info->request_state.val);
    r->has_state = info->request_state.is_some;
    heap_str(&r->request_id, info->request_id);
    if (info->task.is_some && info->task.val.len == WACPY_TASK_ID_LEN) {
        heap_str(&r->task, info->task.val);
        __builtin_memcpy(c->task_id, info->task.val.ptr, WACPY_TASK_ID_LEN);
        c->has_task = 1;
    }
    c->retry = r;
    ret->is_err = (uint8_t)open_state(r, &ret->val.err);
}
void exports_wacpy_mcp_context_factory_set_retry_post(wacpy_mcp_result_void_error *ret) {
    (void)ret;
    reset_arena();
}

/* The value under raw key `key` (a JSON string with its quotes) in `object`, compared byte for byte. */
static int raw_member(wacpy_string object, wacpy_string key, wacpy_string *value) {
    if (wacpy_json_kind(object) != '{') return 0;
    wacpy_json_iter it = wacpy_json_iterate(object);
    wacpy_string k, v;
    int found = 0;
    while (wacpy_json_next_member(&it, &k, &v))
        if (wacpy_string_eq(k, key)) *value = v, found = 1;
    return found;
}

/* The key of a request: `_meta["wacpy/input-key"]` of its params, or "input-<n>". */
static wacpy_string input_key(struct retry *r, wacpy_string params) {
    wacpy_string meta, key;
    r->requests++;
    if (wacpy_json_get(params, "_meta", &meta) && wacpy_json_get(meta, INPUT_KEY_META, &key) && wacpy_json_kind(key) == '"')
        return key;
    return concat(concat(WACPY_LIT("\"input-"), decimal(r->requests)), WACPY_LIT("\""));
}

/* `params` without `_meta["wacpy/input-key"]` (and without `_meta` when nothing else is in it): the
 * key names the answer for the server; the client is not told it. */
static wacpy_string without_input_key(wacpy_string params) {
    wacpy_string meta, key;
    if (!wacpy_json_get(params, "_meta", &meta) || !wacpy_json_get(meta, INPUT_KEY_META, &key)) return params;
    wacpy_out o = wacpy_out_in_arena(&arena), kept = wacpy_out_in_arena(&arena);
    wacpy_json_iter it = wacpy_json_iterate(meta);
    wacpy_string k, v;
    while (wacpy_json_next_member(&it, &k, &v)) {
        if (wacpy_string_eq(k, WACPY_LIT("\"" INPUT_KEY_META "\""))) continue;
        wacpy_out_byte(&kept, kept.len ? ',' : '{');
        wacpy_out_str(&kept, k), wacpy_out_byte(&kept, ':'), wacpy_out_str(&kept, v);
    }
    it = wacpy_json_iterate(params);
    wacpy_out_byte(&o, '{');
    int first = 1;
    while (wacpy_json_next_member(&it, &k, &v)) {
        int is_meta = wacpy_string_eq(k, WACPY_LIT("\"_meta\""));
        if (is_meta && !kept.len) continue;
        if (!first) wacpy_out_byte(&o, ',');
        first = 0;
        wacpy_out_str(&o, k), wacpy_out_byte(&o, ':');
        if (is_meta) wacpy_out_str(&o, (wacpy_string){kept.buf, kept.len}), wacpy_out_byte(&o, '}');
        else wacpy_out_str(&o, v);
    }
    wacpy_out_byte(&o, '}');
    return o.failed ? params : (wacpy_string){o.buf, o.len};
}

static void add_member(heap_buf *b, wacpy_string key, wacpy_string value) {
    if (b->len) heap_put(b, ",", 1);
    heap_str(b, key);
    heap_put(b, ":", 1);
    heap_str(b, value);
}

/* A 2026-07-28 request to the client: answered from the retry, or recorded for the next round. */
static void stateless_request(context *c, wacpy_string method, wacpy_string params, wacpy_mcp_result_string_error *ret) {
    wacpy_string capability, answer;
    wacpy_mcp_context_factory_client_capabilities needed = needed_capability(method, params, &capability);
    if (needed && !(c->client_capabilities & needed)) {
        ret->val.err = error_of(-32021, concat(WACPY_LIT("Missing required client capability: "), capability));
        ret->val.err.data = (wacpy_option_string){1, required_capabilities(needed)};
        return;
    }
    struct retry *r = c->retry;
    if (!r) {
        ret->val.err = error_of(-32603, concat(WACPY_LIT("Only tools/call, prompts/get and resources/read can ask a "
                                                         "2026-07-28 client for input: "), method));
        return;
    }
    if (!wacpy_json_valid(params) || wacpy_json_kind(params) != '{') {
        ret->val.err = error_of(-32602, WACPY_LIT("the params of a request to the client must be a JSON object"));
        return;
    }
    wacpy_string key = input_key(r, params);
    if (raw_member(heap_view(&r->responses), key, &answer) || raw_member(heap_view(&r->opened), key, &answer)) {
        if (wacpy_json_kind(answer) != '{') {
            ret->val.err = error_of(-32602, concat(concat(WACPY_LIT("Invalid params: inputResponses["), key),
                                                   WACPY_LIT("] must be an object (the client's result)")));
            return;
        }
        add_member(&r->answers, key, answer);
        ret->is_err = 0;
        ret->val.ok = answer;
        return;
    }
    if (!c->has_task && read_state_key() != 1) { /* a task keeps its questions in the store */
        ret->val.err = error_of(-32603, NO_STATE_KEY);
        return;
    }
    wacpy_out o = wacpy_out_in_arena(&arena);
    wacpy_out_lit(&o, "{\"method\":");
    wacpy_json_string(&o, method);
    wacpy_out_lit(&o, ",\"params\":");
    wacpy_out_str(&o, without_input_key(params));
    wacpy_out_byte(&o, '}');
    add_member(&r->asked, key, (wacpy_string){o.buf, o.len});
    ret->val.err = error_of(INPUT_REQUIRED, concat(WACPY_LIT("Input required (the client answers in a retry): "), method));
}

/* `{"resultType":"input_required","inputRequests":{...},"requestState":"..."}` when the run asked. */
static wacpy_option_string input_required_result(context *c) {
    struct retry *r = c->retry;
    if (r && r->asked.len && c->has_task) { /* the task's questions: the transport keeps them */
        wacpy_out o = wacpy_out_in_arena(&arena);
        wacpy_out_lit(&o, "{\"inputRequests\":{");
        wacpy_out_str(&o, heap_view(&r->asked));
        wacpy_out_lit(&o, "}}");
        return (wacpy_option_string){!o.failed, {o.buf, o.len}};
    }
    if (!r || !r->asked.len || read_state_key() != 1) return (wacpy_option_string){0, {0, 0}};
    wacpy_out plain = wacpy_out_in_arena(&arena);
    wacpy_out_lit(&plain, "{\"exp\":");
    wacpy_out_str(&plain, decimal(wall_seconds() + state_ttl));
    wacpy_out_lit(&plain, ",\"answers\":{");
    wacpy_out_str(&plain, heap_view(&r->answers));
    wacpy_out_lit(&plain, "}}");
    size_t n = plain.len;
    uint8_t *sealed = (uint8_t *)wacpy_arena_alloc(&arena, 40 + n, 1);
    wacpy_list_u8 nonce;
    wasi_random_random_get_random_bytes(24, &nonce);
    __builtin_memcpy(sealed, nonce.ptr, 24);
    crypto_aead_lock(sealed + 40, sealed + 24, state_key, sealed, r->subject.p, r->subject.len, plain.buf, n);
    wacpy_out o = wacpy_out_in_arena(&arena);
    wacpy_out_lit(&o, "{\"resultType\":\"input_required\",\"inputRequests\":{");
    wacpy_out_str(&o, heap_view(&r->asked));
    wacpy_out_lit(&o, "},\"requestState\":\"");
    wacpy_out_str(&o, base64url(sealed, 40 + n));
    wacpy_out_lit(&o, "\"}");
    return (wacpy_option_string){!o.failed, {o.buf, o.len}};
}

/* -- the caller (OAuth mode: the transport verified its token) ---------------------------------- */

struct caller_copy {
    heap_buf subject, claims, scopes; /* scopes: each followed by a space */
    uint32_t count;
};

static void caller_free(context *c) {
    if (!c->caller) return;
    heap_drop(&c->caller->subject), heap_drop(&c->caller->claims), heap_drop(&c->caller->scopes);
    wacpy_heap_free(c->caller);
    c->caller = 0;
}

void exports_wacpy_mcp_context_factory_set_caller(context *c, const wacpy_mcp_caller *caller) {
    caller_free(c);
    struct caller_copy *k = (struct caller_copy *)wacpy_heap_alloc(sizeof *k);
    __builtin_memset(k, 0, sizeof *k);
    heap_str(&k->subject, caller->subject);
    heap_str(&k->claims, caller->claims);
    for (size_t i = 0; i < caller->scopes.len; i++) heap_str(&k->scopes, caller->scopes.ptr[i]), heap_put(&k->scopes, " ", 1);
    k->count = (uint32_t)caller->scopes.len;
    c->caller = k;
}
void exports_wacpy_mcp_context_factory_set_caller_post(void) { reset_arena(); }

void exports_wacpy_mcp_context_caller_fn(context *c, wacpy_mcp_option_caller *ret) {
    ret->is_some = c->caller != 0;
    if (!c->caller) return;
    struct caller_copy *k = c->caller;
    wacpy_string *scopes = (wacpy_string *)wacpy_arena_alloc(&arena, sizeof *scopes * (k->count ? k->count : 1), 4);
    uint32_t n = 0, start = 0;
    for (uint32_t i = 0; i < k->scopes.len; i++)
        if (k->scopes.p[i] == ' ') scopes[n++] = (wacpy_string){k->scopes.p + start, i - start}, start = i + 1;
    ret->val = (wacpy_mcp_caller){heap_view(&k->subject), {scopes, n}, heap_view(&k->claims)};
}
void exports_wacpy_mcp_context_caller_fn_post(wacpy_mcp_option_caller *ret) {
    (void)ret;
    reset_arena();
}

/* -- tasks (MCP 2026-07-28 tasks extension, SEP-2663) -------------------------------------------
 *
 * `run-as-task` makes the request's task: its entry in the store first (wacpy_tasks.h), so a
 * `tasks/get` right after the answer finds it, then the answer, a CreateTaskResult, sent now. The
 * tool goes on running after it; the transport settles the task with what the tool returns. */

static const wacpy_string TASKS_REQUIRED =
    WACPY_LIT("{\"requiredCapabilities\":{\"extensions\":{\"" WACPY_TASKS_EXTENSION "\":{}}}}");

/* Answer the request now with the whole JSON-RPC response `json`: a plain JSON response when
 * nothing was streamed yet, else the stream's last event. Nothing reaches the client after it. */
static void answer_now(context *c, wacpy_string json) {
    if (c->sink.tag == WACPY_MCP_CONTEXT_FACTORY_SINK_PENDING) {
        wacpy_http_answer_json(c->sink.val.pending, json);
    } else {
        deliver(c, json);
        if (c->sink.tag == WACPY_MCP_CONTEXT_FACTORY_SINK_STARTED) close_response(c);
    }
    c->sink.tag = WACPY_MCP_CONTEXT_FACTORY_SINK_NONE;
    c->broken = 1; /* notifications of the rest of the run go nowhere */
}

/* Why the request cannot become a task (with the error code and data to fail with), or NULL. */
static const char *no_task(context *c, int32_t *code, wacpy_option_string *data) {
    const wacpy_string tools_call = WACPY_LIT("[\"tools/call\",");
    struct retry *r = c->retry;
    *code = -32603;
    if (!r || !is_stateless(c) || r->subject.len < tools_call.len ||
        !wacpy_string_eq((wacpy_string){r->subject.p, tools_call.len}, tools_call))
        return "Only a 2026-07-28 tools/call can run as a task";
    if (!(c->client_capabilities & WACPY_MCP_CONTEXT_FACTORY_CLIENT_CAPABILITIES_TASKS)) {
        *code = -32021;
        *data = (wacpy_option_string){1, TASKS_REQUIRED};
        return "Missing required client capability: extensions." WACPY_TASKS_EXTENSION;
    }
    if (!wacpy_mcp_store_available()) return "Tasks need a store: compose the server with one (e.g. --store filesystem)";
    if (c->sink.tag != WACPY_MCP_CONTEXT_FACTORY_SINK_PENDING && c->sink.tag != WACPY_MCP_CONTEXT_FACTORY_SINK_STARTED)
        return "This request cannot be answered before it ends (its client does not take an event stream)";
    return 0;
}

/* The task's entry: the DetailedTask of a working task and the private members. */
static wacpy_string task_entry(context *c, wacpy_string id, uint64_t now) {
    wacpy_out o = wacpy_out_in_arena(&arena);
    wacpy_out_byte(&o, '{');
    wacpy_task_head(&o, id, "working", now, now);
    wacpy_out_lit(&o, ",\"wacpy/created\":");
    wacpy_json_u64(&o, now);
    wacpy_out_lit(&o, ",\"wacpy/subject\":");
    wacpy_out_str(&o, heap_view(&c->retry->subject));
    wacpy_out_lit(&o, ",\"wacpy/caps\":");
    wacpy_json_u64(&o, c->client_capabilities);
    wacpy_out_lit(&o, ",\"wacpy/answers\":{");
    wacpy_out_str(&o, heap_view(&c->retry->answers));
    wacpy_out_byte(&o, '}');
    if (c->caller) { /* OAuth mode: the task is its caller's alone, and a resumed run is theirs */
        wacpy_out_lit(&o, ",\"wacpy/owner\":");
        wacpy_json_string(&o, heap_view(&c->caller->subject));
        wacpy_out_lit(&o, ",\"wacpy/scopes\":");
        wacpy_json_string(&o, heap_view(&c->caller->scopes));
        wacpy_out_lit(&o, ",\"wacpy/claims\":");
        wacpy_out_str(&o, heap_view(&c->caller->claims));
    }
    wacpy_out_byte(&o, '}');
    return (wacpy_string){o.buf, o.failed ? 0 : o.len};
}

void exports_wacpy_mcp_context_run_as_task(context *c, uint8_t required, wacpy_mcp_result_bool_error *ret) {
    ret->is_err = 0;
    ret->val.ok = c->has_task; /* a resumed run is a task already */
    if (c->has_task) return;
    int32_t code;
    wacpy_option_string data = {0, {0, 0}};
    const char *why = no_task(c, &code, &data);
    if (why) {
        if (required) {
            ret->is_err = 1;
            size_t n = 0;
            while (why[n]) n++;
            ret->val.err = error_of(code, (wacpy_string){(const uint8_t *)why, n});
            ret->val.err.data = data;
        }
        return;
    }
    wacpy_list_u8 random;
    wasi_random_random_get_random_bytes(WACPY_TASK_ID_LEN / 2, &random);
    wacpy_hex(c->task_id, random.ptr, WACPY_TASK_ID_LEN / 2);
    wacpy_string id = {c->task_id, WACPY_TASK_ID_LEN};
    uint64_t now = wall_seconds();
    wacpy_mcp_result_void_store_store_error done;
    wacpy_mcp_store_create_scope(WACPY_LIT(WACPY_TASKS_SCOPE), &done);
    wacpy_string entry = task_entry(c, id, now);
    if (!done.is_err) wacpy_mcp_store_set(WACPY_LIT(WACPY_TASKS_SCOPE), id, (wacpy_list_u8){(uint8_t *)entry.ptr, entry.len}, &done);
    if (done.is_err) {
        ret->is_err = 1;
        ret->val.err = store_failure(&done.val.err);
        return;
    }
    wacpy_out o = wacpy_out_in_arena(&arena);
    wacpy_out_lit(&o, "{\"jsonrpc\":\"2.0\",\"id\":");
    wacpy_out_str(&o, heap_view(&c->retry->request_id));
    wacpy_out_lit(&o, ",\"result\":{\"resultType\":\"task\",");
    wacpy_task_head(&o, id, "working", now, now);
    wacpy_out_lit(&o, "}}");
    answer_now(c, (wacpy_string){o.buf, o.len});
    c->has_task = 1;
    ret->val.ok = 1;
}
void exports_wacpy_mcp_context_run_as_task_post(wacpy_mcp_result_bool_error *ret) {
    (void)ret;
    reset_arena();
}

void exports_wacpy_mcp_context_request(context *c, wacpy_string method, wacpy_string params,
                                       wacpy_mcp_result_string_error *ret) {
    wacpy_string capability, message;
    ret->is_err = 1;
    if (is_stateless(c)) {
        stateless_request(c, method, params, ret);
        return;
    }
    if (!has_session(c)) {
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
    wacpy_string id = request_id(), pending = concat(WACPY_LIT("pending."), id);
    store_done done;
    if (!is_stdio(c)) {
        wacpy_mcp_store_set(c->session_id.val, pending, (wacpy_list_u8){(uint8_t *)method.ptr, method.len}, &done);
        if (done.is_err) {
            ret->val.err = store_failure(&done.val.err);
            return;
        }
    }
    uint64_t deadline = wasi_clocks_monotonic_clock_now() + answer_timeout() * 1000000000ull;
    ret->val.err = error_of(-32001, concat(WACPY_LIT("the client did not answer in time: "), method));
    params = without_input_key(params);
    if (send_request(c, id, method, params, 0)) {
        ret->val.err = error_of(-32603, WACPY_LIT("the request could not be sent: the client's stream is closed"));
    } else if (is_stdio(c) ? wait_on_stdin(c, id, method, deadline, &message, ret)
                           : wait_in_store(c, id, deadline, &message, ret)) {
        take_answer(message, ret);
    } else if (ret->val.err.code == -32001) {
        send_request(c, id, method, params, 1);
    }
    if (!is_stdio(c)) { /* in this order: an answer stored once `pending` is gone is removed by its storer */
        wacpy_mcp_store_delete(c->session_id.val, pending, &done);
        wacpy_mcp_store_delete(c->session_id.val, concat(WACPY_LIT("answer."), id), &done);
    }
}
void exports_wacpy_mcp_context_request_post(wacpy_mcp_result_string_error *ret) {
    (void)ret;
    reset_arena();
}

/* -- streams and notifications to every session ----------------------------------------------- */

void exports_wacpy_mcp_context_close_stream(context *c) {
    if (!c->session_id.is_some || c->framing != WACPY_MCP_CONTEXT_FACTORY_FRAMING_SSE || c->broken ||
        c->sink.tag == WACPY_MCP_CONTEXT_FACTORY_SINK_CLOSED)
        return;
    if (open_stream(c) >= 0 && c->sink.tag == WACPY_MCP_CONTEXT_FACTORY_SINK_STARTED) close_response(c);
}
void exports_wacpy_mcp_context_close_stream_post(void) { reset_arena(); }

/* Queue `json` for session `session`'s standalone stream (at most WACPY_OUTBOX_LIMIT wait there). */
static void post_to(wacpy_string session, wacpy_string json) {
    got_keys keys;
    size_t waiting = 0;
    wacpy_mcp_store_keys(session, &keys);
    if (keys.is_err) return;
    for (size_t i = 0; i < keys.val.ok.len; i++) waiting += wacpy_starts_with(keys.val.ok.ptr[i], WACPY_LIT("out."));
    if (waiting >= WACPY_OUTBOX_LIMIT) return;
    /* keys in the order of posting (microseconds of the wall clock, then 12 random bits), so the
     * stream delivers notifications in order */
    uint8_t key[20];
    wasi_clocks_wall_clock_datetime now;
    wasi_clocks_wall_clock_now(&now);
    uint64_t micros = now.seconds * 1000000u + now.nanoseconds / 1000u;
    __builtin_memcpy(key, "out.", 4);
    wacpy_hex_u64(key + 4, micros << 12 | (wasi_random_random_get_random_u64() & 0xfff));
    store_done done;
    wacpy_mcp_store_set(session, (wacpy_string){key, sizeof key}, (wacpy_list_u8){(uint8_t *)json.ptr, json.len}, &done);
}

/* Post `json` to every live session that has entry `key` (any session when `key` is empty) and
 * every `subscriptions/listen` stream that has entry `wanted` (it asked for these notifications);
 * one whose record is gone leaves the registry. */
static void post_to_sessions(wacpy_string key, wacpy_string wanted, wacpy_string json) {
    const wacpy_string scope = WACPY_LIT(WACPY_SESSIONS_SCOPE);
    got_keys sessions;
    store_done done;
    wacpy_mcp_store_keys(scope, &sessions);
    if (sessions.is_err) return;
    for (size_t i = 0; i < sessions.val.ok.len; i++) {
        wacpy_string session = sessions.val.ok.ptr[i];
        got_entry record, entry;
        wacpy_mcp_store_get(session, WACPY_LIT("session"), &record);
        if (!record.is_err && !record.val.ok.is_some) {
            wacpy_mcp_store_delete(scope, session, &done);
            continue;
        }
        wacpy_list_u8 r = record.is_err ? (wacpy_list_u8){0, 0} : record.val.ok.val.value;
        int listener = wacpy_string_eq((wacpy_string){r.ptr, r.len}, WACPY_LIT(WACPY_LISTENER_RECORD));
        wacpy_string needed = listener ? wanted : key;
        if (needed.len) {
            wacpy_mcp_store_get(session, needed, &entry);
            if (entry.is_err || !entry.val.ok.is_some) continue;
        }
        post_to(session, json);
    }
}

void exports_wacpy_mcp_context_resource_updated(context *c, wacpy_string uri) {
    uint8_t key[28];
    wacpy_out o = wacpy_out_in_arena(&arena);
    wacpy_out_lit(&o, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/resources/updated\",\"params\":{\"uri\":");
    wacpy_json_string(&o, uri);
    wacpy_out_lit(&o, "}}");
    if (o.failed) return;
    wacpy_string json = {o.buf, o.len};
    if (is_stdio(c)) { /* the transport keeps the subscription as the value `wacpy/sub.<hash>` */
        __builtin_memcpy(key, "v.wacpy/", 8);
        wacpy_subscription_key(key + 8, uri);
        if (*memory_find((wacpy_string){key, sizeof key})) deliver(c, json);
    } else if (wacpy_mcp_store_available()) {
        wacpy_subscription_key(key, uri);
        post_to_sessions((wacpy_string){key, 20}, (wacpy_string){key, 20}, json);
    }
}
void exports_wacpy_mcp_context_resource_updated_post(void) { reset_arena(); }

void exports_wacpy_mcp_context_list_changed(context *c, wacpy_mcp_listing which) {
    static const wacpy_string methods[] = {
        WACPY_LIT("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/tools/list_changed\"}"),
        WACPY_LIT("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/resources/list_changed\"}"),
        WACPY_LIT("{\"jsonrpc\":\"2.0\",\"method\":\"notifications/prompts/list_changed\"}"),
    };
    static const wacpy_string wanted[] = {WACPY_LIT("lc.tools"), WACPY_LIT("lc.resources"), WACPY_LIT("lc.prompts")};
    if (which > WACPY_MCP_LISTING_PROMPTS) return;
    if (is_stdio(c)) deliver(c, methods[which]); /* the one client is right there */
    else if (wacpy_mcp_store_available()) post_to_sessions((wacpy_string){0, 0}, wanted[which], methods[which]);
}
void exports_wacpy_mcp_context_list_changed_post(void) { reset_arena(); }

#pragma clang attribute pop
