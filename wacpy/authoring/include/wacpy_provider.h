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

/* The generated bindings (wacpy_mcp.h) compile the exports of the interfaces asked for. */
#ifdef WACPY_PROVIDE_TOOLS
#define WACPY_IMPLEMENT_WACPY_MCP_TOOLS
#endif
#ifdef WACPY_PROVIDE_RESOURCES
#define WACPY_IMPLEMENT_WACPY_MCP_RESOURCES
#endif
#ifdef WACPY_PROVIDE_PROMPTS
#define WACPY_IMPLEMENT_WACPY_MCP_PROMPTS
#endif
#ifdef WACPY_PROVIDE_COMPLETIONS
#define WACPY_IMPLEMENT_WACPY_MCP_COMPLETIONS
#endif
#include "wacpy_mcp.h"
#include "wacpy_alloc.h"
#include "wacpy_json.h"

typedef wacpy_mcp_context wacpy_ctx; /* the request's context (a borrowed handle) */
typedef wacpy_mcp_option_result_call_tool_result_error wacpy_tool_reply;
typedef wacpy_mcp_option_result_list_resource_contents_error wacpy_resource_reply;
typedef wacpy_mcp_option_result_get_prompt_result_error wacpy_prompt_reply;
typedef wacpy_mcp_option_result_completion_error wacpy_completion_reply;
typedef wacpy_tuple2_string_string wacpy_string_pair; /* f0: the name, f1: the value */
typedef struct {
    const wacpy_string_pair *items;
    size_t len;
} wacpy_prompt_args;

/* Short names for the generated enum and variant constants. */
#define WACPY_LOG_DEBUG WACPY_MCP_LOG_LEVEL_DEBUG
#define WACPY_LOG_INFO WACPY_MCP_LOG_LEVEL_INFO
#define WACPY_LOG_NOTICE WACPY_MCP_LOG_LEVEL_NOTICE
#define WACPY_LOG_WARNING WACPY_MCP_LOG_LEVEL_WARNING
#define WACPY_LOG_ERROR WACPY_MCP_LOG_LEVEL_ERROR
#define WACPY_LOG_CRITICAL WACPY_MCP_LOG_LEVEL_CRITICAL
#define WACPY_LOG_ALERT WACPY_MCP_LOG_LEVEL_ALERT
#define WACPY_LOG_EMERGENCY WACPY_MCP_LOG_LEVEL_EMERGENCY
#define WACPY_ROLE_USER WACPY_MCP_ROLE_USER
#define WACPY_ROLE_ASSISTANT WACPY_MCP_ROLE_ASSISTANT
#define WACPY_CONTENT_TEXT WACPY_MCP_CONTENT_BLOCK_TEXT
#define WACPY_CONTENT_IMAGE WACPY_MCP_CONTENT_BLOCK_IMAGE
#define WACPY_CONTENT_AUDIO WACPY_MCP_CONTENT_BLOCK_AUDIO
#define WACPY_CONTENT_RESOURCE_LINK WACPY_MCP_CONTENT_BLOCK_RESOURCE_LINK
#define WACPY_CONTENT_EMBEDDED_RESOURCE WACPY_MCP_CONTENT_BLOCK_EMBEDDED_RESOURCE
#define WACPY_CONTENTS_TEXT WACPY_MCP_RESOURCE_CONTENTS_TEXT
#define WACPY_CONTENTS_BLOB WACPY_MCP_RESOURCE_CONTENTS_BLOB

/* -- tables of tools, resources and prompts ------------------------------------------------- */
#define WACPY_SOME(text) ((wacpy_option_string){1, WACPY_LIT(text)})
#define WACPY_NONE ((wacpy_option_string){0, {0, 0}})
#define WACPY_ARRAY(array) ((wacpy_list){(void *)(array), sizeof(array) / sizeof((array)[0])})
/* No items: the initializer of any list field of a table entry (icons, arguments). */
#define WACPY_EMPTY {0, 0}
/* WACPY_ARRAY(a) or WACPY_EMPTY as the initializer of a typed list field inside a table entry:
 * WACPY_IN_TABLE_ is pasted onto the argument's first token (a macro taking such an argument pastes it
 * itself, as WACPY_PROMPT does: an argument passed on would be expanded before the paste). */
