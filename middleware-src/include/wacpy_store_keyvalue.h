/* The `store` (wit/framework.wit) over one `wasi:keyvalue` bucket, for the session-store-keyvalue
 * worlds: include it after the world's bindings, with WACPY_KEYVALUE_BUCKET naming the bucket.
 * The draft and draft2 bindings differ only in the type of the `list-keys` cursor, which this code
 * passes back as it came.
 *
 * An entry is one key of the bucket, `wacpy/<scope>/<key>` (both escaped, so `/` never occurs in
 * them and the prefix `wacpy/<scope>/` holds exactly one scope's keys), whose value is the entry
 * bytes of wacpy_store_entry.h. A bucket has no directories: `keys` and `clear` page through
 * `list-keys` and keep the keys under the scope's prefix. A scope exists while its marker, the
 * bare prefix `wacpy/<scope>/`, does: `create-scope` writes it, `set` asks for it first and
 * `clear` deletes it before the keys. (A bucket cannot make the check and the write one step, so a
 * write that passed the check just before a `clear` may outlive it; the filesystem backend has no
 * such window.) Every failure is a message naming the
 * operation, the scope and the key, and the host's error; nothing here traps on bad bytes.
 */
#ifndef WACPY_STORE_KEYVALUE_H
#define WACPY_STORE_KEYVALUE_H

#include "wacpy_store_backend.h"

#ifndef WACPY_KEYVALUE_BUCKET
#error "define WACPY_KEYVALUE_BUCKET, the bucket to open"
#endif

#define KEY_PREFIX "wacpy/"

typedef wasi_keyvalue_store_error kv_error;
typedef __typeof__(((wasi_keyvalue_store_key_response *)0)->cursor) kv_cursor;

/* What the host said went wrong. */
static wacpy_string kv_why(kv_error err) {
    if (err.tag == WASI_KEYVALUE_STORE_ERROR_OTHER) return err.val.other;
    if (err.tag == WASI_KEYVALUE_STORE_ERROR_ACCESS_DENIED) return WACPY_LIT("access denied to bucket \"" WACPY_KEYVALUE_BUCKET "\"");
    return WACPY_LIT("the host has no bucket \"" WACPY_KEYVALUE_BUCKET "\"");
}

static wasi_keyvalue_store_bucket bucket = -1;

/* The bucket, opened once per instance; 0 and the host's error when it cannot be. */
static int open_bucket(kv_error *err) {
    if (bucket >= 0) return 1;
    wasi_keyvalue_result_store_bucket_store_error opened;
    wasi_keyvalue_store_open(WACPY_LIT(WACPY_KEYVALUE_BUCKET), &opened);
    if (opened.is_err) {
        *err = opened.val.err;
        return 0;
    }
    bucket = opened.val.ok;
    return 1;
}

/* A stateful composition (whether the host has the bucket shows at the first call). */
static uint8_t exports_wacpy_mcp_store_available(void) { return 1; }

static void exports_wacpy_mcp_store_get(wacpy_string scope, wacpy_string key,
                                        wacpy_mcp_result_option_store_entry_store_store_error *ret) {
    const char *why;
    wacpy_string name;
    kv_error err;
    *ret = (wacpy_mcp_result_option_store_entry_store_store_error){0};
    if (!store_name(KEY_PREFIX, scope, key, 1, &name, &why)) goto fail;
    if (!open_bucket(&err)) goto host;
    wasi_keyvalue_result_option_list_u8_store_error got;
    wasi_keyvalue_store_bucket_get(bucket, name, &got);
    if (got.is_err) {
        err = got.val.err;
        goto host;
    }
    if (!got.val.ok.is_some) return; /* ok(none) */
    why = read_entry(got.val.ok.val.ptr, got.val.ok.val.len, &ret->val.ok);
    if (why) goto fail;
    return;
host:
    ret->is_err = 1;
    ret->val.err = failure_s("read", scope, key, kv_why(err));
    return;
fail:
    ret->is_err = 1;
    ret->val.err = failure("read", scope, key, why);
}

