/* MCP tools, resources, prompts and completions in freestanding C: say which capabilities the
 * component offers, include this header, and write plain functions; the header supplies the
 * canonical-ABI exports around them, the allocator and `cabi_realloc`.
 *
 *     #define WACPY_PROVIDE_TOOLS
 *     #include "wacpy_provider.h"
 *
 *     wacpy_list tools_list(wacpy_ctx ctx);
 *     int tools_call(wacpy_ctx ctx, wacpy_string name, wacpy_string arguments, wacpy_tool_reply *reply);
 *
 * Capabilities: WACPY_PROVIDE_TOOLS, _RESOURCES, _PROMPTS, _COMPLETIONS (define them in one source
 * file only, and export the same interfaces in the WIT world). Lookup functions (`tools_call`,
 * `resources_read`, `prompts_get`, `completions_complete`) return 0 when the name is not theirs (the
 * request goes on down the chain) and 1 once they have filled in the reply with a `wacpy_reply_*`
 * helper. Memory from `wacpy_alloc` (and every string the helpers make) lives until the host has
 * copied the answer; `ctx` is valid during the call only.
 */
#ifndef WACPY_PROVIDER_H
#define WACPY_PROVIDER_H

#include "wacpy_alloc.h"
#include "wacpy_json.h"
#include "wacpy_mcp_imports.h"

typedef int32_t wacpy_ctx; /* the request's context (a borrowed handle) */
typedef wacpy_opt_result_call_tool wacpy_tool_reply;
typedef wacpy_opt_result_list wacpy_resource_reply; /* list<resource-contents> */
typedef wacpy_opt_result_get_prompt wacpy_prompt_reply;
typedef wacpy_opt_result_completion wacpy_completion_reply;
typedef struct {
    const wacpy_string_pair *items;
    size_t len;
} wacpy_prompt_args;

/* -- tables of tools, resources and prompts ------------------------------------------------- */
#define WACPY_SOME(text) ((wacpy_option_string){1, WACPY_LIT(text)})
#define WACPY_NONE ((wacpy_option_string){0, {0, 0}})
#define WACPY_ARRAY(array) ((wacpy_list){(void *)(array), sizeof(array) / sizeof((array)[0])})
#define WACPY_EMPTY ((wacpy_list){0, 0})
/* A tool: name, description, input schema (JSON text). */
#define WACPY_TOOL(name, description, schema) \
    {WACPY_LIT(name), WACPY_NONE, WACPY_SOME(description), WACPY_LIT(schema), WACPY_NONE, WACPY_NONE, WACPY_EMPTY}
/* A resource: URI, name, description, MIME type. */
#define WACPY_RESOURCE(uri, name, description, mime) \
    {WACPY_LIT(uri), WACPY_LIT(name), WACPY_NONE, WACPY_SOME(description), WACPY_SOME(mime), {0, 0}, WACPY_EMPTY}
/* A prompt argument: name, description, required (0 or 1). */
#define WACPY_PROMPT_ARG(name, description, required) \
    {WACPY_LIT(name), WACPY_NONE, WACPY_SOME(description), (required)}
/* A prompt: name, description, its arguments (an array of WACPY_PROMPT_ARG, or WACPY_EMPTY). */
#define WACPY_PROMPT(name, description, arguments) \
    {WACPY_LIT(name), WACPY_NONE, WACPY_SOME(description), arguments, WACPY_EMPTY}

/* -- memory --------------------------------------------------------------------------------- */
WACPY_WEAK wacpy_arena wacpy_provider_arena;

static inline void *wacpy_alloc(size_t size) { return wacpy_arena_alloc(&wacpy_provider_arena, size, 8); }

WACPY_WEAK WACPY_EXPORT("cabi_realloc") void *cabi_realloc(void *old, size_t old_size, size_t align,
                                                           size_t new_size) {
    return wacpy_arena_realloc(&wacpy_provider_arena, old, old_size, align, new_size);
}

/* -- strings -------------------------------------------------------------------------------- */
/* A writer whose text lives in the call's memory: wacpy_out_str, wacpy_out_lit, wacpy_json_u64,
 * wacpy_json_string, ... append to it; wacpy_written gives the text. */
static inline wacpy_out wacpy_writer(void) { return wacpy_out_in_arena(&wacpy_provider_arena); }
static inline wacpy_string wacpy_written(const wacpy_out *o) { return (wacpy_string){o->buf, o->len}; }

static inline int wacpy_streq(wacpy_string s, const char *c) {
    size_t n = 0;
    while (c[n]) n++;
    return s.len == n && wacpy_bytes_eq(s.ptr, c, n);
}

