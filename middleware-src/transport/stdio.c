/* stdio: newline-delimited JSON-RPC on stdin, answers and notifications as lines on stdout. */
/* Before the includes: the export glue the bindings compile here (WACPY_IMPLEMENT_WASI_CLI_RUN) is size-optimized too. */
#pragma clang attribute push(__attribute__((minsize)), apply_to = function)
#define WACPY_IMPLEMENT_WASI_CLI_RUN
#include "dispatch.h"
#include "streams.h"


#define LINE_LIMIT (4u << 20)
#define READ_CHUNK 65536

typedef struct {
  rpc_env env;
  int32_t stdout_stream;
} stdio_session;

/* Write a response line; 0 when stdout is gone. */
static int write_line(stdio_session *s, buf *line) {
  if (s->stdout_stream < 0) s->stdout_stream = wasi_cli_stdout_get_stdout();
  buf_char(line, '\n');
  return stream_write_all(s->stdout_stream, line->buf, line->len);
}

static int answer_line(stdio_session *s, str line) {
  line = str_trim(line);
  if (!line.len) return 1;
  rpc_message m;
  buf out = {0};
  int32_t code = rpc_parse(line, &m);
  if (code) {
    rpc_error(&out, m.id, code, code == RPC_PARSE_ERROR ? STR("Parse error") : STR("Invalid Request"), (str){0});
    return write_line(s, &out);
  }
  if (m.kind == RPC_RESPONSE) return 1;
  if (s->stdout_stream < 0) s->stdout_stream = wasi_cli_stdout_get_stdout();
  s->env.sink = (sink){WACPY_MCP_CONTEXT_FACTORY_SINK_STREAM, .val.stream = s->stdout_stream};
  if (m.kind == RPC_NOTIFICATION) dispatch_notification(&m, &s->env);
  else dispatch_request(&m, &s->env, &out);
  /* handed back by the context */
  s->stdout_stream = s->env.sink.tag == WACPY_MCP_CONTEXT_FACTORY_SINK_STREAM ? s->env.sink.val.stream : -1;
  s->env.sink.tag = WACPY_MCP_CONTEXT_FACTORY_SINK_NONE;
  return m.kind == RPC_NOTIFICATION || write_line(s, &out);
}

static const uint8_t *find_newline(const uint8_t *p, uint32_t n) {
  for (uint32_t i = 0; i < n; i++)
    if (p[i] == '\n') return p + i;
  return 0;
}

static wacpy_result_void_void exports_wasi_cli_run_run(void) {
  wasi_io_streams_input_stream in = wasi_cli_stdin_get_stdin();
  stdio_session s = {{STR(MCP_LATEST_VERSION), -1, WACPY_MCP_CONTEXT_FACTORY_FRAMING_NDJSON,
                      {WACPY_MCP_CONTEXT_FACTORY_SINK_NONE}},
                     wasi_cli_stdout_get_stdout()};
  mem_reset();
  /* `pending` (input not answered yet) is always the last allocation before a message is answered:
   * the message's allocations come after it and are freed when it is done. Before each read the
   * partial line left moves to the start of the arena, so memory stays bounded by the line limit. */
  read_buffer pending = {mem_top(), 0};
  uint32_t scanned = 0; /* bytes of `pending` known to hold no newline */
  int at_end = 0, skipping = 0, writable = 1;
  while (writable) {
    const uint8_t *newline = find_newline(pending.ptr + scanned, pending.len - scanned);
    if (newline) {
      uint32_t line_len = (uint32_t)(newline - pending.ptr);
      if (skipping) skipping = 0;
      else writable = answer_line(&s, (str){(const char *)pending.ptr, line_len});
      pending.ptr += line_len + 1;
      pending.len -= line_len + 1;
      scanned = 0;
      mem_release_after(pending.ptr + pending.len);
      continue;
    }
    if (at_end) {
      if (!skipping) answer_line(&s, (str){(const char *)pending.ptr, pending.len});
      break;
    }
    if (pending.len > LINE_LIMIT) {
      if (!skipping) {
        buf out = {0};
        rpc_error(&out, (str){0}, RPC_INVALID_REQUEST, STR("Invalid Request: the line is longer than 4 MiB"),
                  (str){0});
        writable = write_line(&s, &out);
      }
      skipping = 1;
      pending.len = 0;
    }
    pending.ptr = mem_reset_keep(pending.ptr, pending.len);
    scanned = pending.len;
    at_end = stream_read_more(in, &pending, READ_CHUNK) <= 0;
  }
  if (s.stdout_stream >= 0) wasi_io_streams_output_stream_drop(s.stdout_stream);
  wasi_io_streams_input_stream_drop(in);
  return (wacpy_result_void_void){0};
}

static void exports_wasi_cli_run_run_post(wacpy_result_void_void result) { (void)result; }

#pragma clang attribute pop
