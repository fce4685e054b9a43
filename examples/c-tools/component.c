/* c-tools: `echo` and `word-count` in freestanding C (wacpy_provider.h comes with wacpy).
 *
 * `wacpy build` in this folder makes c-tools.wasm, a component of a few KB.
 */
#define WACPY_PROVIDE_TOOLS
#include "wacpy_provider.h"

static const wacpy_mcp_tool tools[] = {
    WACPY_TOOL("echo", "Echo the text back",
               "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}},\"required\":[\"text\"]}"),
    {WACPY_LIT("word-count"), WACPY_SOME("Word count"), WACPY_SOME("Count the words, lines and characters of a text"),
     WACPY_LIT("{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\",\"description\":\"The text\"}},"
               "\"required\":[\"text\"]}"),
     WACPY_SOME("{\"type\":\"object\",\"properties\":{\"words\":{\"type\":\"integer\"},\"lines\":{\"type\":\"integer\"},"
                "\"characters\":{\"type\":\"integer\"}},\"required\":[\"words\",\"lines\",\"characters\"]}"),
     WACPY_SOME("{\"readOnlyHint\":true}"), WACPY_EMPTY},
};

wacpy_list tools_list(wacpy_ctx ctx) {
    (void)ctx;
    return WACPY_ARRAY(tools);
}

static int is_space(uint8_t c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

static void word_count(wacpy_string text, wacpy_tool_reply *reply) {
    uint64_t words = 0, lines = 0, characters = 0;
    int in_word = 0;
    for (size_t i = 0; i < text.len; i++) {
        uint8_t c = text.ptr[i];
        if ((c & 0xC0) != 0x80) characters++; /* count code points, not UTF-8 continuation bytes */
        if (c == '\n') lines++;
        if (is_space(c)) {
            in_word = 0;
        } else if (!in_word) {
            in_word = 1;
            words++;
        }
    }
    if (text.len && text.ptr[text.len - 1] != '\n') lines++;
    wacpy_out json = wacpy_writer();
    wacpy_out_lit(&json, "{\"words\":");
    wacpy_json_u64(&json, words);
    wacpy_out_lit(&json, ",\"lines\":");
    wacpy_json_u64(&json, lines);
    wacpy_out_lit(&json, ",\"characters\":");
    wacpy_json_u64(&json, characters);
    wacpy_out_lit(&json, "}");
    wacpy_reply_structured(reply, wacpy_written(&json));
}

int tools_call(wacpy_ctx ctx, wacpy_string name, wacpy_string arguments, wacpy_tool_reply *reply) {
    int echo = wacpy_streq(name, "echo");
    if (!echo && !wacpy_streq(name, "word-count")) return 0;
    wacpy_string text;
    if (!wacpy_arg_string(arguments, "text", &text)) {
        wacpy_reply_error(reply, -32602, WACPY_LIT("Invalid arguments: `text` must be a string"));
        return 1;
    }
    wacpy_log(ctx, WACPY_LOG_DEBUG, name);
    if (echo)
        wacpy_reply_text(reply, text, 0);
    else
        word_count(text, reply);
    return 1;
}
