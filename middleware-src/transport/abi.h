/* Canonical-ABI layouts and core imports of the transport world (wasm32; checked with static asserts).
 * Signatures come from `wasm-tools component embed --dummy-names legacy WIT --world transport -t`. */
#ifndef TRANSPORT_ABI_H
#define TRANSPORT_ABI_H

#include <stddef.h>
#include <stdint.h>

#include "mem.h"

#define IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
#define CHECK_LAYOUT(type, size) _Static_assert(sizeof(type) == (size), #type " layout")
#define CHECK_OFFSET(type, field, off) _Static_assert(offsetof(type, field) == (off), #type "." #field)

/* ---- generic value layouts ---------------------------------------------------------------- */
typedef struct { const uint8_t *ptr; uint32_t len; } bytes;
typedef struct { uint8_t some; str val; } opt_str;
typedef struct { uint8_t some; uint64_t val; } opt_u64;
typedef struct { uint8_t some; double val; } opt_f64;
typedef struct { uint8_t some; uint32_t val; } opt_u32;
typedef struct { str key; str value; } str_pair;
typedef struct { str *ptr; uint32_t len; } str_list;
CHECK_LAYOUT(opt_str, 12);
CHECK_LAYOUT(opt_u64, 16);
CHECK_LAYOUT(opt_u32, 8);

/* ---- wacpy:mcp/types ------------------------------------------------------------------------ */
typedef struct { int32_t code; str message; opt_str data; } mcp_error;
CHECK_LAYOUT(mcp_error, 24);

typedef struct { str src; opt_str mime_type; str_list sizes; } mcp_icon;
typedef struct { mcp_icon *ptr; uint32_t len; } icon_list;
CHECK_LAYOUT(mcp_icon, 28);

enum { ROLE_USER, ROLE_ASSISTANT };
typedef struct {
  struct { uint8_t *ptr; uint32_t len; } audience;
  opt_f64 priority;
  opt_str last_modified;
} mcp_annotations;
typedef struct { uint8_t some; mcp_annotations val; } opt_annotations;
CHECK_LAYOUT(mcp_annotations, 40);
CHECK_OFFSET(mcp_annotations, priority, 8);
CHECK_LAYOUT(opt_annotations, 48);

typedef struct { str uri; opt_str mime_type; str text; } text_resource_contents;
typedef struct { str uri; opt_str mime_type; bytes blob; } blob_resource_contents;
enum { CONTENTS_TEXT, CONTENTS_BLOB };
typedef struct {
  uint8_t tag;
  union { text_resource_contents text; blob_resource_contents blob; } u;
} resource_contents;
typedef struct { resource_contents *ptr; uint32_t len; } contents_list;
CHECK_LAYOUT(resource_contents, 32);

typedef struct {
  str uri; str name; opt_str title; opt_str description; opt_str mime_type; opt_u64 size;
} resource_link;
CHECK_LAYOUT(resource_link, 72);
CHECK_OFFSET(resource_link, size, 56);

typedef struct { str text; opt_annotations annotations; } text_content;
typedef struct { bytes data; str mime_type; opt_annotations annotations; } media_content;
typedef struct { resource_contents resource; opt_annotations annotations; } embedded_resource;
CHECK_LAYOUT(text_content, 56);
CHECK_LAYOUT(media_content, 64);
CHECK_LAYOUT(embedded_resource, 80);

enum { BLOCK_TEXT, BLOCK_IMAGE, BLOCK_AUDIO, BLOCK_RESOURCE_LINK, BLOCK_EMBEDDED_RESOURCE };
typedef struct {
  uint8_t tag;
  union { text_content text; media_content media; resource_link link; embedded_resource embedded; } u;
} content_block;
typedef struct { content_block *ptr; uint32_t len; } content_list;
CHECK_LAYOUT(content_block, 88);
CHECK_OFFSET(content_block, u, 8);