/* -- reading JSON arguments ----------------------------------------------------------------- */
#define WACPY_JSON_MAX_DEPTH 64

static inline const uint8_t *wacpy_json_ws(const uint8_t *p, const uint8_t *end) {
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')) p++;
    return p;
}

/* After the string starting at `p` (a '"'), or 0 if it does not end. */
WACPY_NOINLINE const uint8_t *wacpy_json_skip_string(const uint8_t *p, const uint8_t *end) {
    for (p++; p < end; p++) {
        if (*p == '\\') p++;
        else if (*p == '"') return p + 1;
    }
    return 0;
}

/* After the value starting at `p`, or 0 if it is malformed. */
WACPY_NOINLINE const uint8_t *wacpy_json_skip_value(const uint8_t *p, const uint8_t *end, int depth) {
    p = wacpy_json_ws(p, end);
    if (p >= end || depth > WACPY_JSON_MAX_DEPTH) return 0;
    if (*p == '"') return wacpy_json_skip_string(p, end);
    if (*p == '{' || *p == '[') {
        uint8_t close = *p == '{' ? '}' : ']';
        p = wacpy_json_ws(p + 1, end);
        if (p < end && *p == close) return p + 1;
        while (p && p < end) {
            if (close == '}') {
                if (*p != '"' || !(p = wacpy_json_skip_string(p, end))) return 0;
                p = wacpy_json_ws(p, end);
                if (p >= end || *p != ':') return 0;
                p++;
            }
            if (!(p = wacpy_json_skip_value(p, end, depth + 1))) return 0;
            p = wacpy_json_ws(p, end);
            if (p < end && *p == close) return p + 1;
            if (p >= end || *p != ',') return 0;
            p = wacpy_json_ws(p + 1, end);
        }
        return 0;
    }
    const uint8_t *start = p; /* a number, true, false or null */
    while (p < end && *p != ',' && *p != '}' && *p != ']' && *p != ' ' && *p != '\t' && *p != '\n' && *p != '\r')
        p++;
    return p > start ? p : 0;
}

static inline int wacpy_hex4(const uint8_t *p, const uint8_t *end, uint32_t *v) {
    if (end - p < 4) return 0;
    *v = 0;
    for (int i = 0; i < 4; i++) {
        uint8_t c = p[i];
        uint32_t d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : 16;
        if (d == 16) return 0;
        *v = *v * 16 + d;
    }
    return 1;
}

/* The JSON string `raw` (quotes included) decoded to UTF-8 in the call's memory; 0 if malformed. */
WACPY_NOINLINE int wacpy_json_decode_string(wacpy_string raw, wacpy_string *out) {
    const uint8_t *p = raw.ptr, *end = raw.ptr + raw.len;
    if (raw.len < 2 || *p != '"' || end[-1] != '"') return 0;
    uint8_t *buf = (uint8_t *)wacpy_alloc(raw.len), *o = buf;
    for (p++, end--; p < end; p++) {
        if (*p != '\\') {
            *o++ = *p;
            continue;
        }
        if (++p >= end) return 0;
        uint32_t c;
        switch (*p) {
        case '"': case '\\': case '/': *o++ = *p; continue;
        case 'b': *o++ = '\b'; continue;
        case 'f': *o++ = '\f'; continue;
        case 'n': *o++ = '\n'; continue;
        case 'r': *o++ = '\r'; continue;
        case 't': *o++ = '\t'; continue;
        case 'u': break;
        default: return 0;
        }
        if (!wacpy_hex4(p + 1, end, &c)) return 0;
        p += 4;
        if (c >= 0xD800 && c < 0xDC00) { /* a surrogate pair */
            uint32_t low;
            if (end - p < 7 || p[1] != '\\' || p[2] != 'u' || !wacpy_hex4(p + 3, end, &low) || low < 0xDC00 ||
                low > 0xDFFF)
                return 0;
            c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
            p += 6;
        } else if (c >= 0xDC00 && c < 0xE000) {
            return 0;
        }
        /* UTF-8 is never longer than the escape it comes from. */
        if (c < 0x80) {
            *o++ = (uint8_t)c;
        } else if (c < 0x800) {
            *o++ = (uint8_t)(0xC0 | c >> 6);
            *o++ = (uint8_t)(0x80 | (c & 0x3F));
        } else if (c < 0x10000) {
            *o++ = (uint8_t)(0xE0 | c >> 12);
            *o++ = (uint8_t)(0x80 | (c >> 6 & 0x3F));
            *o++ = (uint8_t)(0x80 | (c & 0x3F));
        } else {
            *o++ = (uint8_t)(0xF0 | c >> 18);
            *o++ = (uint8_t)(0x80 | (c >> 12 & 0x3F));
            *o++ = (uint8_t)(0x80 | (c >> 6 & 0x3F));
            *o++ = (uint8_t)(0x80 | (c & 0x3F));
        }
    }
    *out = (wacpy_string){buf, (size_t)(o - buf)};
    return 1;
}

