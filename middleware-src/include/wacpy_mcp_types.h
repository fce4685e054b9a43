/* The types of `wacpy:mcp/types@0.1.0` (wit/mcp.wit) as C structs in canonical-ABI memory layout,
 * with the sizes checked at compile time. Results returned through a return area use the
 * `wacpy_opt_result_*` shapes: option tag at 0, result tag at 4, payload at 8.
 */
#ifndef WACPY_MCP_TYPES_H
#define WACPY_MCP_TYPES_H

#include "wacpy_cabi.h"

#define WACPY_MCP_VERSION "0.1.0"
#define WACPY_MCP_IFACE(name) "wacpy:mcp/" name "@" WACPY_MCP_VERSION

/* enum role */
enum { WACPY_ROLE_USER, WACPY_ROLE_ASSISTANT };
/* enum log-level, in increasing severity */
enum {
    WACPY_LOG_DEBUG, WACPY_LOG_INFO, WACPY_LOG_NOTICE, WACPY_LOG_WARNING,
    WACPY_LOG_ERROR, WACPY_LOG_CRITICAL, WACPY_LOG_ALERT, WACPY_LOG_EMERGENCY,
};
/* flags capabilities (a u16) */
enum {
    WACPY_CAP_TOOLS = 1 << 0,
    WACPY_CAP_TOOLS_LIST_CHANGED = 1 << 1,
    WACPY_CAP_RESOURCES = 1 << 2,
    WACPY_CAP_RESOURCES_SUBSCRIBE = 1 << 3,
    WACPY_CAP_RESOURCES_LIST_CHANGED = 1 << 4,
    WACPY_CAP_PROMPTS = 1 << 5,
    WACPY_CAP_PROMPTS_LIST_CHANGED = 1 << 6,
    WACPY_CAP_COMPLETIONS = 1 << 7,
    WACPY_CAP_LOGGING = 1 << 8,
};
/* enum framing (context-factory) */
enum { WACPY_FRAMING_NONE, WACPY_FRAMING_SSE, WACPY_FRAMING_NDJSON };
/* variant sink (context-factory): `stream` and `pending` use `a`; `started` is (body a, stream b). */
enum { WACPY_SINK_NONE, WACPY_SINK_STREAM, WACPY_SINK_PENDING, WACPY_SINK_STARTED };
typedef struct {
    uint8_t tag;
    int32_t a, b;
} wacpy_sink;

typedef struct { uint8_t is_some; double val; } wacpy_option_f64;
typedef struct { uint8_t is_some; uint64_t val; } wacpy_option_u64;
typedef struct { uint8_t is_some; uint32_t val; } wacpy_option_u32;
typedef struct { uint8_t is_some; uint8_t val; } wacpy_option_u8; /* option<enum> */

typedef struct {
    int32_t code;
    wacpy_string message;
    wacpy_option_string data;
} wacpy_mcp_error;

typedef struct {
    wacpy_string src;
    wacpy_option_string mime_type;
    wacpy_list sizes; /* list<string> */
} wacpy_mcp_icon;

typedef struct {
    wacpy_list audience; /* list<role> (u8) */
    wacpy_option_f64 priority;
    wacpy_option_string last_modified;
} wacpy_mcp_annotations;
typedef struct { uint8_t is_some; wacpy_mcp_annotations val; } wacpy_mcp_option_annotations;

typedef struct {
    wacpy_string uri;
    wacpy_option_string mime_type;
    wacpy_string text; /* blob: list<u8> for the blob case */
} wacpy_mcp_resource_contents_body;
/* variant resource-contents: tag 0 text (text-resource-contents), 1 blob (blob-resource-contents);
 * both cases have the same layout. */
enum { WACPY_CONTENTS_TEXT, WACPY_CONTENTS_BLOB };
typedef struct {
    uint8_t tag;
    wacpy_mcp_resource_contents_body val;
} wacpy_mcp_resource_contents;