#define WACPY_IN_TABLE(list) WACPY_IN_TABLE_##list
#define WACPY_IN_TABLE_WACPY_ARRAY(array) {(array), sizeof(array) / sizeof((array)[0])}
#define WACPY_IN_TABLE_WACPY_EMPTY {0, 0}
/* A tool: name, description, input schema (JSON text). */
#define WACPY_TOOL(name, description, schema) \
    {WACPY_LIT(name), WACPY_NONE, WACPY_SOME(description), WACPY_LIT(schema), WACPY_NONE, WACPY_NONE, {0, 0}}
/* A tool with an output schema (JSON text: the `structuredContent` its results carry, given with
 * wacpy_reply_structured). */
#define WACPY_TOOL_OUT(name, description, schema, output_schema)                                              \
    {WACPY_LIT(name), WACPY_NONE, WACPY_SOME(description), WACPY_LIT(schema), WACPY_SOME(output_schema), WACPY_NONE, \
     {0, 0}}
/* A resource: URI, name, description, MIME type. */
#define WACPY_RESOURCE(uri, name, description, mime) \
    {WACPY_LIT(uri), WACPY_LIT(name), WACPY_NONE, WACPY_SOME(description), WACPY_SOME(mime), {0, 0}, {0, 0}}
/* A prompt argument: name, description, required (0 or 1). */
#define WACPY_PROMPT_ARG(name, description, required) \
    {WACPY_LIT(name), WACPY_NONE, WACPY_SOME(description), (required)}
