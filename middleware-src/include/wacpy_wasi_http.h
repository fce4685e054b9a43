/* Starting an SSE response from freestanding C with the generated wasi:http/types@0.2.12 bindings
 * (include a world header that imports wasi:http/types first): the context provider starts one
 * when a request's first notification is written.
 *
 * Order matters: the body is taken from the response before `response-outparam.set` hands the
 * response to the host, and written after it; the stream (a child of the body) is dropped before
 * the body is finished.
 */
#ifndef WACPY_WASI_HTTP_H
#define WACPY_WASI_HTTP_H

#include "wacpy_cabi.h"
#include "wacpy_wasi_io.h"

static inline void wacpy_header(wasi_http_fields fields, wacpy_string name, wacpy_string value) {
    wasi_http_result_void_header_error ret;
    wasi_http_fields_append(fields, name, (wasi_http_field_value){(uint8_t *)value.ptr, value.len}, &ret);
}

/* Send a 200 `text/event-stream` head through `outparam` (consumed); the body and the stream that
 * writes it go to `*body` and `*stream`. 0 on success, -1 when the host refused the body or stream
 * (then nothing is left to drop). */
WACPY_NOINLINE int wacpy_http_start_events(wasi_http_response_outparam outparam, wasi_http_outgoing_body *body,
                                           wasi_io_streams_output_stream *stream) {
    wasi_http_fields fields = wasi_http_fields_new();
    wacpy_header(fields, WACPY_LIT("content-type"), WACPY_LIT("text/event-stream"));
    wacpy_header(fields, WACPY_LIT("cache-control"), WACPY_LIT("no-cache"));
    wasi_http_outgoing_response response = wasi_http_outgoing_response_new(fields);
    wasi_http_outgoing_response_set_status_code(response, 200);
    wasi_http_result_outgoing_body_void got_body;
    wasi_http_outgoing_response_body(response, &got_body);
    if (got_body.is_err) return -1;
    *body = got_body.val.ok;
    wasi_http_result_outgoing_response_error_code sent = {.is_err = 0, .val.ok = response};
    wasi_http_response_outparam_set(outparam, &sent);
    wasi_io_result_streams_output_stream_void got_stream;
    wasi_http_outgoing_body_write(*body, &got_stream);
    if (got_stream.is_err) {
        wasi_http_outgoing_body_drop(*body);
        return -1;
    }
    *stream = got_stream.val.ok;
    return 0;
}

/* Answer through `outparam` (consumed) at once: 200, `application/json`, body `json`, finished.
 * 0 on success, -1 when the host refused the body or stream. */
WACPY_NOINLINE int wacpy_http_answer_json(wasi_http_response_outparam outparam, wacpy_string json) {
    wasi_http_fields fields = wasi_http_fields_new();
    wacpy_header(fields, WACPY_LIT("content-type"), WACPY_LIT("application/json"));
    wasi_http_outgoing_response response = wasi_http_outgoing_response_new(fields);
    wasi_http_outgoing_response_set_status_code(response, 200);
    wasi_http_result_outgoing_body_void got_body;
    wasi_http_outgoing_response_body(response, &got_body);
    if (got_body.is_err) return -1;
    wasi_http_outgoing_body body = got_body.val.ok;
    wasi_http_result_outgoing_response_error_code sent = {.is_err = 0, .val.ok = response};
    wasi_http_response_outparam_set(outparam, &sent);
    wasi_io_result_streams_output_stream_void got_stream;
    wasi_http_outgoing_body_write(body, &got_stream);
    if (got_stream.is_err) {
        wasi_http_outgoing_body_drop(body);
        return -1;
    }
    int failed = wacpy_stream_write_all(got_stream.val.ok, json.ptr, json.len);
    wasi_io_streams_output_stream_drop(got_stream.val.ok);
    wasi_http_result_void_error_code ended;
    wasi_http_outgoing_body_finish(body, &(wasi_http_option_fields){0}, &ended);
    return failed || ended.is_err ? -1 : 0;
}

#endif