typedef struct {
    wacpy_string uri;
    wacpy_string name;
    wacpy_option_string title;
    wacpy_option_string description;
    wacpy_option_string mime_type;
    wacpy_option_u64 size;
} wacpy_mcp_resource_link;

typedef struct {
    wacpy_string text;
    wacpy_mcp_option_annotations annotations;
} wacpy_mcp_text_content;

typedef struct {
    wacpy_list data; /* list<u8> */
    wacpy_string mime_type;
    wacpy_mcp_option_annotations annotations;
} wacpy_mcp_media_content;

typedef struct {
    wacpy_mcp_resource_contents resource;
    wacpy_mcp_option_annotations annotations;
} wacpy_mcp_embedded_resource;

enum {
    WACPY_CONTENT_TEXT, WACPY_CONTENT_IMAGE, WACPY_CONTENT_AUDIO, WACPY_CONTENT_RESOURCE_LINK,
    WACPY_CONTENT_EMBEDDED_RESOURCE,
};
typedef struct {
    uint8_t tag;
    union {
        wacpy_mcp_text_content text;
        wacpy_mcp_media_content media; /* image and audio */
        wacpy_mcp_resource_link resource_link;
        wacpy_mcp_embedded_resource embedded_resource;
    } val;
} wacpy_mcp_content_block;

typedef struct {
    wacpy_string name;
    wacpy_string version;
    wacpy_option_string title;
    wacpy_option_string instructions;
    uint16_t capabilities;
} wacpy_mcp_server_info;

typedef struct {
    wacpy_string name;
    wacpy_option_string title;
    wacpy_option_string description;
    wacpy_string input_schema;
    wacpy_option_string output_schema;
    wacpy_option_string annotations;
    wacpy_list icons; /* list<icon> */
} wacpy_mcp_tool;

typedef struct {
    wacpy_list content; /* list<content-block> */
    wacpy_option_string structured_content;
    uint8_t is_error;
} wacpy_mcp_call_tool_result;

typedef struct {
    wacpy_string uri;
    wacpy_string name;
    wacpy_option_string title;
    wacpy_option_string description;
    wacpy_option_string mime_type;
    wacpy_option_u64 size;
    wacpy_list icons;
} wacpy_mcp_resource;

typedef struct {
    wacpy_string uri_template;
    wacpy_string name;
    wacpy_option_string title;
    wacpy_option_string description;
    wacpy_option_string mime_type;
    wacpy_list icons;
} wacpy_mcp_resource_template;

typedef struct {
    wacpy_string name;
    wacpy_option_string title;
    wacpy_option_string description;
    uint8_t required;
} wacpy_mcp_prompt_argument;

typedef struct {
    wacpy_string name;
    wacpy_option_string title;
    wacpy_option_string description;
    wacpy_list arguments; /* list<prompt-argument> */
    wacpy_list icons;
} wacpy_mcp_prompt;

typedef struct {
    uint8_t role;
    wacpy_mcp_content_block content;
} wacpy_mcp_prompt_message;

typedef struct {
    wacpy_option_string description;
    wacpy_list messages; /* list<prompt-message> */
} wacpy_mcp_get_prompt_result;

/* variant completion-ref: 0 prompt(string), 1 resource-template(string) */
typedef struct {
    uint8_t tag;
    wacpy_string val;
} wacpy_mcp_completion_ref;

typedef struct {
    wacpy_string key, value;
} wacpy_string_pair; /* tuple<string, string> */

typedef struct {
    wacpy_mcp_completion_ref ref;
    wacpy_string argument_name;
    wacpy_string argument_value;
    wacpy_list context_arguments; /* list<tuple<string, string>> */
} wacpy_mcp_completion_request;

typedef struct {
    wacpy_list values; /* list<string> */
    wacpy_option_u32 total;
    uint8_t has_more;
} wacpy_mcp_completion;

/* context-factory.request-info */
typedef struct {
    wacpy_string protocol_version;
    wacpy_option_string session_id;
    wacpy_option_string progress_token;
    wacpy_option_u8 log_level;
} wacpy_mcp_request_info;

