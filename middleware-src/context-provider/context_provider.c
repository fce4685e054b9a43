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
#include "wacpy_wasi_http.h"
#include "wacpy_wasi_io.h"

typedef wacpy_mcp_context_factory_sink sink;

struct wacpy_mcp_context_rep {
    wacpy_string protocol_version;
    wacpy_option_string session_id;
    wacpy_option_string progress_token;
    wacpy_mcp_option_log_level log_level;
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

void exports_wacpy_mcp_context_request(context *c, wacpy_string method, wacpy_string params,
                                       wacpy_mcp_result_string_error *ret) {
    (void)c, (void)params;
    wacpy_string prefix = WACPY_LIT("Requests to the client need a session (not supported yet): ");
    uint8_t *text = (uint8_t *)wacpy_arena_alloc(&arena, prefix.len + method.len, 1);
    __builtin_memcpy(text, prefix.ptr, prefix.len);
    __builtin_memcpy(text + prefix.len, method.ptr, method.len);
    ret->is_err = 1;
    ret->val.err = (wacpy_mcp_error){-32601, {text, prefix.len + method.len}, {0, {0, 0}}};
}
void exports_wacpy_mcp_context_request_post(wacpy_mcp_result_string_error *ret) {
    (void)ret;
    reset_arena();
}