enum { LOG_DEBUG, LOG_INFO, LOG_NOTICE, LOG_WARNING, LOG_ERROR, LOG_CRITICAL, LOG_ALERT, LOG_EMERGENCY };

enum {
  CAP_TOOLS = 1 << 0, CAP_TOOLS_LIST_CHANGED = 1 << 1,
  CAP_RESOURCES = 1 << 2, CAP_RESOURCES_SUBSCRIBE = 1 << 3, CAP_RESOURCES_LIST_CHANGED = 1 << 4,
  CAP_PROMPTS = 1 << 5, CAP_PROMPTS_LIST_CHANGED = 1 << 6,
  CAP_COMPLETIONS = 1 << 7, CAP_LOGGING = 1 << 8,
};

typedef struct { str name; str version; opt_str title; opt_str instructions; uint16_t capabilities; } server_info;
CHECK_LAYOUT(server_info, 44);
CHECK_OFFSET(server_info, capabilities, 40);

typedef struct {
  str name; opt_str title; opt_str description; str input_schema; opt_str output_schema;
  opt_str annotations; icon_list icons;
} mcp_tool;
typedef struct { mcp_tool *ptr; uint32_t len; } tool_list;
CHECK_LAYOUT(mcp_tool, 72);

typedef struct { content_list content; opt_str structured_content; uint8_t is_error; } call_tool_result;
CHECK_LAYOUT(call_tool_result, 24);

typedef struct {
  str uri; str name; opt_str title; opt_str description; opt_str mime_type; opt_u64 size; icon_list icons;
} mcp_resource;
typedef struct { mcp_resource *ptr; uint32_t len; } resource_list;
CHECK_LAYOUT(mcp_resource, 80);
CHECK_OFFSET(mcp_resource, icons, 72);

typedef struct {
  str uri_template; str name; opt_str title; opt_str description; opt_str mime_type; icon_list icons;
} resource_template;
typedef struct { resource_template *ptr; uint32_t len; } template_list;
CHECK_LAYOUT(resource_template, 60);

typedef struct { str name; opt_str title; opt_str description; uint8_t required; } prompt_argument;
CHECK_LAYOUT(prompt_argument, 36);
typedef struct {
  str name; opt_str title; opt_str description;
  struct { prompt_argument *ptr; uint32_t len; } arguments;
  icon_list icons;
} mcp_prompt;
typedef struct { mcp_prompt *ptr; uint32_t len; } prompt_list;
CHECK_LAYOUT(mcp_prompt, 48);

typedef struct { uint8_t role; content_block content; } prompt_message;
CHECK_LAYOUT(prompt_message, 96);
typedef struct { opt_str description; struct { prompt_message *ptr; uint32_t len; } messages; } get_prompt_result;
CHECK_LAYOUT(get_prompt_result, 20);

enum { REF_PROMPT, REF_RESOURCE_TEMPLATE };
typedef struct { str_list values; opt_u32 total; uint8_t has_more; } completion;
CHECK_LAYOUT(completion, 20);

/* `option<result<T, error>>`: every T here has alignment 4, so the result sits at 4, T or error at 8. */
#define OPT_RESULT(T) struct { uint8_t some; struct { uint8_t is_err; union { T ok; mcp_error err; } u; } r; }
typedef OPT_RESULT(call_tool_result) call_tool_ret;
typedef OPT_RESULT(contents_list) read_resource_ret;
typedef OPT_RESULT(uint8_t) subscribe_ret;
typedef OPT_RESULT(get_prompt_result) get_prompt_ret;
typedef OPT_RESULT(completion) complete_ret;
typedef OPT_RESULT(str) other_method_ret;
CHECK_OFFSET(call_tool_ret, r.u, 8);
CHECK_OFFSET(subscribe_ret, r.u, 8);