/* The raw JSON text of member `key` of the object `json`; 0 if absent or `json` is not an object. */
WACPY_NOINLINE int wacpy_json_member(wacpy_string json, const char *key, wacpy_string *raw) {
    const uint8_t *p = wacpy_json_ws(json.ptr, json.ptr + json.len), *end = json.ptr + json.len;
    if (p >= end || *p != '{') return 0;
    p = wacpy_json_ws(p + 1, end);
    while (p < end && *p == '"') {
        const uint8_t *key_end = wacpy_json_skip_string(p, end);
        wacpy_string name;
        if (!key_end || !wacpy_json_decode_string((wacpy_string){p, (size_t)(key_end - p)}, &name)) return 0;
        p = wacpy_json_ws(key_end, end);
        if (p >= end || *p != ':') return 0;
        const uint8_t *value = wacpy_json_ws(p + 1, end);
        const uint8_t *value_end = wacpy_json_skip_value(value, end, 1);
        if (!value_end) return 0;
        if (wacpy_streq(name, key)) {
            *raw = (wacpy_string){value, (size_t)(value_end - value)};
            return 1;
        }
        p = wacpy_json_ws(value_end, end);
        if (p >= end || *p != ',') return 0;
        p = wacpy_json_ws(p + 1, end);
    }
    return 0;
}

/* Member `key` of the arguments as a string; 0 if absent or not a string. */
static inline int wacpy_arg_string(wacpy_string arguments, const char *key, wacpy_string *out) {
    wacpy_string raw;
    return wacpy_json_member(arguments, key, &raw) && wacpy_json_decode_string(raw, out);
}

/* Member `key` of the arguments as an integer (no fraction or exponent); 0 if absent or not one. */
WACPY_NOINLINE int wacpy_arg_int(wacpy_string arguments, const char *key, int64_t *out) {
    wacpy_string raw;
    if (!wacpy_json_member(arguments, key, &raw) || raw.len == 0) return 0;
    size_t i = raw.ptr[0] == '-';
    if (i == raw.len || raw.len - i > 18) return 0;
    int64_t v = 0;
    for (; i < raw.len; i++) {
        if (raw.ptr[i] < '0' || raw.ptr[i] > '9') return 0;
        v = v * 10 + (raw.ptr[i] - '0');
    }
    *out = raw.ptr[0] == '-' ? -v : v;
    return 1;
}

/* Member `key` of the arguments as a boolean; 0 if absent or not one. */
static inline int wacpy_arg_bool(wacpy_string arguments, const char *key, int *out) {
    wacpy_string raw;
    if (!wacpy_json_member(arguments, key, &raw)) return 0;
    if (wacpy_streq(raw, "true")) *out = 1;
    else if (wacpy_streq(raw, "false")) *out = 0;
    else return 0;
    return 1;
}

/* The value of prompt argument `name`; 0 if the client did not give it. */
static inline int wacpy_prompt_arg(wacpy_prompt_args args, const char *name, wacpy_string *value) {
    for (size_t i = 0; i < args.len; i++) {
        if (wacpy_streq(args.items[i].key, name)) {
            *value = args.items[i].value;
            return 1;
        }
    }
    return 0;
}

/* -- talking to the client ------------------------------------------------------------------ */
/* Log `message` (sent as a JSON string) at `level` (WACPY_LOG_DEBUG ... WACPY_LOG_EMERGENCY). */
static inline void wacpy_log(wacpy_ctx ctx, uint32_t level, wacpy_string message) {
    wacpy_out o = wacpy_writer();
    wacpy_json_string(&o, message);
    wacpy_context_log(ctx, level, 0, 0, 0, o.buf, o.len);
}

/* -- replies -------------------------------------------------------------------------------- */
/* A JSON-RPC error for any reply (e.g. -32602 for bad arguments). */
#define wacpy_reply_error(reply, code_, message_)                                          \
    do {                                                                                   \
        (reply)->val.is_err = 1;                                                           \
        (reply)->val.val.err = (wacpy_mcp_error){(code_), (message_), {0, {0, 0}}};        \
    } while (0)