/* option<result<T, error>>, as the handler returns it. */
#define WACPY_OPT_RESULT(T)            \
    struct {                           \
        uint8_t is_some;               \
        struct {                       \
            uint8_t is_err;            \
            union {                    \
                T ok;                  \
                wacpy_mcp_error err;   \
            } val;                     \
        } val;                         \
    }
typedef WACPY_OPT_RESULT(wacpy_mcp_call_tool_result) wacpy_opt_result_call_tool;
typedef WACPY_OPT_RESULT(wacpy_list) wacpy_opt_result_list;
typedef WACPY_OPT_RESULT(wacpy_mcp_get_prompt_result) wacpy_opt_result_get_prompt;
typedef WACPY_OPT_RESULT(wacpy_mcp_completion) wacpy_opt_result_completion;
typedef WACPY_OPT_RESULT(wacpy_string) wacpy_opt_result_json;
typedef WACPY_OPT_RESULT(uint8_t) wacpy_opt_result_unit; /* `_`: no payload */

/* result<json, error>, as context.request returns it. */
typedef struct {
    uint8_t is_err;
    union {
        wacpy_string ok;
        wacpy_mcp_error err;
    } val;
} wacpy_result_json;

#define WACPY_CHECK_LAYOUT(T, size, align) \
    _Static_assert(sizeof(T) == (size) && _Alignof(T) == (align), "canonical layout of " #T)
WACPY_CHECK_LAYOUT(wacpy_mcp_error, 24, 4);
WACPY_CHECK_LAYOUT(wacpy_mcp_icon, 28, 4);
WACPY_CHECK_LAYOUT(wacpy_mcp_annotations, 40, 8);
WACPY_CHECK_LAYOUT(wacpy_mcp_resource_contents, 32, 4);
WACPY_CHECK_LAYOUT(wacpy_mcp_resource_link, 72, 8);
WACPY_CHECK_LAYOUT(wacpy_mcp_text_content, 56, 8);
WACPY_CHECK_LAYOUT(wacpy_mcp_media_content, 64, 8);
WACPY_CHECK_LAYOUT(wacpy_mcp_embedded_resource, 80, 8);
WACPY_CHECK_LAYOUT(wacpy_mcp_content_block, 88, 8);
WACPY_CHECK_LAYOUT(wacpy_mcp_server_info, 44, 4);
WACPY_CHECK_LAYOUT(wacpy_mcp_tool, 72, 4);
WACPY_CHECK_LAYOUT(wacpy_mcp_call_tool_result, 24, 4);
WACPY_CHECK_LAYOUT(wacpy_mcp_resource, 80, 8);
WACPY_CHECK_LAYOUT(wacpy_mcp_resource_template, 60, 4);
WACPY_CHECK_LAYOUT(wacpy_mcp_prompt_argument, 36, 4);
WACPY_CHECK_LAYOUT(wacpy_mcp_prompt, 48, 4);
WACPY_CHECK_LAYOUT(wacpy_mcp_prompt_message, 96, 8);
WACPY_CHECK_LAYOUT(wacpy_mcp_get_prompt_result, 20, 4);
WACPY_CHECK_LAYOUT(wacpy_mcp_completion_request, 36, 4);
WACPY_CHECK_LAYOUT(wacpy_mcp_completion, 20, 4);
WACPY_CHECK_LAYOUT(wacpy_mcp_request_info, 36, 4);
WACPY_CHECK_LAYOUT(wacpy_opt_result_call_tool, 32, 4);
WACPY_CHECK_LAYOUT(wacpy_opt_result_get_prompt, 32, 4);
WACPY_CHECK_LAYOUT(wacpy_opt_result_completion, 32, 4);
WACPY_CHECK_LAYOUT(wacpy_result_json, 28, 4);
WACPY_CHECK_LAYOUT(wacpy_sink, 12, 4);

#endif
