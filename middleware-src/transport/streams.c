#include "streams.h"

#include "abi.h"

#pragma clang attribute push(__attribute__((minsize)), apply_to = function)

#define MAX_WRITE 4096

int stream_write_all(int32_t stream, const void *data, size_t n) {
  const uint8_t *p = data;
  while (n) {
    uint32_t chunk = n < MAX_WRITE ? (uint32_t)n : MAX_WRITE;
    write_ret ret;
    output_stream_blocking_write_and_flush(stream, p, chunk, &ret);
    if (ret.is_err) {
      if (ret.err.tag == 0) io_error_drop(ret.err.error);
      return 0;
    }
    p += chunk;
    n -= chunk;
  }
  return 1;
}

int stream_read_more(int32_t stream, read_buffer *into, uint32_t max_chunk) {
  read_ret ret;
  input_stream_blocking_read(stream, max_chunk, &ret);
  if (ret.is_err) {
    if (ret.u.err.tag == 0) {
      io_error_drop(ret.u.err.error);
      return -1;
    }
    return 0;
  }
  bytes chunk = ret.u.ok;
  uint8_t *end = into->ptr + into->len;
  if (chunk.ptr != end) {
    /* Not contiguous (something was allocated after the buffer): move the chunk down. Everything
     * between the buffer and the chunk is dead, and the arena top stays past the chunk. */
    memmove(end, chunk.ptr, chunk.len);
  }
  into->len += chunk.len;
  return 1;
}

#pragma clang attribute pop
