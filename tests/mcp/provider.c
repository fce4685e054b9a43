/* The `provider` world of fixtures.wit: a user component with tools, resources, prompts and
 * completions whose names start with PREFIX (a -D flag), every optional field filled in somewhere so
 * that a wrong memory layout anywhere in the chain shows. */
#include "wacpy_alloc.h"
#include "wacpy_mcp_imports.h"

#ifndef PREFIX
#error "build with -DPREFIX='\"name\"'"
#endif

#define EXPORT(iface, name) WACPY_EXPORT(WACPY_MCP_IFACE(iface) "#" name)
#define POST(iface, fn, name)                                                    \
    WACPY_EXPORT("cabi_post_" WACPY_MCP_IFACE(iface) "#" name) void post_##fn(void *r) { \
        (void)r;                                                                 \
        wacpy_arena_reset(&arena);                                               \
    }
#define S(text) WACPY_LIT(text)
#define SOME(text) ((wacpy_option_string){1, WACPY_LIT(text)})
#define NONE ((wacpy_option_string){0, {0, 0}})
#define LIST(array) ((wacpy_list){(void *)(array), sizeof(array) / sizeof((array)[0])})

static wacpy_arena arena;
WACPY_RETAREA(ret, 64);

WACPY_EXPORT("cabi_realloc")
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    return wacpy_arena_realloc(&arena, old, old_size, align, new_size);
}

static void *done(int32_t ctx) {
    wacpy_context_drop(ctx);
    return ret;
}

static wacpy_string concat(wacpy_string a, wacpy_string b) {
    uint8_t *p = (uint8_t *)wacpy_arena_alloc(&arena, a.len + b.len, 1);
    __builtin_memcpy(p, a.ptr, a.len);
    __builtin_memcpy(p + a.len, b.ptr, b.len);
    return (wacpy_string){p, a.len + b.len};
}

static const wacpy_string icon_sizes[] = {S("48x48"), S("96x96")};
static const wacpy_mcp_icon icons[] = {{S("https://example.com/" PREFIX ".png"), SOME("image/png"), LIST(icon_sizes)}};

/* -- tools ---------------------------------------------------------------------------------- */
static const wacpy_mcp_tool tools[] = {
    {S(PREFIX "-echo"), SOME(PREFIX " echo"), SOME("Echoes its arguments"), S("{\"type\":\"object\"}"),
     SOME("{\"type\":\"object\"}"), SOME("{\"readOnlyHint\":true}"), LIST(icons)},
    {S(PREFIX "-fail"), NONE, SOME("Always fails"), S("{\"type\":\"object\"}"), NONE, NONE, {0, 0}},
    {S(PREFIX "-version"), NONE, SOME("The protocol version of the context"), S("{}"), NONE, NONE, {0, 0}},
};
static const uint8_t audience[] = {WACPY_ROLE_USER, WACPY_ROLE_ASSISTANT};
static const uint8_t image[] = {1, 2, 3};
static wacpy_mcp_content_block content[2];

EXPORT("tools", "list-tools") void *list_tools(int32_t ctx) {
    *(wacpy_list *)ret = LIST(tools);
    return done(ctx);
}
POST("tools", list_tools, "list-tools")

EXPORT("tools", "call-tool")
void *call_tool(int32_t ctx, wacpy_ptr name_ptr, size_t name_len, wacpy_ptr args, size_t args_len) {
    wacpy_string name = {name_ptr, name_len};
    wacpy_opt_result_call_tool *r = (wacpy_opt_result_call_tool *)ret;
    r->is_some = 1;
    r->val.is_err = 0;
    if (wacpy_string_eq(name, S(PREFIX "-echo"))) {
        wacpy_context_log(ctx, WACPY_LOG_INFO, 1, (wacpy_ptr)PREFIX, sizeof PREFIX - 1, args, args_len);
        wacpy_context_progress(ctx, 1, 1, 2, 0, 0, 0);
        content[0].tag = WACPY_CONTENT_TEXT;
        content[0].val.text = (wacpy_mcp_text_content){
            {args, args_len},
            {1, {{(void *)audience, 2}, {1, 0.5}, SOME("2025-01-01T00:00:00Z")}},
        };
        content[1].tag = WACPY_CONTENT_IMAGE;
        content[1].val.media = (wacpy_mcp_media_content){{(void *)image, 3}, S("image/png"), {0, {{0}}}};
        r->val.val.ok = (wacpy_mcp_call_tool_result){{content, 2}, {1, {args, args_len}}, 0};
    } else if (wacpy_string_eq(name, S(PREFIX "-version"))) {
        wacpy_string version;
        wacpy_context_protocol_version(ctx, &version);
        content[0].tag = WACPY_CONTENT_TEXT;
        content[0].val.text = (wacpy_mcp_text_content){version, {0, {{0}}}};
        r->val.val.ok = (wacpy_mcp_call_tool_result){{content, 1}, NONE, 0};
    } else if (wacpy_string_eq(name, S(PREFIX "-fail"))) {
        r->val.is_err = 1;
        r->val.val.err = (wacpy_mcp_error){-32000, S("tool failed"), SOME("{\"why\":\"" PREFIX "\"}")};
    } else {
        r->is_some = 0;
    }
    return done(ctx);
}
POST("tools", call_tool, "call-tool")

