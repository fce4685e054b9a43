/* What the session-store backends that keep entries (filesystem, keyvalue) share beyond the entry
 * bytes: the call arena and its post-return resets, failure messages, escaped names, and turning
 * a value into an entry and back. Include it after the world's bindings (which declare the
 * `wacpy:mcp/store` types and import `wasi:clocks/wall-clock`), in the one translation unit.
 */
#ifndef WACPY_STORE_BACKEND_H
#define WACPY_STORE_BACKEND_H

#include "wacpy_alloc.h"
#include "wacpy_store_entry.h"

typedef wacpy_mcp_store_store_error store_error;

/* Call arguments and results live in an arena that the post-return functions reset. */
static wacpy_arena arena;

WACPY_EXPORT("cabi_realloc")
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    return wacpy_arena_realloc(&arena, old, old_size, align, new_size);
}

static void reset_arena(void) { wacpy_arena_reset(&arena); }

static void exports_wacpy_mcp_store_available_post(uint8_t ret) {
    (void)ret;
    reset_arena();
}
static void exports_wacpy_mcp_store_create_scope_post(wacpy_mcp_result_void_store_store_error *ret) {
    (void)ret;
    reset_arena();
}
static void exports_wacpy_mcp_store_get_post(wacpy_mcp_result_option_store_entry_store_store_error *ret) {
    (void)ret;
    reset_arena();
}
static void exports_wacpy_mcp_store_set_post(wacpy_mcp_result_void_store_store_error *ret) {
    (void)ret;
    reset_arena();
}
static void exports_wacpy_mcp_store_delete_post(wacpy_mcp_result_void_store_store_error *ret) {
    (void)ret;
    reset_arena();
}
static void exports_wacpy_mcp_store_keys_post(wacpy_mcp_result_list_string_store_store_error *ret) {
    (void)ret;
    reset_arena();
}
static void exports_wacpy_mcp_store_clear_post(wacpy_mcp_result_void_store_store_error *ret) {
    (void)ret;
    reset_arena();
}

/* -- messages ------------------------------------------------------------------------------------ */

typedef struct {
    uint8_t *ptr;
    size_t len, cap;
} text;

/* Room for `n` more bytes at the end of `t`, counted as written. */
static uint8_t *extend(text *t, size_t n) {
    if (t->len + n > t->cap) {
        size_t cap = (t->len + n) * 2 + 64;
        uint8_t *grown = (uint8_t *)wacpy_arena_alloc(&arena, cap, 1);
        if (t->len) __builtin_memcpy(grown, t->ptr, t->len);
        t->ptr = grown, t->cap = cap;
    }
    t->len += n;
    return t->ptr + t->len - n;
}

static void put(text *t, const void *p, size_t n) {
    uint8_t *at = extend(t, n);
    if (n) __builtin_memcpy(at, p, n);
}

static void put_c(text *t, const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    put(t, s, n);
}
static void put_s(text *t, wacpy_string s) { put(t, s.ptr, s.len); }

static wacpy_string text_string(text t) { return (wacpy_string){t.ptr, t.len}; }

/* "session store: cannot <what> <scope>/<key>: <why>" (no `/<key>` for an empty key) */
static store_error failure_s(const char *what, wacpy_string scope, wacpy_string key, wacpy_string why) {
    text t = {0};
    put_c(&t, "session store: cannot ");
    put_c(&t, what);
    put_c(&t, " ");
    put_s(&t, scope);
    if (key.len) {
        put_c(&t, "/");
        put_s(&t, key);
    }
    put_c(&t, ": ");
    put_s(&t, why);
    return (store_error){WACPY_MCP_STORE_STORE_ERROR_FAILED, .val.failed = text_string(t)};
}

static store_error failure(const char *what, wacpy_string scope, wacpy_string key, const char *why) {
    text t = {0};
    put_c(&t, why);
    return failure_s(what, scope, key, text_string(t));
}

/* -- names --------------------------------------------------------------------------------------- */

/* `prefix`, the escaped scope, and with `with_key` a `/` and the escaped key: the name a backend
 * keeps. 0 when a name is empty or too long (the reason in *why). */
static int store_name(const char *prefix, wacpy_string scope, wacpy_string key, int with_key, wacpy_string *name,
                      const char **why) {
    if (!scope.len || (with_key && !key.len)) {
        *why = "empty name";
        return 0;
    }
    if (scope.len > WACPY_STORE_NAME_LIMIT || key.len > WACPY_STORE_NAME_LIMIT) {
        *why = "name longer than 120 bytes";
        return 0;
    }
    text t = {0};
    put_c(&t, prefix);
    size_t at = t.len;
    uint8_t *out = extend(&t, 3 * (scope.len + key.len) + 1); /* room for the escaped names */
    size_t s = wacpy_store_escape(scope, out), k = 0;
    if (with_key) {
        out[s] = '/';
        k = wacpy_store_escape(key, out + s + 1);
    }
    if (s > WACPY_STORE_ESCAPED_LIMIT || k > WACPY_STORE_ESCAPED_LIMIT) {
        *why = "name too long once escaped (255 bytes)";
        return 0;
    }
    *name = (wacpy_string){t.ptr, at + s + (with_key ? 1 + k : 0)};
    return 1;
}

/* -- entries ------------------------------------------------------------------------------------- */

static uint64_t now_seconds(void) {
    wasi_clocks_wall_clock_datetime now;
    wasi_clocks_wall_clock_now(&now);
    return now.seconds;
}

/* The entry that keeps `value` (at most the limit), written now. */
static wacpy_list_u8 new_entry(wacpy_list_u8 value) {
    uint8_t *entry = (uint8_t *)wacpy_arena_alloc(&arena, WACPY_STORE_HEADER + value.len, 1);
    wacpy_store_header(entry, now_seconds(), value.ptr, value.len);
    if (value.len) __builtin_memcpy(entry + WACPY_STORE_HEADER, value.ptr, value.len);
    return (wacpy_list_u8){entry, WACPY_STORE_HEADER + value.len};
}

static const char TOO_LARGE[] = "the value is larger than 1 MiB";
static const char OVERSIZED_ENTRY[] = "larger than an entry can be (1 MiB)";
static const char NO_SCOPE[] = "the scope does not exist (never created, or cleared)";

/* The value and age an entry's bytes hold, or a static message saying what is wrong with them. */
static const char *read_entry(const uint8_t *p, size_t n, wacpy_mcp_option_store_entry *out) {
    if (n > WACPY_STORE_VALUE_LIMIT + WACPY_STORE_HEADER) return OVERSIZED_ENTRY;
    wacpy_string value;
    uint64_t written;
    const char *why = wacpy_store_check(p, n, &value, &written);
    if (why) return why;
    uint64_t now = now_seconds();
    *out = (wacpy_mcp_option_store_entry){1, {{(uint8_t *)value.ptr, value.len}, now > written ? now - written : 0}};
    return 0;
}

#endif