static inline wacpy_mcp_content_block *wacpy_text_block(wacpy_string text) {
    wacpy_mcp_content_block *b = (wacpy_mcp_content_block *)wacpy_alloc(sizeof *b);
    *b = (wacpy_mcp_content_block){0};
    b->tag = WACPY_CONTENT_TEXT;
    b->val.text.text = text;
    return b;
}

/* A tool result of one text block; `is_error` marks a failure the model should see. */
static inline void wacpy_reply_text(wacpy_tool_reply *r, wacpy_string text, int is_error) {
    r->val.is_err = 0;
    r->val.val.ok = (wacpy_mcp_call_tool_result){{wacpy_text_block(text), 1}, WACPY_NONE, (uint8_t)(is_error != 0)};
}

/* A tool result with structured content (JSON text), also given as the text block. */
static inline void wacpy_reply_structured(wacpy_tool_reply *r, wacpy_string json) {
    wacpy_reply_text(r, json, 0);
    r->val.val.ok.structured_content = (wacpy_option_string){1, json};
}

/* A resource read: one text contents. */
static inline void wacpy_reply_resource_text(wacpy_resource_reply *r, wacpy_string uri, wacpy_option_string mime,
                                             wacpy_string text) {
    wacpy_mcp_resource_contents *c = (wacpy_mcp_resource_contents *)wacpy_alloc(sizeof *c);
    *c = (wacpy_mcp_resource_contents){WACPY_CONTENTS_TEXT, {uri, mime, text}};
    r->val.is_err = 0;
    r->val.val.ok = (wacpy_list){c, 1};
}

/* A prompt of one text message from `role` (WACPY_ROLE_USER or WACPY_ROLE_ASSISTANT). */
static inline void wacpy_reply_prompt_text(wacpy_prompt_reply *r, wacpy_option_string description, uint8_t role,
                                           wacpy_string text) {
    wacpy_mcp_prompt_message *m = (wacpy_mcp_prompt_message *)wacpy_alloc(sizeof *m);
    m->role = role;
    m->content = *wacpy_text_block(text);
    r->val.is_err = 0;
    r->val.val.ok = (wacpy_mcp_get_prompt_result){description, {m, 1}};
}

/* Completion values (copied into the reply). */
static inline void wacpy_reply_completion(wacpy_completion_reply *r, const wacpy_string *values, size_t n) {
    wacpy_string *copy = (wacpy_string *)wacpy_alloc(n * sizeof *copy + 1);
    for (size_t i = 0; i < n; i++) copy[i] = values[i];
    r->val.is_err = 0;
    r->val.val.ok = (wacpy_mcp_completion){{copy, n}, {1, (uint32_t)n}, 0};
}

/* -- the exports ---------------------------------------------------------------------------- */
#if defined(WACPY_PROVIDE_TOOLS) || defined(WACPY_PROVIDE_RESOURCES) || defined(WACPY_PROVIDE_PROMPTS) || \
    defined(WACPY_PROVIDE_COMPLETIONS)
WACPY_RETAREA(wacpy_provider_ret, 64);

/* The export `iface#name`, and its post-return function, which frees the call's memory. */
#define WACPY_PROVIDER_EXPORT(iface, name) WACPY_EXPORT(WACPY_MCP_IFACE(iface) "#" name)
#define WACPY_PROVIDER_POST(iface, name, fn)                                                   \
    WACPY_EXPORT("cabi_post_" WACPY_MCP_IFACE(iface) "#" name) void fn(void *ret) {            \
        (void)ret;                                                                             \
        wacpy_arena_reset(&wacpy_provider_arena);                                              \
    }
/* Answer a list export: the list in the return area, the borrowed context dropped. */
#define WACPY_PROVIDER_LIST(iface, name, export_fn, post_fn, user_fn) \
    WACPY_PROVIDER_EXPORT(iface, name) void *export_fn(int32_t ctx) { \
        *(wacpy_list *)wacpy_provider_ret = user_fn(ctx);             \
        wacpy_context_drop(ctx);                                      \
        return wacpy_provider_ret;                                    \
    }                                                                 \
    WACPY_PROVIDER_POST(iface, name, post_fn)
#endif

#ifdef WACPY_PROVIDE_TOOLS
wacpy_list tools_list(wacpy_ctx ctx);
int tools_call(wacpy_ctx ctx, wacpy_string name, wacpy_string arguments, wacpy_tool_reply *reply);

WACPY_PROVIDER_LIST("tools", "list-tools", wacpy_export_list_tools, wacpy_post_list_tools, tools_list)

