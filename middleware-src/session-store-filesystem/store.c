/* session-store-filesystem (wit/framework.wit): the `store` over a directory preopened at `/state`.
 *
 * A scope is a directory, a key a file in it (names escaped by wacpy_store_entry.h), holding one
 * entry (the same header in every backend). A write goes to a temporary file (`.tmp-` and 64
 * random bits: never a name an escaped key has) that is then renamed over the key, so a reader
 * sees the old entry or the new one, and concurrent writers of one key leave one whole entry.
 * Only `create-scope` makes a scope's directory: a write whose scope was cleared meanwhile finds no
 * directory and fails, so `clear` never leaves a scope behind that nobody will clear again.
 * Every failure is a message naming the operation, the scope and the key, and the filesystem's
 * error code; nothing here traps on bad bytes.
 */
#define WACPY_IMPLEMENT_WACPY_MCP_STORE
#include "wacpy_world_session_store_filesystem.h"
#include "wacpy_store_backend.h"

#define STATE_DIR "/state"

static const char *const ERROR_NAMES[] = {
    "access denied", "would block", "already in progress", "bad descriptor", "busy", "deadlock",
    "quota exceeded", "exists", "file too large", "illegal byte sequence", "in progress", "interrupted",
    "invalid", "I/O error", "is a directory", "symlink loop", "too many links", "message size",
    "name too long", "no device", "no entry", "no lock", "insufficient memory", "no space left",
    "not a directory", "not empty", "not recoverable", "unsupported", "no tty", "no such device",
    "overflow", "not permitted", "pipe", "read-only", "invalid seek", "text file busy", "cross-device link",
};

static const char *error_name(wasi_filesystem_error_code code) {
    return code < sizeof ERROR_NAMES / sizeof *ERROR_NAMES ? ERROR_NAMES[code] : "unknown error";
}

/* -- the directory ------------------------------------------------------------------------------- */

static wasi_filesystem_descriptor root = -1;

/* The preopened `/state` directory, found once per instance; -1 when there is none. */
static wasi_filesystem_descriptor state_dir(void) {
    if (root >= 0) return root;
    wasi_filesystem_list_tuple2_descriptor_string dirs;
    wasi_filesystem_preopens_get_directories(&dirs);
    for (size_t i = 0; i < dirs.len; i++) {
        if (root < 0 && wacpy_string_eq(dirs.ptr[i].f1, WACPY_LIT(STATE_DIR))) root = dirs.ptr[i].f0;
        else wasi_filesystem_descriptor_drop(dirs.ptr[i].f0);
    }
    return root;
}

static const char NO_DIR[] = "no directory is preopened at " STATE_DIR " (serve with --dir STATE::" STATE_DIR ")";

/* A stateful composition: even without its directory (then every call says it is missing). */
static uint8_t exports_wacpy_mcp_store_available(void) { return 1; }

/* The escaped path `scope` or `scope/key`; 0 when a name is empty or too long (the reason in *why). */
static int entry_path(wacpy_string scope, wacpy_string key, int with_key, wacpy_string *path, const char **why) {
    return store_name("", scope, key, with_key, path, why);
}

/* -- get ----------------------------------------------------------------------------------------- */

#define FIRST_READ 4096u

/* Reads the whole file; 0, or the error code. Most entries (a session record, an answer) fit the
 * first read, which then needs no `stat`. */
static int read_all(wasi_filesystem_descriptor file, wacpy_list_u8 *data) {
    wasi_filesystem_result_tuple2_list_u8_bool_error_code first;
    wasi_filesystem_descriptor_read(file, FIRST_READ, 0, &first);
    if (first.is_err) return 1 + first.val.err;
    if (first.val.ok.f1 || first.val.ok.f0.len < FIRST_READ) {
        *data = first.val.ok.f0;
        return 0;
    }
    wasi_filesystem_result_descriptor_stat_error_code st;
    wasi_filesystem_descriptor_stat_fn(file, &st);
    if (st.is_err) return 1 + st.val.err;
    uint64_t size = st.val.ok.size;
    if (size > WACPY_STORE_VALUE_LIMIT + WACPY_STORE_HEADER) return -1;
    uint8_t *buf = (uint8_t *)wacpy_arena_alloc(&arena, size ? size : 1, 1);
    uint64_t got = 0;
    while (got < size) {
        wasi_filesystem_result_tuple2_list_u8_bool_error_code r;
        wasi_filesystem_descriptor_read(file, size - got, got, &r);
        if (r.is_err) return 1 + r.val.err;
        __builtin_memcpy(buf + got, r.val.ok.f0.ptr, r.val.ok.f0.len);
        got += r.val.ok.f0.len;
        if (r.val.ok.f1 || !r.val.ok.f0.len) break;
    }
    *data = (wacpy_list_u8){buf, got};
    return 0;
}