static int scope_prefix(wacpy_string scope, wacpy_string *prefix, const char **why);

static void exports_wacpy_mcp_store_create_scope(wacpy_string scope, wacpy_mcp_result_void_store_store_error *ret) {
    const char *why;
    wacpy_string marker;
    kv_error err;
    *ret = (wacpy_mcp_result_void_store_store_error){0};
    if (!scope_prefix(scope, &marker, &why)) {
        ret->is_err = 1;
        ret->val.err = failure("create", scope, WACPY_LIT(""), why);
        return;
    }
    if (open_bucket(&err)) {
        wasi_keyvalue_result_void_store_error done;
        wasi_keyvalue_store_bucket_set(bucket, marker, (wacpy_list_u8){(uint8_t *)"", 0}, &done);
        if (!done.is_err) return;
        err = done.val.err;
    }
    ret->is_err = 1;
    ret->val.err = failure_s("create", scope, WACPY_LIT(""), kv_why(err));
}

/* Whether the scope's marker is there: 1, 0 (then `*why` says so), or -1 and the host's error. */
static int scope_exists(wacpy_string scope, const char **why, kv_error *err) {
    wacpy_string marker;
    if (!scope_prefix(scope, &marker, why)) return 0;
    wasi_keyvalue_result_bool_store_error there;
    wasi_keyvalue_store_bucket_exists(bucket, marker, &there);
    if (there.is_err) {
        *err = there.val.err;
        return -1;
    }
    if (!there.val.ok) *why = NO_SCOPE;
    return there.val.ok;
}

static void exports_wacpy_mcp_store_set(wacpy_string scope, wacpy_string key, wacpy_list_u8 value,
                                        wacpy_mcp_result_void_store_store_error *ret) {
    const char *why;
    wacpy_string name;
    kv_error err;
    *ret = (wacpy_mcp_result_void_store_store_error){0};
    if (!store_name(KEY_PREFIX, scope, key, 1, &name, &why)) goto fail;
    if (value.len > WACPY_STORE_VALUE_LIMIT) {
        why = TOO_LARGE;
        goto fail;
    }
    if (!open_bucket(&err)) goto host;
    int exists = scope_exists(scope, &why, &err);
    if (exists < 0) goto host;
    if (!exists) goto fail;
    wasi_keyvalue_result_void_store_error done;
    wasi_keyvalue_store_bucket_set(bucket, name, new_entry(value), &done);
    if (!done.is_err) return;
    err = done.val.err;
host:
    ret->is_err = 1;
    ret->val.err = failure_s("write", scope, key, kv_why(err));
    return;
fail:
    ret->is_err = 1;
    ret->val.err = failure("write", scope, key, why);
}

static void exports_wacpy_mcp_store_delete(wacpy_string scope, wacpy_string key, wacpy_mcp_result_void_store_store_error *ret) {
    const char *why;
    wacpy_string name;
    kv_error err;
    *ret = (wacpy_mcp_result_void_store_store_error){0};
    if (!store_name(KEY_PREFIX, scope, key, 1, &name, &why)) {
        ret->is_err = 1;
        ret->val.err = failure("delete", scope, key, why);
        return;
    }
    if (open_bucket(&err)) {
        wasi_keyvalue_result_void_store_error done;
        wasi_keyvalue_store_bucket_delete(bucket, name, &done); /* an absent key is no error */
        if (!done.is_err) return;
        err = done.val.err;
    }
    ret->is_err = 1;
    ret->val.err = failure_s("delete", scope, key, kv_why(err));
}

/* -- keys, clear --------------------------------------------------------------------------------- */

/* The bucket's keys under `prefix`, whole (`wacpy/<scope>/<key>`), every page of `list-keys`;
 * 0 and the host's error if a page cannot be had. */
