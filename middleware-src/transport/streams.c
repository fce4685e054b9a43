#include "streams.h"

#include "bindings.h"

#pragma clang attribute push(__attribute__((minsize)), apply_to = function)

#define MAX_WRITE 4096

int stream_write_all(int32_t stream, const void *data, size_t n) {
  const uint8_t *p = data;
  while (n) {
    uint32_t chunk = n < MAX_WRITE ? (uint32_t)n : MAX_WRITE;
    wasi_io_result_void_streams_stream_error ret;
    wasi_io_streams_output_stream_blocking_write_and_flush(stream, (wacpy_list_u8){(uint8_t *)p, chunk}, &ret);
    if (ret.is_err) {
      if (ret.val.err.tag == WASI_IO_STREAMS_STREAM_ERROR_LAST_OPERATION_FAILED)
        wasi_io_error_drop(ret.val.err.val.last_operation_failed);
      return 0;
    }
    p += chunk;
    n -= chunk;
  }
  return 1;
}

int stream_read_more(int32_t stream, read_buffer *into, uint32_t max_chunk) {
  wasi_io_result_list_u8_streams_stream_error ret;
  wasi_io_streams_input_stream_blocking_read(stream, max_chunk, &ret);
  if (ret.is_err) {
    if (ret.val.err.tag == WASI_IO_STREAMS_STREAM_ERROR_LAST_OPERATION_FAILED) {
      wasi_io_error_drop(ret.val.err.val.last_operation_failed);
      return -1;
    }
    return 0;
  }
  wacpy_list_u8 chunk = ret.val.ok;
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