static void exports_wacpy_mcp_store_get(wacpy_string scope, wacpy_string key,
                                        wacpy_mcp_result_option_store_entry_store_store_error *ret) {
    const char *why;
    wacpy_string path;
    wasi_filesystem_descriptor dir = state_dir();
    *ret = (wacpy_mcp_result_option_store_entry_store_store_error){0};
    if (dir < 0) goto no_dir;
    if (!entry_path(scope, key, 1, &path, &why)) goto fail;
    wasi_filesystem_result_descriptor_error_code opened;
    wasi_filesystem_descriptor_open_at(dir, 0, path, 0, WASI_FILESYSTEM_DESCRIPTOR_FLAGS_READ, &opened);
    if (opened.is_err) {
        if (opened.val.err == WASI_FILESYSTEM_ERROR_CODE_NO_ENTRY) return; /* ok(none) */
        why = error_name(opened.val.err);
        goto fail;
    }
    wacpy_list_u8 data;
    int code = read_all(opened.val.ok, &data);
    wasi_filesystem_descriptor_drop(opened.val.ok);
    if (code) {
        why = code < 0 ? OVERSIZED_ENTRY : error_name((wasi_filesystem_error_code)(code - 1));
        goto fail;
    }
    why = read_entry(data.ptr, data.len, &ret->val.ok);
    if (why) goto fail;
    return;
no_dir:
    why = NO_DIR;
fail:
    ret->is_err = 1;
    ret->val.err = failure("read", scope, key, why);
}

/* -- set ----------------------------------------------------------------------------------------- */

/* `scope/.tmp-<16 hex digits>` */
static wacpy_string temporary_path(wacpy_string scope_path) {
    uint8_t *out = (uint8_t *)wacpy_arena_alloc(&arena, scope_path.len + 22, 1);
    __builtin_memcpy(out, scope_path.ptr, scope_path.len);
    __builtin_memcpy(out + scope_path.len, "/.tmp-", 6);
    wacpy_hex_u64(out + scope_path.len + 6, wasi_random_random_get_random_u64());
    return (wacpy_string){out, scope_path.len + 22};
}

/* Writes all of `data` at offset 0; 0 or 1 + the error code. */
static int write_all(wasi_filesystem_descriptor file, const uint8_t *data, size_t len) {
    size_t done = 0;
    while (done < len) {
        wasi_filesystem_result_u64_error_code w;
        wasi_filesystem_descriptor_write(file, (wacpy_list_u8){(uint8_t *)data + done, len - done}, done, &w);
        if (w.is_err) return 1 + w.val.err;
        if (!w.val.ok) return 1 + WASI_FILESYSTEM_ERROR_CODE_IO;
        done += w.val.ok;
    }
    return 0;
}

/* Creates the scope's directory (an existing one is fine); 0 or 1 + the error code. */
static int make_scope(wasi_filesystem_descriptor dir, wacpy_string scope_path) {
    wasi_filesystem_result_void_error_code made;
    wasi_filesystem_descriptor_create_directory_at(dir, scope_path, &made);
    return made.is_err && made.val.err != WASI_FILESYSTEM_ERROR_CODE_EXIST ? 1 + made.val.err : 0;
}

static void exports_wacpy_mcp_store_create_scope(wacpy_string scope, wacpy_mcp_result_void_store_store_error *ret) {
    const char *why;
    wacpy_string scope_path;
    wasi_filesystem_descriptor dir = state_dir();
    *ret = (wacpy_mcp_result_void_store_store_error){0};
    if (dir < 0) why = NO_DIR;
    else if (entry_path(scope, WACPY_LIT(""), 0, &scope_path, &why)) {
        int code = make_scope(dir, scope_path);
        if (!code) return;
        why = error_name((wasi_filesystem_error_code)(code - 1));
    }
    ret->is_err = 1;
    ret->val.err = failure("create", scope, WACPY_LIT(""), why);
}