/* ---- wacpy:mcp/handler ---------------------------------------------------------------------- */
#define HANDLER(name) IMPORT("wacpy:mcp/handler@0.1.0", name)
HANDLER("initialize") void mcp_initialize(int32_t ctx, const char *name, uint32_t name_len,
    const char *version, uint32_t version_len, int32_t title_some, const char *title, uint32_t title_len,
    int32_t instr_some, const char *instr, uint32_t instr_len, int32_t capabilities, server_info *ret);
HANDLER("list-tools") void mcp_list_tools(int32_t ctx, tool_list *ret);
HANDLER("call-tool") void mcp_call_tool(int32_t ctx, const char *name, uint32_t name_len,
    const char *args, uint32_t args_len, call_tool_ret *ret);
HANDLER("list-resources") void mcp_list_resources(int32_t ctx, resource_list *ret);
HANDLER("list-resource-templates") void mcp_list_resource_templates(int32_t ctx, template_list *ret);
HANDLER("read-resource") void mcp_read_resource(int32_t ctx, const char *uri, uint32_t uri_len,
    read_resource_ret *ret);
HANDLER("subscribe") void mcp_subscribe(int32_t ctx, const char *uri, uint32_t uri_len, int32_t on,
    subscribe_ret *ret);
HANDLER("list-prompts") void mcp_list_prompts(int32_t ctx, prompt_list *ret);
HANDLER("get-prompt") void mcp_get_prompt(int32_t ctx, const char *name, uint32_t name_len,
    const str_pair *args, uint32_t args_len, get_prompt_ret *ret);
HANDLER("complete") void mcp_complete(int32_t ctx, int32_t ref_tag, const char *ref, uint32_t ref_len,
    const char *arg_name, uint32_t arg_name_len, const char *arg_value, uint32_t arg_value_len,
    const str_pair *context_args, uint32_t context_args_len, complete_ret *ret);
HANDLER("set-log-level") void mcp_set_log_level(int32_t ctx, int32_t level);
HANDLER("handle") void mcp_handle(int32_t ctx, const char *method, uint32_t method_len,
    int32_t params_some, const char *params, uint32_t params_len, other_method_ret *ret);

/* ---- wacpy:mcp/context-factory ---------------------------------------------------------------- */
enum { FRAMING_NONE, FRAMING_SSE, FRAMING_NDJSON };
/* variant sink: `stream` (a = stream), `pending` (a = response-outparam), `started` (a = body,
 * b = stream). */
enum { SINK_NONE, SINK_STREAM, SINK_PENDING, SINK_STARTED };
typedef struct { uint8_t tag; int32_t a, b; } sink;
CHECK_LAYOUT(sink, 12);
IMPORT("wacpy:mcp/context-factory@0.1.0", "create")
int32_t mcp_context_create(const char *version, uint32_t version_len,
    int32_t session_some, const char *session, uint32_t session_len,
    int32_t token_some, const char *token, uint32_t token_len,
    int32_t level_some, int32_t level, int32_t sink_tag, int32_t sink_a, int32_t sink_b, int32_t framing);
IMPORT("wacpy:mcp/context-factory@0.1.0", "finish") void mcp_context_finish(int32_t ctx, sink *ret);

/* ---- wasi:io ---------------------------------------------------------------------------------- */
/* `result<list<u8>, stream-error>` and `result<_, stream-error>`; stream-error: 0 failed(error), 1 closed */
typedef struct {
  uint8_t is_err;
  union { bytes ok; struct { uint8_t tag; int32_t error; } err; } u;
} read_ret;
typedef struct { uint8_t is_err; struct { uint8_t tag; int32_t error; } err; } write_ret;
CHECK_LAYOUT(read_ret, 12);
CHECK_LAYOUT(write_ret, 12);

