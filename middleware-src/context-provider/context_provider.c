/* context-provider (wit/mcp.wit): the `context` resource of a request and its factory.
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
#include "wacpy_alloc.h"
#include "wacpy_json.h"
#include "wacpy_mcp_types.h"
#include "wacpy_wasi_http.h"
#include "wacpy_wasi_io.h"

#define CONTEXT_IFACE WACPY_MCP_IFACE("context")
#define METHOD(name) WACPY_EXPORT(CONTEXT_IFACE "#[method]context." name)
#define METHOD_POST(name) WACPY_EXPORT("cabi_post_" CONTEXT_IFACE "#[method]context." name)
#define FACTORY(name) WACPY_EXPORT(WACPY_MCP_IFACE("context-factory") "#" name)
#define FACTORY_POST(name) WACPY_EXPORT("cabi_post_" WACPY_MCP_IFACE("context-factory") "#" name)

typedef struct context {
    wacpy_string protocol_version;
    wacpy_option_string session_id;
    wacpy_option_string progress_token;
    wacpy_option_u8 log_level;
    uint8_t framing;
    uint8_t broken;
    wacpy_sink sink;
} context;

WACPY_IMPORT("[export]" CONTEXT_IFACE, "[resource-new]context") extern int32_t context_new(context *rep);
WACPY_IMPORT("[export]" CONTEXT_IFACE, "[resource-rep]context") extern context *context_rep(int32_t handle);
WACPY_IMPORT("[export]" CONTEXT_IFACE, "[resource-drop]context") extern void context_drop(int32_t handle);

static wacpy_arena arena;
WACPY_RETAREA(ret, 32);

WACPY_EXPORT("cabi_realloc")
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    return wacpy_arena_realloc(&arena, old, old_size, align, new_size);
}

static void reset_arena(void) { wacpy_arena_reset(&arena); }

/* -- the factory ---------------------------------------------------------------------------- */

/* Copy `len` bytes to `*tail` and advance it. */
static wacpy_string keep(uint8_t **tail, wacpy_ptr ptr, size_t len) {
    wacpy_string s = {*tail, len};
    __builtin_memcpy(*tail, ptr, len);
    *tail += len;
    return s;
}

FACTORY("create")
int32_t factory_create(wacpy_ptr pv, size_t pv_len, uint32_t sid_is_some, wacpy_ptr sid, size_t sid_len,
                       uint32_t token_is_some, wacpy_ptr token, size_t token_len, uint32_t level_is_some,
                       uint32_t level, uint32_t sink_tag, int32_t sink_a, int32_t sink_b, uint32_t framing) {
    if (!sid_is_some) sid_len = 0;
    if (!token_is_some) token_len = 0;
    context *c = (context *)wacpy_heap_alloc(sizeof(context) + pv_len + sid_len + token_len);
    uint8_t *tail = (uint8_t *)(c + 1);
    c->protocol_version = keep(&tail, pv, pv_len);
    c->session_id = (wacpy_option_string){(uint8_t)sid_is_some, keep(&tail, sid, sid_len)};
    c->progress_token = (wacpy_option_string){(uint8_t)token_is_some, keep(&tail, token, token_len)};
    c->log_level = (wacpy_option_u8){(uint8_t)level_is_some, (uint8_t)level};
    c->framing = (uint8_t)framing;
    c->broken = 0;
    c->sink = (wacpy_sink){(uint8_t)sink_tag, sink_a, sink_b};
    return context_new(c);
}
FACTORY_POST("create") void factory_create_post(int32_t result) {
    (void)result;
    reset_arena();
}

FACTORY("finish")
void *factory_finish(int32_t handle) {
    context *c = context_rep(handle);
    *(wacpy_sink *)ret = c->sink;
    c->sink.tag = WACPY_SINK_NONE; /* the sink leaves with the result: the destructor must not drop it */
    context_drop(handle);
    return ret;
}
FACTORY_POST("finish") void factory_finish_post(void *result) {
    (void)result;
    reset_arena();
}

WACPY_EXPORT(CONTEXT_IFACE "#[dtor]context")
void context_dtor(context *c) {
    switch (c->sink.tag) {
    case WACPY_SINK_STREAM: wacpy_output_stream_drop(c->sink.a); break;
    case WACPY_SINK_PENDING: wacpy_response_outparam_drop(c->sink.a); break;
    case WACPY_SINK_STARTED:
        wacpy_output_stream_drop(c->sink.b); /* the stream is the body's child: it goes first */
        wacpy_outgoing_body_drop(c->sink.a);
        break;
    }
    wacpy_heap_free(c);
}

/* -- the context ---------------------------------------------------------------------------- */

METHOD("protocol-version") void *context_protocol_version(context *c) {
    *(wacpy_string *)ret = c->protocol_version;
    return ret;
}
METHOD_POST("protocol-version") void context_protocol_version_post(void *result) {
    (void)result;
    reset_arena();
}

METHOD("session-id") void *context_session_id(context *c) {
    *(wacpy_option_string *)ret = c->session_id;
    return ret;
}
METHOD_POST("session-id") void context_session_id_post(void *result) {
    (void)result;
    reset_arena();
}

static uint8_t send_buffer[WACPY_STREAM_CHUNK];