WACPY_PROVIDER_EXPORT("tools", "call-tool")
void *wacpy_export_call_tool(int32_t ctx, wacpy_ptr name, size_t name_len, wacpy_ptr args, size_t args_len) {
    wacpy_tool_reply *r = (wacpy_tool_reply *)wacpy_provider_ret;
    *r = (wacpy_tool_reply){0};
    r->is_some = tools_call(ctx, (wacpy_string){name, name_len}, (wacpy_string){args, args_len}, r) != 0;
    wacpy_context_drop(ctx);
    return r;
}
WACPY_PROVIDER_POST("tools", "call-tool", wacpy_post_call_tool)
#endif

#ifdef WACPY_PROVIDE_RESOURCES
wacpy_list resources_list(wacpy_ctx ctx);
/* Resource templates: define WACPY_PROVIDE_RESOURCE_TEMPLATES and write `resource_templates_list`. */
#ifdef WACPY_PROVIDE_RESOURCE_TEMPLATES
wacpy_list resource_templates_list(wacpy_ctx ctx);
#else
static wacpy_list resource_templates_list(wacpy_ctx ctx) {
    (void)ctx;
    return WACPY_EMPTY;
}
#endif
int resources_read(wacpy_ctx ctx, wacpy_string uri, wacpy_resource_reply *reply);

WACPY_PROVIDER_LIST("resources", "list-resources", wacpy_export_list_resources, wacpy_post_list_resources,
                    resources_list)
WACPY_PROVIDER_LIST("resources", "list-resource-templates", wacpy_export_list_resource_templates,
                    wacpy_post_list_resource_templates, resource_templates_list)

WACPY_PROVIDER_EXPORT("resources", "read-resource")
void *wacpy_export_read_resource(int32_t ctx, wacpy_ptr uri, size_t uri_len) {
    wacpy_resource_reply *r = (wacpy_resource_reply *)wacpy_provider_ret;
    *r = (wacpy_resource_reply){0};
    r->is_some = resources_read(ctx, (wacpy_string){uri, uri_len}, r) != 0;
    wacpy_context_drop(ctx);
    return r;
}
WACPY_PROVIDER_POST("resources", "read-resource", wacpy_post_read_resource)
#endif

#ifdef WACPY_PROVIDE_PROMPTS
wacpy_list prompts_list(wacpy_ctx ctx);
int prompts_get(wacpy_ctx ctx, wacpy_string name, wacpy_prompt_args args, wacpy_prompt_reply *reply);

WACPY_PROVIDER_LIST("prompts", "list-prompts", wacpy_export_list_prompts, wacpy_post_list_prompts, prompts_list)

WACPY_PROVIDER_EXPORT("prompts", "get-prompt")
void *wacpy_export_get_prompt(int32_t ctx, wacpy_ptr name, size_t name_len, wacpy_ptr args, size_t args_len) {
    wacpy_prompt_reply *r = (wacpy_prompt_reply *)wacpy_provider_ret;
    *r = (wacpy_prompt_reply){0};
    wacpy_prompt_args list = {(const wacpy_string_pair *)args, args_len};
    r->is_some = prompts_get(ctx, (wacpy_string){name, name_len}, list, r) != 0;
    wacpy_context_drop(ctx);
    return r;
}
WACPY_PROVIDER_POST("prompts", "get-prompt", wacpy_post_get_prompt)
#endif

#ifdef WACPY_PROVIDE_COMPLETIONS
int completions_complete(wacpy_ctx ctx, const wacpy_mcp_completion_request *request, wacpy_completion_reply *reply);

WACPY_PROVIDER_EXPORT("completions", "complete")
void *wacpy_export_complete(int32_t ctx, uint32_t ref_tag, wacpy_ptr ref, size_t ref_len, wacpy_ptr name,
                            size_t name_len, wacpy_ptr value, size_t value_len, wacpy_ptr context_args,
                            size_t context_args_len) {
    wacpy_completion_reply *r = (wacpy_completion_reply *)wacpy_provider_ret;
    *r = (wacpy_completion_reply){0};
    wacpy_mcp_completion_request request = {
        {(uint8_t)ref_tag, {ref, ref_len}},
        {name, name_len},
        {value, value_len},
        {(void *)context_args, context_args_len},
    };
    r->is_some = completions_complete(ctx, &request, r) != 0;
    wacpy_context_drop(ctx);
    return r;
}
WACPY_PROVIDER_POST("completions", "complete", wacpy_post_complete)
#endif

#endif
