/* wasi:http/types@0.2.12 from freestanding C: what it takes to start a response and stream its
 * body (the context provider starts an SSE response when a request's first notification is
 * written).
 *
 * Order matters: the body is taken from the response before `response-outparam.set` hands the
 * response to the host, and written after it; the stream (a child of the body) is dropped before
 * the body is finished.
 */
#ifndef WACPY_WASI_HTTP_H
#define WACPY_WASI_HTTP_H

#include "wacpy_cabi.h"

#define WACPY_WASI_HTTP "wasi:http/types@0.2.12"

WACPY_IMPORT(WACPY_WASI_HTTP, "[constructor]fields") extern int32_t wacpy_fields_new(void);
/* `result<_, header-error>`: 2 bytes. */
WACPY_IMPORT(WACPY_WASI_HTTP, "[method]fields.append")
extern void wacpy_fields_append(int32_t self, const uint8_t *name, size_t name_len, const uint8_t *value,
                                size_t value_len, void *ret);
WACPY_IMPORT(WACPY_WASI_HTTP, "[constructor]outgoing-response")
extern int32_t wacpy_outgoing_response_new(int32_t headers);
WACPY_IMPORT(WACPY_WASI_HTTP, "[method]outgoing-response.set-status-code")
extern int32_t wacpy_outgoing_response_set_status_code(int32_t self, int32_t status);
/* `result<own<outgoing-body>>` and `result<own<output-stream>>`: a tag, the handle at 4. */
WACPY_IMPORT(WACPY_WASI_HTTP, "[method]outgoing-response.body")
extern void wacpy_outgoing_response_body(int32_t self, void *ret);
WACPY_IMPORT(WACPY_WASI_HTTP, "[method]outgoing-body.write")
extern void wacpy_outgoing_body_write(int32_t self, void *ret);
/* `result<own<outgoing-response>, error-code>` flattens to 9 values; `ok` puts the handle second. */
WACPY_IMPORT(WACPY_WASI_HTTP, "[static]response-outparam.set")
extern void wacpy_response_outparam_set(int32_t param, int32_t is_err, int32_t a, int32_t b, int64_t c, int32_t d,
                                        int32_t e, int32_t f, int32_t g);
WACPY_IMPORT(WACPY_WASI_HTTP, "[resource-drop]outgoing-body") extern void wacpy_outgoing_body_drop(int32_t self);
WACPY_IMPORT(WACPY_WASI_HTTP, "[resource-drop]response-outparam")
extern void wacpy_response_outparam_drop(int32_t self);

static inline void wacpy_header(int32_t fields, wacpy_string name, wacpy_string value) {
    _Alignas(4) uint8_t ret[4];
    wacpy_fields_append(fields, name.ptr, name.len, value.ptr, value.len, ret);
}

/* Send a 200 `text/event-stream` head through `outparam` (consumed); the body and the stream that
 * writes it go to `*body` and `*stream`. 0 on success, -1 when the host refused the body or stream
 * (then nothing is left to drop). */
WACPY_NOINLINE int wacpy_http_start_events(int32_t outparam, int32_t *body, int32_t *stream) {
    int32_t fields = wacpy_fields_new();
    wacpy_header(fields, WACPY_LIT("content-type"), WACPY_LIT("text/event-stream"));
    wacpy_header(fields, WACPY_LIT("cache-control"), WACPY_LIT("no-cache"));
    int32_t response = wacpy_outgoing_response_new(fields);
    wacpy_outgoing_response_set_status_code(response, 200);
    _Alignas(4) uint8_t ret[8];
    wacpy_outgoing_response_body(response, ret);
    if (ret[0]) return -1;
    *body = *(int32_t *)(ret + 4);
    wacpy_response_outparam_set(outparam, 0, response, 0, 0, 0, 0, 0, 0);
    wacpy_outgoing_body_write(*body, ret);
    if (ret[0]) {
        wacpy_outgoing_body_drop(*body);
        return -1;
    }
    *stream = *(int32_t *)(ret + 4);
    return 0;
}

#endif