/* A prompt: name, description, its arguments (an array of WACPY_PROMPT_ARG, or WACPY_EMPTY). */
#define WACPY_PROMPT(name, description, arguments) \
    {WACPY_LIT(name), WACPY_NONE, WACPY_SOME(description), WACPY_IN_TABLE_##arguments, {0, 0}}

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

/* -- reading JSON arguments (wacpy_json_read.h) ---------------------------------------------- */
/* The JSON string `raw` (quotes included) decoded to UTF-8 in the call's memory; 0 if it is not a
 * JSON string or holds a lone surrogate escape (`"\ud800"`). */
WACPY_NOINLINE int wacpy_json_decode_string(wacpy_string raw, wacpy_string *out) {
    if (wacpy_json_kind(raw) != '"' || !wacpy_json_valid(raw)) return 0;
    uint8_t *buf = (uint8_t *)wacpy_alloc(raw.len);
    int lone = 0;
    *out = (wacpy_string){buf, wacpy_json_unescape(raw, buf, &lone)};
    return !lone;
}

/* The raw JSON text of member `key` of the object `json` (the first when the key is repeated); 0 if
 * absent or `json` is not a valid JSON object (at most WACPY_JSON_MAX_DEPTH deep). */
WACPY_NOINLINE int wacpy_json_member(wacpy_string json, const char *key, wacpy_string *raw) {
    if (!wacpy_json_valid(json)) return 0;
    json = wacpy_json_trim(json);
    if (wacpy_json_kind(json) != '{') return 0;
    wacpy_json_iter it = wacpy_json_iterate(json);
    wacpy_string name;
    while (wacpy_json_next_member(&it, &name, raw))
        if (wacpy_json_string_equals(name, key)) return 1;
    return 0;
}

/* -- argument problems -------------------------------------------------------------------- */
/* Why the last wacpy_arg_* call returned 0: "KEY: missing required argument", "KEY: expected
 * integer, got 2.5", ... (valid until the call returns). Reply with wacpy_reply_invalid_arguments. */
WACPY_WEAK wacpy_string wacpy_arg_problem_text;

static inline wacpy_string wacpy_arg_problem(void) { return wacpy_arg_problem_text; }

static inline const char *wacpy_json_type_name(wacpy_string raw) {
    uint8_t c = raw.len ? raw.ptr[0] : 0;
    return c == '"' ? "string" : c == '{' ? "object" : c == '[' ? "array" : c == 't' || c == 'f' ? "boolean"
         : c == 'n' ? "null" : c == '-' || (c >= '0' && c <= '9') ? "number" : "malformed JSON";
}

/* Record the problem "KEY: WHAT" (+ " SHOWN", at most 40 bytes of it, when SHOWN is given); 0. */
WACPY_NOINLINE int wacpy_arg_fail(const char *key, const char *what, const wacpy_string *shown) {
    wacpy_out o = wacpy_writer();
    for (size_t n = 0; key[n]; n++) wacpy_out_byte(&o, (uint8_t)key[n]);
    wacpy_out_lit(&o, ": ");
    for (size_t n = 0; what[n]; n++) wacpy_out_byte(&o, (uint8_t)what[n]);
    if (shown) {
        wacpy_out_byte(&o, ' ');
        wacpy_out_write(&o, shown->ptr, shown->len > 40 ? 40 : shown->len);
        if (shown->len > 40) wacpy_out_lit(&o, "...");
    }
    wacpy_arg_problem_text = wacpy_written(&o);
    return 0;
}

static inline int wacpy_arg_wrong_type(const char *key, const char *expected, wacpy_string raw) {
    wacpy_out o = wacpy_writer();
    wacpy_out_lit(&o, "expected ");
    for (size_t n = 0; expected[n]; n++) wacpy_out_byte(&o, (uint8_t)expected[n]);
    wacpy_out_lit(&o, ", got ");
    const char *got = wacpy_json_type_name(raw);
    for (size_t n = 0; got[n]; n++) wacpy_out_byte(&o, (uint8_t)got[n]);
    wacpy_out_byte(&o, 0);
    return wacpy_arg_fail(key, (const char *)o.buf, 0);
}

/* Member `key` of the arguments as a string; 0 if absent or not a string. */
static inline int wacpy_arg_string(wacpy_string arguments, const char *key, wacpy_string *out) {
    wacpy_string raw;
    if (!wacpy_json_member(arguments, key, &raw)) return wacpy_arg_fail(key, "missing required argument", 0);
    if (raw.len == 0 || raw.ptr[0] != '"') return wacpy_arg_wrong_type(key, "string", raw);
    return wacpy_json_decode_string(raw, out) ? 1 : wacpy_arg_fail(key, "malformed string", 0);
}

/* -- integers ------------------------------------------------------------------------------- */
enum { WACPY_INT_OK = 1, WACPY_INT_NOT_A_NUMBER = 0, WACPY_INT_NOT_INTEGRAL = -1, WACPY_INT_OUT_OF_RANGE = -2 };


/* The JSON number `raw` as an exact int64: WACPY_INT_OK and `*out`, or why not. Integral numbers in
 * any notation count (`2.0`, `25e-1`, `1.5E3`, `-0`), as in the Python SDK; no rounding happens. */
WACPY_NOINLINE int wacpy_json_int(wacpy_string raw, int64_t *out) {
    const uint8_t *p = raw.ptr, *end = raw.ptr + raw.len;
    int negative = p < end && *p == '-';
    p += negative;
    if (p >= end || !wacpy_json_is_digit(*p) || (*p == '0' && p + 1 < end && wacpy_json_is_digit(p[1])))
        return WACPY_INT_NOT_A_NUMBER;
    const uint8_t *whole = p;
    while (p < end && wacpy_json_is_digit(*p)) p++;
    size_t whole_len = (size_t)(p - whole), fraction_len = 0;
    const uint8_t *fraction = p;
    if (p < end && *p == '.') {
        fraction = ++p;
        while (p < end && wacpy_json_is_digit(*p)) p++;
        fraction_len = (size_t)(p - fraction);
        if (!fraction_len) return WACPY_INT_NOT_A_NUMBER;
    }
    int64_t exponent = 0;
    if (p < end && (*p == 'e' || *p == 'E')) {
        int exponent_negative = ++p < end && *p == '-';
        if (p < end && (*p == '+' || *p == '-')) p++;
        if (p >= end || !wacpy_json_is_digit(*p)) return WACPY_INT_NOT_A_NUMBER;
        for (; p < end && wacpy_json_is_digit(*p); p++)
            if (exponent < 1000000000000LL) exponent = exponent * 10 + (*p - '0'); /* beyond: the same verdict */
        if (exponent_negative) exponent = -exponent;
    }
    if (p != end) return WACPY_INT_NOT_A_NUMBER;
    /* The digits, whole part then fraction, are D; the value is D * 10^(exponent - fraction_len). */
    size_t count = whole_len + fraction_len, first = 0, last = count;
#define WACPY_DIGIT(i) ((i) < whole_len ? whole[i] : fraction[(i) - whole_len])
    while (first < count && WACPY_DIGIT(first) == '0') first++;
    if (first == count) {
        *out = 0;
        return WACPY_INT_OK;
    }
    while (WACPY_DIGIT(last - 1) == '0') last--;
    int64_t scale = exponent - (int64_t)fraction_len + (int64_t)(count - last); /* of the last nonzero digit */
    if (scale < 0) return WACPY_INT_NOT_INTEGRAL;
    if ((int64_t)(last - first) + scale > 19) return WACPY_INT_OUT_OF_RANGE;
    uint64_t magnitude = 0; /* at most 19 digits: fits in 64 bits */
    for (size_t i = first; i < last; i++) magnitude = magnitude * 10 + (uint64_t)(WACPY_DIGIT(i) - '0');
#undef WACPY_DIGIT
    for (int64_t i = 0; i < scale; i++) magnitude *= 10;
    if (magnitude > (uint64_t)INT64_MAX + (uint64_t)negative) return WACPY_INT_OUT_OF_RANGE;
    *out = negative ? (int64_t)(0 - magnitude) : (int64_t)magnitude;
    return WACPY_INT_OK;
}

/* Member `key` of the arguments as a 64-bit integer: any JSON number with an integral value
 * (`7`, `2.0`, `1e3`) from -2^63 to 2^63-1; 0 if absent, not a number, not integral or out of
 * range (wacpy_arg_problem says which). */
WACPY_NOINLINE int wacpy_arg_int(wacpy_string arguments, const char *key, int64_t *out) {
    wacpy_string raw;
    if (!wacpy_json_member(arguments, key, &raw)) return wacpy_arg_fail(key, "missing required argument", 0);
    switch (wacpy_json_int(raw, out)) {
    case WACPY_INT_OK: return 1;
    case WACPY_INT_NOT_INTEGRAL: return wacpy_arg_fail(key, "expected integer, got", &raw);
    case WACPY_INT_OUT_OF_RANGE: return wacpy_arg_fail(key, "integer out of range for 64 bits:", &raw);
    default: return wacpy_arg_wrong_type(key, "integer", raw);
    }
}

/* Member `key` of the arguments as a boolean; 0 if absent or not one. */
static inline int wacpy_arg_bool(wacpy_string arguments, const char *key, int *out) {
    wacpy_string raw;
    if (!wacpy_json_member(arguments, key, &raw)) return wacpy_arg_fail(key, "missing required argument", 0);
    if (wacpy_streq(raw, "true")) *out = 1;
    else if (wacpy_streq(raw, "false")) *out = 0;
    else return wacpy_arg_wrong_type(key, "boolean", raw);
    return 1;
}

/* The value of prompt argument `name`; 0 if the client did not give it. */
static inline int wacpy_prompt_arg(wacpy_prompt_args args, const char *name, wacpy_string *value) {
    for (size_t i = 0; i < args.len; i++) {
        if (wacpy_streq(args.items[i].f0, name)) {
            *value = args.items[i].f1;
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
    wacpy_mcp_context_log(ctx, (wacpy_mcp_log_level)level, &(wacpy_option_string){0, {0, 0}}, wacpy_written(&o));
}

/* -- replies -------------------------------------------------------------------------------- */
/* A JSON-RPC error for any reply (e.g. -32602 for bad arguments). */
#define wacpy_reply_error(reply, code_, message_)                                          \
    do {                                                                                   \
        (reply)->val.is_err = 1;                                                           \
        (reply)->val.val.err = (wacpy_mcp_error){(code_), (message_), {0, {0, 0}}};        \
    } while (0)

/* -32602 "Invalid arguments for tool TOOL: " and what the last failed wacpy_arg_* call found (the
 * Python SDK's wording). */
static inline void wacpy_reply_invalid_arguments(wacpy_tool_reply *reply, wacpy_string tool) {
    wacpy_out o = wacpy_writer();
    wacpy_out_lit(&o, "Invalid arguments for tool ");
    wacpy_out_str(&o, tool);
    wacpy_out_lit(&o, ": ");
    wacpy_out_str(&o, wacpy_arg_problem_text);
    wacpy_reply_error(reply, -32602, wacpy_written(&o));
}

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
    r->val.val.ok = (wacpy_mcp_call_tool_result){{wacpy_text_block(text), 1}, WACPY_NONE, is_error != 0};
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
    *c = (wacpy_mcp_resource_contents){WACPY_CONTENTS_TEXT, .val.text = {uri, mime, text}};
    r->val.is_err = 0;
    r->val.val.ok = (wacpy_mcp_list_resource_contents){c, 1};
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
/* The typed exports wacpy_mcp.h declares, around the plain functions above; every one drops the
 * borrowed context, and every post-return frees the call's memory. */
#define WACPY_PROVIDER_POST(fn, T)                               \
    static void exports_wacpy_mcp_##fn##_post(T *ret) {          \
        (void)ret;                                               \
        wacpy_arena_reset(&wacpy_provider_arena);                \
    }
/* Answer a list export with the list `user_fn` gives. */
#define WACPY_PROVIDER_LIST(fn, T, E, user_fn)                                \
    static void exports_wacpy_mcp_##fn(wacpy_mcp_context ctx, T *ret) {       \
        wacpy_list list = user_fn(ctx);                                       \
        *ret = (T){(E *)list.ptr, list.len};                                  \
        wacpy_mcp_context_drop(ctx);                                          \
    }                                                                         \
    WACPY_PROVIDER_POST(fn, T)

#ifdef WACPY_PROVIDE_TOOLS
wacpy_list tools_list(wacpy_ctx ctx);
int tools_call(wacpy_ctx ctx, wacpy_string name, wacpy_string arguments, wacpy_tool_reply *reply);

WACPY_PROVIDER_LIST(tools_list_tools, wacpy_mcp_list_tool, wacpy_mcp_tool, tools_list)

static void exports_wacpy_mcp_tools_call_tool(wacpy_mcp_context ctx, wacpy_string name, wacpy_string arguments,
                                              wacpy_tool_reply *r) {
    *r = (wacpy_tool_reply){0};
    r->is_some = tools_call(ctx, name, arguments, r) != 0;
    wacpy_mcp_context_drop(ctx);
}
WACPY_PROVIDER_POST(tools_call_tool, wacpy_tool_reply)
#endif

#ifdef WACPY_PROVIDE_RESOURCES
wacpy_list resources_list(wacpy_ctx ctx);
/* Resource templates: define WACPY_PROVIDE_RESOURCE_TEMPLATES and write `resource_templates_list`. */
#ifdef WACPY_PROVIDE_RESOURCE_TEMPLATES
wacpy_list resource_templates_list(wacpy_ctx ctx);
#else
static wacpy_list resource_templates_list(wacpy_ctx ctx) {
    (void)ctx;
    return (wacpy_list){0, 0};
}
#endif
int resources_read(wacpy_ctx ctx, wacpy_string uri, wacpy_resource_reply *reply);

WACPY_PROVIDER_LIST(resources_list_resources, wacpy_mcp_list_resource, wacpy_mcp_resource, resources_list)
WACPY_PROVIDER_LIST(resources_list_resource_templates, wacpy_mcp_list_resource_template, wacpy_mcp_resource_template,
                    resource_templates_list)

static void exports_wacpy_mcp_resources_read_resource(wacpy_mcp_context ctx, wacpy_string uri,
                                                      wacpy_resource_reply *r) {
    *r = (wacpy_resource_reply){0};
    r->is_some = resources_read(ctx, uri, r) != 0;
    wacpy_mcp_context_drop(ctx);
}
WACPY_PROVIDER_POST(resources_read_resource, wacpy_resource_reply)
#endif

#ifdef WACPY_PROVIDE_PROMPTS
wacpy_list prompts_list(wacpy_ctx ctx);
int prompts_get(wacpy_ctx ctx, wacpy_string name, wacpy_prompt_args args, wacpy_prompt_reply *reply);

WACPY_PROVIDER_LIST(prompts_list_prompts, wacpy_mcp_list_prompt, wacpy_mcp_prompt, prompts_list)

static void exports_wacpy_mcp_prompts_get_prompt(wacpy_mcp_context ctx, wacpy_string name,
                                                 wacpy_list_tuple2_string_string arguments, wacpy_prompt_reply *r) {
    *r = (wacpy_prompt_reply){0};
    r->is_some = prompts_get(ctx, name, (wacpy_prompt_args){arguments.ptr, arguments.len}, r) != 0;
    wacpy_mcp_context_drop(ctx);
}
WACPY_PROVIDER_POST(prompts_get_prompt, wacpy_prompt_reply)
#endif

#ifdef WACPY_PROVIDE_COMPLETIONS
int completions_complete(wacpy_ctx ctx, const wacpy_mcp_completion_request *request, wacpy_completion_reply *reply);

static void exports_wacpy_mcp_completions_complete(wacpy_mcp_context ctx, const wacpy_mcp_completion_request *request,
                                                   wacpy_completion_reply *r) {
    *r = (wacpy_completion_reply){0};
    r->is_some = completions_complete(ctx, request, r) != 0;
    wacpy_mcp_context_drop(ctx);
}
WACPY_PROVIDER_POST(completions_complete, wacpy_completion_reply)
#endif

#endif