static int scope_keys(wacpy_string prefix, wacpy_list_string *out, kv_error *err) {
    *out = (wacpy_list_string){0};
    if (!open_bucket(err)) return 0;
    size_t cap = 0;
    kv_cursor cursor = {0};
    for (;;) {
        wasi_keyvalue_result_store_key_response_store_error page;
        wasi_keyvalue_store_bucket_list_keys(bucket, &cursor, &page);
        if (page.is_err) {
            *err = page.val.err;
            return 0;
        }
        wacpy_list_string keys = page.val.ok.keys;
        for (size_t i = 0; i < keys.len; i++) {
            if (!wacpy_starts_with(keys.ptr[i], prefix)) continue;
            if (out->len == cap) {
                cap = cap * 2 + 16;
                wacpy_string *grown = (wacpy_string *)wacpy_arena_alloc(&arena, cap * sizeof *grown, 8);
                if (out->len) __builtin_memcpy(grown, out->ptr, out->len * sizeof *grown);
                out->ptr = grown;
            }
            out->ptr[out->len++] = keys.ptr[i];
        }
        cursor = page.val.ok.cursor;
        if (!cursor.is_some) return 1;
    }
}

/* `wacpy/<scope>/`: the prefix of every key of the scope, and the scope's marker. */
static int scope_prefix(wacpy_string scope, wacpy_string *prefix, const char **why) {
    if (!store_name(KEY_PREFIX, scope, WACPY_LIT(""), 0, prefix, why)) return 0;
    text t = {0};
    put_s(&t, *prefix);
    put_c(&t, "/");
    *prefix = text_string(t);
    return 1;
}

/* The keys of `scope`, whole, and the prefix they have; 0 and the failure of `what` if not. */
static int list_scope(const char *what, wacpy_string scope, wacpy_string *prefix, wacpy_list_string *found,
                      store_error *fail) {
    const char *why;
    kv_error err;
    if (!scope_prefix(scope, prefix, &why)) {
        *fail = failure(what, scope, WACPY_LIT(""), why);
        return 0;
    }
    if (!scope_keys(*prefix, found, &err)) {
        *fail = failure_s(what, scope, WACPY_LIT(""), kv_why(err));
        return 0;
    }
    return 1;
}

static void exports_wacpy_mcp_store_keys(wacpy_string scope, wacpy_mcp_result_list_string_store_store_error *ret) {
    wacpy_string prefix;
    wacpy_list_string found;
    *ret = (wacpy_mcp_result_list_string_store_store_error){0};
    if (!list_scope("list", scope, &prefix, &found, &ret->val.err)) {
        ret->is_err = 1;
        return;
    }
    size_t n = 0;
    for (size_t i = 0; i < found.len; i++) {
        uint8_t *name = (uint8_t *)found.ptr[i].ptr + prefix.len;
        long len = wacpy_store_unescape(name, found.ptr[i].len - prefix.len);
        if (len > 0) found.ptr[n++] = (wacpy_string){name, (size_t)len}; /* names we never write are no keys */
    }
    ret->val.ok = (wacpy_list_string){found.ptr, n};
}

/* The marker goes first, so no write starts after that; then every key is listed before the
 * deletes, since deleting while paging could make a host skip keys. */
static void exports_wacpy_mcp_store_clear(wacpy_string scope, wacpy_mcp_result_void_store_store_error *ret) {
    const char *why;
    wacpy_string prefix;
    wacpy_list_string found = {0};
    kv_error err;
    wasi_keyvalue_result_void_store_error done = {0};
    *ret = (wacpy_mcp_result_void_store_store_error){0};
    if (!scope_prefix(scope, &prefix, &why)) {
        ret->is_err = 1;
        ret->val.err = failure("clear", scope, WACPY_LIT(""), why);
        return;
    }
    if (!open_bucket(&err)) goto host;
    wasi_keyvalue_store_bucket_delete(bucket, prefix, &done);
    if (!done.is_err && !list_scope("clear", scope, &prefix, &found, &ret->val.err)) {
        ret->is_err = 1;
        return;
    }
    for (size_t i = 0; !done.is_err && i < found.len; i++) wasi_keyvalue_store_bucket_delete(bucket, found.ptr[i], &done);
    if (!done.is_err) return;
    err = done.val.err;
host:
    ret->is_err = 1;
    ret->val.err = failure_s("clear", scope, WACPY_LIT(""), kv_why(err));
}

#endif
