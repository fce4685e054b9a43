/* wasi:io streams: the runtime's (wacpy_wasi_io.h) write-everything and read-chunk-by-chunk. */
#ifndef TRANSPORT_STREAMS_H
#define TRANSPORT_STREAMS_H

#include "mem.h"
#include "wacpy_wasi_io.h"

/* Write `n` bytes (in calls of at most 4096, the most `blocking-write-and-flush` takes); 0 on failure. */
TRANSPORT_INLINE int stream_write_all(int32_t stream, const void *data, size_t n) {
  return wacpy_stream_write_all(stream, data, n) == 0;
}

/* Bytes read so far; the buffer must be the last allocation of the arena. */
typedef wacpy_read_buffer read_buffer;

/* Append what the stream has (blocking); 1 when something came, 0 at the end, -1 on an error. */
TRANSPORT_INLINE int stream_read_more(int32_t stream, read_buffer *into, uint32_t max_chunk) {
  return wacpy_stream_read_more(stream, into, max_chunk);
}

#endif