/* The stream notifications go to, starting a pending HTTP response first; -1 when there is none. */
static int32_t open_stream(context *c) {
    if (c->sink.tag == WACPY_SINK_PENDING) {
        int32_t body, stream;
        if (wacpy_http_start_events(c->sink.a, &body, &stream) != 0) {
            c->sink.tag = WACPY_SINK_NONE;
            return -1;
        }
        c->sink = (wacpy_sink){WACPY_SINK_STARTED, body, stream};
    }
    if (c->sink.tag == WACPY_SINK_STREAM) return c->sink.a;
    return c->sink.tag == WACPY_SINK_STARTED ? c->sink.b : -1;
}

/* A writer for one notification to the sink, or 0 when nothing is to be written. */
static int begin_message(context *c, wacpy_out *o) {
    if (c->broken || c->framing == WACPY_FRAMING_NONE) return 0;
    int32_t stream = open_stream(c);
    if (stream < 0) return 0;
    *o = (wacpy_out){send_buffer, 0, sizeof send_buffer, wacpy_out_to_stream, (void *)(intptr_t)stream, 0};
    if (c->framing == WACPY_FRAMING_SSE) wacpy_out_lit(o, "event: message\ndata: ");
    wacpy_out_lit(o, "{\"jsonrpc\":\"2.0\",\"method\":");
    return 1;
}

static void end_message(context *c, wacpy_out *o) {
    if (c->framing == WACPY_FRAMING_SSE)
        wacpy_out_lit(o, "}\n\n");
    else
        wacpy_out_lit(o, "}\n");
    if (wacpy_out_flush(o) != 0) c->broken = 1;
}

static const wacpy_string level_names[] = {
    WACPY_LIT("\"debug\""), WACPY_LIT("\"info\""),  WACPY_LIT("\"notice\""),   WACPY_LIT("\"warning\""),
    WACPY_LIT("\"error\""), WACPY_LIT("\"critical\""), WACPY_LIT("\"alert\""), WACPY_LIT("\"emergency\""),
};

METHOD("log")
void context_log(context *c, uint32_t level, uint32_t logger_is_some, wacpy_ptr logger, size_t logger_len,
                 wacpy_ptr data, size_t data_len) {
    wacpy_out o;
    if (level > WACPY_LOG_EMERGENCY || (c->log_level.is_some && level < c->log_level.val)) return;
    if (!begin_message(c, &o)) return;
    wacpy_out_lit(&o, "\"notifications/message\",\"params\":{\"level\":");
    wacpy_out_str(&o, level_names[level]);
    if (logger_is_some) {
        wacpy_out_lit(&o, ",\"logger\":");
        wacpy_json_string(&o, (wacpy_string){logger, logger_len});
    }
    wacpy_out_lit(&o, ",\"data\":");
    wacpy_json_raw(&o, (wacpy_string){data, data_len});
    wacpy_out_byte(&o, '}');
    end_message(c, &o);
}
METHOD_POST("log") void context_log_post(void) { reset_arena(); }

METHOD("progress")
void context_progress(context *c, double progress, uint32_t total_is_some, double total, uint32_t message_is_some,
                      wacpy_ptr message, size_t message_len) {
    wacpy_out o;
    if (!c->progress_token.is_some || !begin_message(c, &o)) return;
    wacpy_out_lit(&o, "\"notifications/progress\",\"params\":{\"progressToken\":");
    wacpy_json_raw(&o, c->progress_token.val);
    wacpy_out_lit(&o, ",\"progress\":");
    wacpy_json_f64(&o, progress);
    if (total_is_some) {
        wacpy_out_lit(&o, ",\"total\":");
        wacpy_json_f64(&o, total);
    }
    if (message_is_some) {
        wacpy_out_lit(&o, ",\"message\":");
        wacpy_json_string(&o, (wacpy_string){message, message_len});
    }
    wacpy_out_byte(&o, '}');
    end_message(c, &o);
}
METHOD_POST("progress") void context_progress_post(void) { reset_arena(); }

METHOD("notify")
void context_notify(context *c, wacpy_ptr method, size_t method_len, uint32_t params_is_some, wacpy_ptr params,
                    size_t params_len) {
    wacpy_out o;
    if (!begin_message(c, &o)) return;
    wacpy_json_string(&o, (wacpy_string){method, method_len});
    if (params_is_some) {
        wacpy_out_lit(&o, ",\"params\":");
        wacpy_json_raw(&o, (wacpy_string){params, params_len});
    }
    end_message(c, &o);
}
METHOD_POST("notify") void context_notify_post(void) { reset_arena(); }

METHOD("request")
void *context_request(context *c, wacpy_ptr method, size_t method_len, wacpy_ptr params, size_t params_len) {
    (void)c, (void)params, (void)params_len;
    wacpy_string prefix = WACPY_LIT("Requests to the client need a session (not supported yet): ");
    uint8_t *text = (uint8_t *)wacpy_arena_alloc(&arena, prefix.len + method_len, 1);
    __builtin_memcpy(text, prefix.ptr, prefix.len);
    __builtin_memcpy(text + prefix.len, method, method_len);
    wacpy_result_json *r = (wacpy_result_json *)ret;
    r->is_err = 1;
    r->val.err = (wacpy_mcp_error){-32601, {text, prefix.len + method_len}, {0, {0, 0}}};
    return ret;
}
METHOD_POST("request") void context_request_post(void *result) {
    (void)result;
    reset_arena();
}