IMPORT("wasi:io/error@0.2.12", "[resource-drop]error") void io_error_drop(int32_t h);
IMPORT("wasi:io/streams@0.2.12", "[method]input-stream.blocking-read")
void input_stream_blocking_read(int32_t self, int64_t len, read_ret *ret);
IMPORT("wasi:io/streams@0.2.12", "[method]output-stream.blocking-write-and-flush")
void output_stream_blocking_write_and_flush(int32_t self, const void *data, uint32_t len, write_ret *ret);
IMPORT("wasi:io/streams@0.2.12", "[resource-drop]input-stream") void input_stream_drop(int32_t h);
IMPORT("wasi:io/streams@0.2.12", "[resource-drop]output-stream") void output_stream_drop(int32_t h);

/* ---- wasi:cli --------------------------------------------------------------------------------- */
IMPORT("wasi:cli/stdin@0.2.12", "get-stdin") int32_t cli_get_stdin(void);
IMPORT("wasi:cli/stdout@0.2.12", "get-stdout") int32_t cli_get_stdout(void);
IMPORT("wasi:cli/stderr@0.2.12", "get-stderr") int32_t cli_get_stderr(void);
typedef struct { str_pair *ptr; uint32_t len; } pair_list;
IMPORT("wasi:cli/environment@0.2.12", "get-environment") void cli_get_environment(pair_list *ret);

/* ---- wasi:http/types -------------------------------------------------------------------------- */
#define HTTP(name) IMPORT("wasi:http/types@0.2.12", name)
enum { HTTP_GET, HTTP_HEAD, HTTP_POST, HTTP_PUT, HTTP_DELETE, HTTP_CONNECT, HTTP_OPTIONS, HTTP_TRACE,
       HTTP_PATCH, HTTP_OTHER };
typedef struct { uint8_t tag; str other; } http_method;
typedef struct { uint8_t is_err; int32_t handle; } handle_ret;
typedef struct { bytes *ptr; uint32_t len; } field_values;
/* Big enough for `result<_, error-code>` (payload at 8 because of its u64 cases). */
typedef struct { _Alignas(8) uint8_t bytes[64]; } big_ret;

HTTP("[constructor]fields") int32_t fields_new(void);
HTTP("[method]fields.get") void fields_get(int32_t self, const char *name, uint32_t len, field_values *ret);
HTTP("[method]fields.append") void fields_append(int32_t self, const char *name, uint32_t name_len,
    const void *value, uint32_t value_len, big_ret *ret);
HTTP("[resource-drop]fields") void fields_drop(int32_t h);
HTTP("[method]incoming-request.method") void incoming_request_method(int32_t self, http_method *ret);
HTTP("[method]incoming-request.path-with-query") void incoming_request_path(int32_t self, opt_str *ret);
HTTP("[method]incoming-request.authority") void incoming_request_authority(int32_t self, opt_str *ret);
HTTP("[method]incoming-request.headers") int32_t incoming_request_headers(int32_t self);
HTTP("[method]incoming-request.consume") void incoming_request_consume(int32_t self, handle_ret *ret);
HTTP("[resource-drop]incoming-request") void incoming_request_drop(int32_t h);
HTTP("[method]incoming-body.stream") void incoming_body_stream(int32_t self, handle_ret *ret);
HTTP("[resource-drop]incoming-body") void incoming_body_drop(int32_t h);
HTTP("[constructor]outgoing-response") int32_t outgoing_response_new(int32_t headers);
HTTP("[method]outgoing-response.set-status-code") int32_t outgoing_response_set_status(int32_t self, int32_t code);
HTTP("[method]outgoing-response.body") void outgoing_response_body(int32_t self, handle_ret *ret);
HTTP("[method]outgoing-body.write") void outgoing_body_write(int32_t self, handle_ret *ret);
HTTP("[static]outgoing-body.finish") void outgoing_body_finish(int32_t self, int32_t trailers_some,
    int32_t trailers, big_ret *ret);
/* `result<own<outgoing-response>, error-code>` flattens to 9 values; ok puts the handle in slot 2. */
HTTP("[static]response-outparam.set") void response_outparam_set(int32_t param, int32_t is_err,
    int32_t a, int32_t b, int64_t c, int32_t d, int32_t e, int32_t f, int32_t g);

#endif
