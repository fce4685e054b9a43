/* wasi:io streams: write everything, read chunk by chunk into one growing buffer. */
#ifndef TRANSPORT_STREAMS_H
#define TRANSPORT_STREAMS_H

#include "mem.h"

/* Write `n` bytes (in calls of at most 4096, the most `blocking-write-and-flush` takes); 0 on failure. */
int stream_write_all(int32_t stream, const void *data, size_t n);

/* Bytes read so far. The buffer must be the last allocation of the arena, so each chunk the host
 * allocates lands right after it. */
typedef struct {
  uint8_t *ptr;
  uint32_t len;
} read_buffer;

/* Append what the stream has (blocking); 1 when something came, 0 at the end, -1 on an error. */
int stream_read_more(int32_t stream, read_buffer *into, uint32_t max_chunk);

#endif