static void exports_wacpy_mcp_store_set(wacpy_string scope, wacpy_string key, wacpy_list_u8 value,
                                        wacpy_mcp_result_void_store_store_error *ret) {
    const char *why;
    wacpy_string path, scope_path;
    wasi_filesystem_descriptor dir = state_dir();
    *ret = (wacpy_mcp_result_void_store_store_error){0};
    if (dir < 0) {
        why = NO_DIR;
        goto fail;
    }
    if (!entry_path(scope, key, 1, &path, &why) || !entry_path(scope, key, 0, &scope_path, &why)) goto fail;
    if (value.len > WACPY_STORE_VALUE_LIMIT) {
        why = TOO_LARGE;
        goto fail;
    }
    wacpy_list_u8 entry = new_entry(value);
    wacpy_string tmp = temporary_path(scope_path);
    wasi_filesystem_result_descriptor_error_code opened;
    wasi_filesystem_descriptor_open_at(dir, 0, tmp, WASI_FILESYSTEM_OPEN_FLAGS_CREATE | WASI_FILESYSTEM_OPEN_FLAGS_EXCLUSIVE,
                                       WASI_FILESYSTEM_DESCRIPTOR_FLAGS_WRITE, &opened);
    if (opened.is_err) {
        why = opened.val.err == WASI_FILESYSTEM_ERROR_CODE_NO_ENTRY ? NO_SCOPE : error_name(opened.val.err);
        goto fail;
    }
    int code = write_all(opened.val.ok, entry.ptr, entry.len);
    wasi_filesystem_descriptor_drop(opened.val.ok);
    wasi_filesystem_result_void_error_code done;
    if (!code) {
        wasi_filesystem_descriptor_rename_at(dir, tmp, dir, path, &done);
        if (done.is_err) code = 1 + done.val.err;
    }
    if (code) {
        wasi_filesystem_descriptor_unlink_file_at(dir, tmp, &done);
        /* the temporary file went with a `clear` that raced this write */
        why = code == 1 + WASI_FILESYSTEM_ERROR_CODE_NO_ENTRY ? NO_SCOPE : error_name((wasi_filesystem_error_code)(code - 1));
        goto fail;
    }
    return;
fail:
    ret->is_err = 1;
    ret->val.err = failure("write", scope, key, why);
}

/* -- delete, keys, clear ------------------------------------------------------------------------- */

static void exports_wacpy_mcp_store_delete(wacpy_string scope, wacpy_string key, wacpy_mcp_result_void_store_store_error *ret) {
    const char *why;
    wacpy_string path;
    wasi_filesystem_descriptor dir = state_dir();
    *ret = (wacpy_mcp_result_void_store_store_error){0};
    if (dir < 0) why = NO_DIR;
    else if (entry_path(scope, key, 1, &path, &why)) {
        wasi_filesystem_result_void_error_code done;
        wasi_filesystem_descriptor_unlink_file_at(dir, path, &done);
        if (!done.is_err || done.val.err == WASI_FILESYSTEM_ERROR_CODE_NO_ENTRY) return;
        why = error_name(done.val.err);
    }
    ret->is_err = 1;
    ret->val.err = failure("delete", scope, key, why);
}

typedef struct {
    wacpy_string *ptr;
    size_t len, cap;
} names;

/* The names in the scope's directory (raw, escaped); 0 or 1 + the error code (no directory: none).
 * An entry removed while the directory is read can make the host's reading fail with `no entry`:
 * that is a name gone, so the reading starts again (a few times; it is a race, not a state). */
static int list_dir_once(wasi_filesystem_descriptor dir, wacpy_string scope_path, names *out) {
    *out = (names){0};
    wasi_filesystem_result_descriptor_error_code opened;
    wasi_filesystem_descriptor_open_at(dir, 0, scope_path, WASI_FILESYSTEM_OPEN_FLAGS_DIRECTORY,
                                       WASI_FILESYSTEM_DESCRIPTOR_FLAGS_READ, &opened);
    if (opened.is_err) return opened.val.err == WASI_FILESYSTEM_ERROR_CODE_NO_ENTRY ? 0 : 1 + opened.val.err;
    wasi_filesystem_result_directory_entry_stream_error_code stream;
    wasi_filesystem_descriptor_read_directory(opened.val.ok, &stream);
    int code = stream.is_err ? 1 + stream.val.err : 0;
    while (!code) {
        wasi_filesystem_result_option_directory_entry_error_code next;
        wasi_filesystem_directory_entry_stream_read_directory_entry(stream.val.ok, &next);
        if (next.is_err) code = 1 + next.val.err;
        if (next.is_err || !next.val.ok.is_some) break;
        if (out->len == out->cap) {
            size_t cap = out->cap * 2 + 16;
            wacpy_string *grown = (wacpy_string *)wacpy_arena_alloc(&arena, cap * sizeof *grown, 8);
            if (out->len) __builtin_memcpy(grown, out->ptr, out->len * sizeof *grown);
            out->ptr = grown, out->cap = cap;
        }
        out->ptr[out->len++] = next.val.ok.val.name;
    }
    if (!stream.is_err) wasi_filesystem_directory_entry_stream_drop(stream.val.ok);
    wasi_filesystem_descriptor_drop(opened.val.ok);
    return code;
}