/* -- resources ------------------------------------------------------------------------------ */
static const wacpy_mcp_resource resources[] = {
    {S("test://" PREFIX "/text"), S(PREFIX "-text"), SOME("Text of " PREFIX), SOME("Some text"), SOME("text/plain"),
     {1, 1234}, LIST(icons)},
};
static const wacpy_mcp_resource_template templates[] = {
    {S("test://" PREFIX "/{id}"), S(PREFIX "-items"), SOME("Items"), NONE, SOME("text/plain"), {0, 0}},
};
static const uint8_t blob[] = {0, 1, 2, 255};
static const wacpy_mcp_resource_contents contents[] = {
    {WACPY_CONTENTS_TEXT, {S("test://" PREFIX "/text"), SOME("text/plain"), S("hello from " PREFIX)}},
    {WACPY_CONTENTS_BLOB, {S("test://" PREFIX "/text"), NONE, {blob, sizeof blob}}},
};

EXPORT("resources", "list-resources") void *list_resources(int32_t ctx) {
    *(wacpy_list *)ret = LIST(resources);
    return done(ctx);
}
POST("resources", list_resources, "list-resources")

EXPORT("resources", "list-resource-templates") void *list_resource_templates(int32_t ctx) {
    *(wacpy_list *)ret = LIST(templates);
    return done(ctx);
}
POST("resources", list_resource_templates, "list-resource-templates")

EXPORT("resources", "read-resource") void *read_resource(int32_t ctx, wacpy_ptr uri, size_t uri_len) {
    wacpy_opt_result_list *r = (wacpy_opt_result_list *)ret;
    r->is_some = wacpy_string_eq((wacpy_string){uri, uri_len}, S("test://" PREFIX "/text"));
    r->val.is_err = 0;
    r->val.val.ok = LIST(contents);
    return done(ctx);
}
POST("resources", read_resource, "read-resource")

/* -- prompts -------------------------------------------------------------------------------- */
static const wacpy_mcp_prompt_argument prompt_arguments[] = {
    {S("who"), SOME("Who"), SOME("Whom to greet"), 1},
    {S("mood"), NONE, NONE, 0},
};
static const wacpy_mcp_prompt prompts[] = {
    {S(PREFIX "-greet"), SOME("Greeting"), SOME("Greets someone"), LIST(prompt_arguments), LIST(icons)},
};
static wacpy_mcp_prompt_message messages[1];

EXPORT("prompts", "list-prompts") void *list_prompts(int32_t ctx) {
    *(wacpy_list *)ret = LIST(prompts);
    return done(ctx);
}
POST("prompts", list_prompts, "list-prompts")

EXPORT("prompts", "get-prompt")
void *get_prompt(int32_t ctx, wacpy_ptr name, size_t name_len, wacpy_ptr args, size_t args_len) {
    wacpy_opt_result_get_prompt *r = (wacpy_opt_result_get_prompt *)ret;
    r->is_some = wacpy_string_eq((wacpy_string){name, name_len}, S(PREFIX "-greet"));
    if (r->is_some) {
        const wacpy_string_pair *pairs = (const wacpy_string_pair *)args;
        wacpy_string who = args_len ? pairs[0].value : S("nobody");
        messages[0].role = WACPY_ROLE_ASSISTANT;
        messages[0].content.tag = WACPY_CONTENT_TEXT;
        messages[0].content.val.text = (wacpy_mcp_text_content){concat(S("Hello, "), who), {0, {{0}}}};
        r->val.is_err = 0;
        r->val.val.ok = (wacpy_mcp_get_prompt_result){SOME("A greeting"), {messages, 1}};
    }
    return done(ctx);
}
POST("prompts", get_prompt, "get-prompt")

/* -- completions ---------------------------------------------------------------------------- */
static wacpy_string values[2];

EXPORT("completions", "complete")
void *complete(int32_t ctx, uint32_t ref_tag, wacpy_ptr ref, size_t ref_len, wacpy_ptr name, size_t name_len,
               wacpy_ptr value, size_t value_len, wacpy_ptr context_args, size_t context_args_len) {
    (void)name, (void)name_len, (void)context_args, (void)context_args_len;
    wacpy_opt_result_completion *r = (wacpy_opt_result_completion *)ret;
    r->is_some = ref_tag == 0 && wacpy_string_eq((wacpy_string){ref, ref_len}, S(PREFIX "-greet"));
    if (r->is_some) {
        values[0] = concat((wacpy_string){value, value_len}, S("-1"));
        values[1] = concat((wacpy_string){value, value_len}, S("-2"));
        r->val.is_err = 0;
        r->val.val.ok = (wacpy_mcp_completion){{values, 2}, {1, 2}, 0};
    }
    return done(ctx);
}
POST("completions", complete, "complete")
