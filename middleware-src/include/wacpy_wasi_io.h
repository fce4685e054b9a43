/* wasi:io/streams@0.2.12 from freestanding C: the imports, writing a whole buffer, a `wacpy_out`
 * that drains into a stream, and reading a stream chunk by chunk into one growing buffer.
 *
 * Handles are i32s. `blocking-write-and-flush` takes at most 4096 bytes per call, so writes loop.
 * Its result `result<_, stream-error>` is 12 bytes: the result tag at 0, the stream-error tag at 4
 * (0 = last-operation-failed, 1 = closed) and, for last-operation-failed, an own<error> at 8 that
 * the caller must drop. `blocking-read`'s `result<list<u8>, stream-error>` has the list's pointer
 * and length at 4 and 8.
 */
#ifndef WACPY_WASI_IO_H
#define WACPY_WASI_IO_H

#include "wacpy_cabi.h"
#include "wacpy_json.h"

#define WACPY_WASI_STREAMS "wasi:io/streams@0.2.12"
#define WACPY_STREAM_CHUNK 4096u

WACPY_IMPORT(WACPY_WASI_STREAMS, "[method]output-stream.blocking-write-and-flush")
extern void wacpy_output_stream_blocking_write_and_flush(int32_t self, const uint8_t *ptr, size_t len,
                                                         void *ret);
WACPY_IMPORT(WACPY_WASI_STREAMS, "[resource-drop]output-stream")
extern void wacpy_output_stream_drop(int32_t self);
WACPY_IMPORT(WACPY_WASI_STREAMS, "[method]input-stream.blocking-read")
extern void wacpy_input_stream_blocking_read(int32_t self, uint64_t len, void *ret);
WACPY_IMPORT("wasi:io/error@0.2.12", "[resource-drop]error")
extern void wacpy_io_error_drop(int32_t self);

/* Write all of `len` bytes; 0 on success, -1 when the stream failed or closed. */
WACPY_NOINLINE int wacpy_stream_write_all(int32_t stream, const uint8_t *ptr, size_t len) {
    _Alignas(4) uint8_t ret[12];
    while (len) {
        size_t n = len < WACPY_STREAM_CHUNK ? len : WACPY_STREAM_CHUNK;
        wacpy_output_stream_blocking_write_and_flush(stream, ptr, n, ret);
        if (ret[0]) {
            if (ret[4] == 0) wacpy_io_error_drop(*(int32_t *)(ret + 8));
            return -1;
        }
        ptr += n;
        len -= n;
    }
    return 0;
}

/* Bytes read so far. The buffer must be the last allocation of the memory `cabi_realloc` serves,
 * so that each chunk the host allocates lands right after it. */
typedef struct {
    uint8_t *ptr;
    size_t len;
} wacpy_read_buffer;

/* Append at most `max_chunk` more bytes from the stream (blocking); 1 when something came, 0 at the
 * end of the stream, -1 on an error. */
WACPY_NOINLINE int wacpy_stream_read_more(int32_t stream, wacpy_read_buffer *into, uint32_t max_chunk) {
    _Alignas(4) uint8_t ret[12];
    wacpy_input_stream_blocking_read(stream, max_chunk, ret);
    if (ret[0]) {
        if (ret[4] != 0) return 0; /* closed */
        wacpy_io_error_drop(*(int32_t *)(ret + 8));
        return -1;
    }
    const uint8_t *chunk = *(const uint8_t **)(ret + 4);
    size_t len = *(uint32_t *)(ret + 8);
    uint8_t *end = into->ptr + into->len;
    /* Not contiguous (something was allocated after the buffer): move the chunk down. Everything
     * between the buffer and the chunk is dead, and the allocator's top stays past the chunk. */
    if (chunk != end) __builtin_memmove(end, chunk, len);
    into->len += len;
    return 1;
}

/* A `wacpy_out` drain writing the buffer to the stream whose handle is `(int32_t)(intptr_t)o->ctx`. */
static inline int wacpy_out_to_stream(wacpy_out *o, size_t need) {
    (void)need;
    int rc = wacpy_stream_write_all((int32_t)(intptr_t)o->ctx, o->buf, o->len);
    o->len = 0;
    return rc;
}

/* Send what is buffered (call at the end of a message); 0 on success. */
static inline int wacpy_out_flush(wacpy_out *o) {
    if (!o->failed && o->len && o->drain(o, 0) != 0) o->failed = 1;
    return o->failed ? -1 : 0;
}

#endif