static int list_dir(wasi_filesystem_descriptor dir, wacpy_string scope_path, names *out) {
    int code = 0;
    for (int attempt = 0; attempt < 8; attempt++) {
        code = list_dir_once(dir, scope_path, out);
        if (code != 1 + WASI_FILESYSTEM_ERROR_CODE_NO_ENTRY) break;
    }
    return code;
}

static void exports_wacpy_mcp_store_keys(wacpy_string scope, wacpy_mcp_result_list_string_store_store_error *ret) {
    const char *why;
    wacpy_string scope_path;
    names found;
    wasi_filesystem_descriptor dir = state_dir();
    *ret = (wacpy_mcp_result_list_string_store_store_error){0};
    if (dir < 0) why = NO_DIR;
    else if (entry_path(scope, WACPY_LIT(""), 0, &scope_path, &why)) {
        int code = list_dir(dir, scope_path, &found);
        if (!code) {
            size_t n = 0;
            for (size_t i = 0; i < found.len; i++) {
                uint8_t *name = (uint8_t *)found.ptr[i].ptr;
                long len = wacpy_store_unescape(name, found.ptr[i].len);
                if (len > 0) found.ptr[n++] = (wacpy_string){name, (size_t)len}; /* temporary files and strangers are no keys */
            }
            ret->val.ok = (wacpy_list_string){found.ptr, n};
            return;
        }
        why = error_name((wasi_filesystem_error_code)(code - 1));
    }
    ret->is_err = 1;
    ret->val.err = failure("list", scope, WACPY_LIT(""), why);
}

/* Unlinks every name in the scope's directory, then the directory: 0, 1 + the error code, or -1
 * when a writer put a name back meanwhile (the directory is not empty). */
static int clear_once(wasi_filesystem_descriptor dir, wacpy_string scope_path) {
    names found;
    wasi_filesystem_result_void_error_code done;
    int code = list_dir(dir, scope_path, &found);
    for (size_t i = 0; !code && i < found.len; i++) {
        text path = {0};
        put_s(&path, scope_path);
        put_c(&path, "/");
        put_s(&path, found.ptr[i]);
        wasi_filesystem_descriptor_unlink_file_at(dir, text_string(path), &done);
        if (done.is_err && done.val.err != WASI_FILESYSTEM_ERROR_CODE_NO_ENTRY) code = 1 + done.val.err;
    }
    if (code) return code;
    wasi_filesystem_descriptor_remove_directory_at(dir, scope_path, &done);
    if (!done.is_err || done.val.err == WASI_FILESYSTEM_ERROR_CODE_NO_ENTRY) return 0;
    return done.val.err == WASI_FILESYSTEM_ERROR_CODE_NOT_EMPTY ? -1 : 1 + done.val.err;
}

/* Writes never make a directory (`create-scope` does), so once the directory is gone the scope
 * stays gone; until then a racing writer can add an entry, and the clearing goes round again. */
static void exports_wacpy_mcp_store_clear(wacpy_string scope, wacpy_mcp_result_void_store_store_error *ret) {
    const char *why;
    wacpy_string scope_path;
    wasi_filesystem_descriptor dir = state_dir();
    *ret = (wacpy_mcp_result_void_store_store_error){0};
    if (dir < 0) why = NO_DIR;
    else if (entry_path(scope, WACPY_LIT(""), 0, &scope_path, &why)) {
        int code = -1;
        for (int round = 0; code < 0 && round < 16; round++) code = clear_once(dir, scope_path);
        if (!code) return;
        why = code < 0 ? "writers keep adding entries" : error_name((wasi_filesystem_error_code)(code - 1));
    }
    ret->is_err = 1;
    ret->val.err = failure("clear", scope, WACPY_LIT(""), why);
}
