/* The `driver` world of fixtures.wit: one context of the context provider, held between calls, with
 * stdout as its sink. Each export forwards its flattened parameters to the matching import. */
#include "wacpy_alloc.h"
#include "wacpy_mcp_imports.h"
#include "wacpy_wasi_io.h"

WACPY_IMPORT("wasi:cli/stdout@0.2.12", "get-stdout") extern int32_t get_stdout(void);

static wacpy_arena arena;
static int32_t ctx = -1;
WACPY_RETAREA(ret, 32);

WACPY_EXPORT("cabi_realloc")
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    return wacpy_arena_realloc(&arena, old, old_size, align, new_size);
}

#define POST(name) \
    WACPY_EXPORT("cabi_post_" #name) void post_##name(void) { wacpy_arena_reset(&arena); }
#define POST_RESULT(name, export)                                              \
    WACPY_EXPORT("cabi_post_" export) void post_##name(void *result) { \
        (void)result;                                                          \
        wacpy_arena_reset(&arena);                                             \
    }

static int32_t context(void) {
    if (ctx < 0) __builtin_trap();
    return ctx;
}

WACPY_EXPORT("open")
void driver_open(wacpy_ptr pv, size_t pv_len, uint32_t sid_is_some, wacpy_ptr sid, size_t sid_len, uint32_t token_is_some,
          wacpy_ptr token, size_t token_len, uint32_t level_is_some, uint32_t level, uint32_t client_capabilities,
          uint32_t framing, uint32_t sink) {
    if (ctx >= 0) __builtin_trap();
    ctx = wacpy_context_factory_create(pv, pv_len, sid_is_some, sid, sid_len, token_is_some, token, token_len,
                                       level_is_some, level, client_capabilities, sink ? WACPY_SINK_STREAM : WACPY_SINK_NONE,
                                       sink ? get_stdout() : 0, 0, framing);
}
POST(open)

WACPY_EXPORT("protocol-version") void *driver_protocol_version(void) {
    wacpy_context_protocol_version(context(), ret);
    return ret;
}
POST_RESULT(protocol_version, "protocol-version")

WACPY_EXPORT("session-id") void *driver_session_id(void) {
    wacpy_context_session_id(context(), ret);
    return ret;
}
POST_RESULT(session_id, "session-id")

WACPY_EXPORT("log")
void driver_log(uint32_t level, uint32_t logger_is_some, wacpy_ptr logger, size_t logger_len, wacpy_ptr data,
         size_t data_len) {
    wacpy_context_log(context(), level, logger_is_some, logger, logger_len, data, data_len);
}
POST(log)

WACPY_EXPORT("progress")
void driver_progress(double progress, uint32_t total_is_some, double total, uint32_t message_is_some, wacpy_ptr message,
              size_t message_len) {
    wacpy_context_progress(context(), progress, total_is_some, total, message_is_some, message, message_len);
}
POST(progress)

WACPY_EXPORT("notify")
void driver_notify(wacpy_ptr method, size_t method_len, uint32_t params_is_some, wacpy_ptr params, size_t params_len) {
    wacpy_context_notify(context(), method, method_len, params_is_some, params, params_len);
}
POST(notify)

WACPY_EXPORT("request")
void *driver_request(wacpy_ptr method, size_t method_len, wacpy_ptr params, size_t params_len) {
    wacpy_context_request(context(), method, method_len, params, params_len, ret);
    return ret;
}
POST_RESULT(request, "request")

WACPY_EXPORT("close") uint32_t driver_close(void) {
    wacpy_finished done;
    wacpy_context_factory_finish(context(), &done);
    ctx = -1;
    if (done.sink.tag == WACPY_SINK_STREAM) wacpy_output_stream_drop(done.sink.a);
    return done.sink.tag != WACPY_SINK_NONE;
}
POST_RESULT(close, "close")
