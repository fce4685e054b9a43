#include "session.h"

#include "json.h"
#include "wacpy_session_events.h"

#pragma clang attribute push(__attribute__((minsize)), apply_to = function)

/* A session's record, the store entry `session` of its scope: the version's length and text,
 * the client-capability flags, the log level (-1 none). */
#define RECORD_KEY "session"
/* Seconds a session may go unused (WACPY_MCP_SESSION_IDLE overrides). */
#define DEFAULT_IDLE 1800u
/* A record is rewritten (renewed) once it is this old, or a quarter of the idle time. */
#define RENEW_AFTER 60u

typedef wacpy_mcp_store_store_error store_error;

static int kept = -1;

int sessions_kept(void) {
  if (kept < 0) kept = wacpy_mcp_store_available() ? 1 : 0;
  return kept;
}

str store_message(const store_error *e) {
  return e->tag == WACPY_MCP_STORE_STORE_ERROR_FAILED ? e->val.failed : STR("session store: unavailable");
}

uint64_t wall_seconds(void) {
  wasi_clocks_wall_clock_datetime now;
  wasi_clocks_wall_clock_now(&now);
  return now.seconds;
}

uint64_t setting_seconds(const char *name, uint64_t otherwise) {
  uint64_t seconds = otherwise;
  wacpy_list_tuple2_string_string env;
  wasi_cli_environment_get_environment(&env);
  for (uint32_t i = 0; i < env.len; i++)
    if (str_eq_lit(env.ptr[i].f0, name)) wacpy_positive_decimal(str_trim(env.ptr[i].f1).w, 100000000u, &seconds);
  return seconds;
}

static uint64_t idle_limit = 0;

/* WACPY_MCP_SESSION_IDLE, read once per instance. */
static uint64_t idle_seconds(void) {
  if (!idle_limit) idle_limit = setting_seconds("WACPY_MCP_SESSION_IDLE", DEFAULT_IDLE);
  return idle_limit;
}

static int is_session_id(str id) {
  if (id.len != SESSION_ID_LEN) return 0;
  for (uint32_t i = 0; i < id.len; i++) {
    char c = id.ptr[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return 0;
  }
  return 1;
}

int session_save(const rpc_env *env, str *why) {
  uint32_t n = env->protocol_version.len;
  uint8_t *record = mem_alloc(n + 3, 1);
  record[0] = (uint8_t)n;
  memcpy(record + 1, env->protocol_version.ptr, n);
  record[n + 1] = env->client_capabilities;
  record[n + 2] = (uint8_t)(int8_t)env->log_level;
  wacpy_mcp_result_void_store_store_error done;
  wacpy_mcp_store_set(env->session_id, STR(RECORD_KEY), (wacpy_list_u8){record, n + 3}, &done);
  if (!done.is_err) return 0;
  *why = store_message(&done.val.err);
  return 1;
}

static int32_t clear_session(str id, str *why);

/* How many listed sessions each `initialize` looks at: sessions that were never ended expire
 * without anyone asking for them again, so new sessions clear a few of the old ones. */
#define SWEEP 8u

/* Clear up to SWEEP listed sessions that expired or lost their record, starting at a random
 * place in the list (a failing store only means nothing is swept this time). */
static void sweep_sessions(void) {
  wacpy_mcp_result_list_string_store_store_error listed;
  wacpy_mcp_store_keys(STR(WACPY_SESSIONS_SCOPE), &listed);
  if (listed.is_err || !listed.val.ok.len) return;
  size_t n = listed.val.ok.len, start = (size_t)(wasi_random_random_get_random_u64() % n);
  for (size_t i = 0; i < n && i < SWEEP; i++) {
    str id = listed.val.ok.ptr[(start + i) % n], why;
    wacpy_mcp_result_option_store_entry_store_store_error got;
    wacpy_mcp_store_get(id, STR(RECORD_KEY), &got);
    if (got.is_err) continue;
    if (!got.val.ok.is_some || got.val.ok.val.age >= idle_seconds()) clear_session(id, &why);
  }
}

#define OWNER_KEY "owner" /* OAuth mode: who opened the session (see owned_by) */
static int owned_by(str id, str subject);

int session_create(rpc_env *env, str *why) {
  wacpy_list_u8 random;
  uint8_t bytes[SESSION_ID_LEN / 2] = {0};
  wasi_random_random_get_random_bytes(sizeof bytes, &random);
  memcpy(bytes, random.ptr, random.len < sizeof bytes ? random.len : sizeof bytes);
  uint8_t *id = mem_alloc(SESSION_ID_LEN, 1);
  wacpy_hex(id, bytes, sizeof bytes);
  env->session_id = (str){(const char *)id, SESSION_ID_LEN};
  wacpy_mcp_result_void_store_store_error done;
  wacpy_mcp_store_create_scope(env->session_id, &done);
  if (!done.is_err && session_save(env, why)) return 1;
  /* listed, so a notification for every session reaches this one */
  if (!done.is_err && env->caller_claims.len)
    wacpy_mcp_store_set(env->session_id, STR(OWNER_KEY), (wacpy_list_u8){(uint8_t *)env->caller_subject.ptr, env->caller_subject.len}, &done);
  if (!done.is_err) wacpy_mcp_store_create_scope(STR(WACPY_SESSIONS_SCOPE), &done);
  if (!done.is_err) wacpy_mcp_store_set(STR(WACPY_SESSIONS_SCOPE), env->session_id, (wacpy_list_u8){0, 0}, &done);
  if (!done.is_err) {
    sweep_sessions();
    return 0;
  }
  *why = store_message(&done.val.err);
  return 1;
}

/* The record's fields into `env`; 0 when the record is not one we write. */
static int read_record(wacpy_list_u8 r, rpc_env *env) {
  if (!r.len || r.len != (size_t)r.ptr[0] + 3) return 0;
  str version = mcp_supported_version((str){(const char *)r.ptr + 1, r.ptr[0]});
  int8_t level = (int8_t)r.ptr[r.len - 1];
  if (!version.len || level < -1 || level > 7) return 0;
  env->protocol_version = version;
  env->client_capabilities = r.ptr[r.len - 2];
  env->log_level = level;
  return 1;
}

/* Remove the session's entries: 0 or 500 (the store's message in `*why`). */
static int32_t clear_session(str id, str *why) {
  wacpy_mcp_result_void_store_store_error done;
  wacpy_mcp_store_delete(STR(WACPY_SESSIONS_SCOPE), id, &done);
  wacpy_mcp_store_clear(id, &done);
  if (!done.is_err) return 0;
  *why = store_message(&done.val.err);
  return 500;
}

/* OAuth mode: a session is its opener's. Entry `owner` holds the subject of the token that sent
 * `initialize`; a request with another subject's token does not find the session. */
static int owned_by(str id, str subject) {
  wacpy_mcp_result_option_store_entry_store_store_error got;
  wacpy_mcp_store_get(id, STR(OWNER_KEY), &got);
  if (got.is_err || !got.val.ok.is_some) return 1; /* opened in public mode */
  wacpy_list_u8 owner = got.val.ok.val.value;
  return str_eq((str){(const char *)owner.ptr, (uint32_t)owner.len}, subject);
}

int32_t session_load(str id, rpc_env *env, str *why) {
  if (!is_session_id(id)) return 404;
  wacpy_mcp_result_option_store_entry_store_store_error got;
  wacpy_mcp_store_get(id, STR(RECORD_KEY), &got);
  if (got.is_err) {
    *why = store_message(&got.val.err);
    return 500;
  }
  if (!got.val.ok.is_some) return 404;
  if (env->caller_claims.len && !owned_by(id, env->caller_subject)) return 404;
  uint64_t age = got.val.ok.val.age, idle = idle_seconds();
  if (age >= idle) {
    clear_session(id, why); /* expired: its entries go; a failure here changes nothing for the client */
    return 404;
  }
  env->session_id = str_dup(id);
  if (!read_record(got.val.ok.val.value, env)) {
    *why = STR("session store: the session record is corrupt (not one this server wrote)");
    return 500;
  }
  if (age >= RENEW_AFTER || age * 4 >= idle) return session_save(env, why) ? 500 : 0;
  return 0;
}

int32_t session_end(str id, str requester, str *why) {
  if (!is_session_id(id)) return 404;
  wacpy_mcp_result_option_store_entry_store_store_error got;
  wacpy_mcp_store_get(id, STR(RECORD_KEY), &got);
  if (!got.is_err && !got.val.ok.is_some) return 404;
  if (requester.ptr && !owned_by(id, requester)) return 404;
  return clear_session(id, why);
}

/* The store key of a request id the context provider issued: `<prefix><id>` when `raw` is a JSON
 * string of letters, digits and `-`, else empty. */
static str request_key(const char *prefix, str raw) {
  if (raw.len < 3 || raw.len > 80 || raw.ptr[0] != '"' || raw.ptr[raw.len - 1] != '"') return (str){0};
  buf key = {0};
  while (*prefix) buf_char(&key, *prefix++);
  for (uint32_t i = 1; i + 1 < raw.len; i++) {
    char c = raw.ptr[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-')) return (str){0};
    buf_char(&key, c);
  }
  return buf_str(&key);
}

int session_answer(const rpc_env *env, str request_id, str message, str *why) {
  str pending = request_key("pending.", request_id), answer = request_key("answer.", request_id);
  if (!pending.len) return 0;
  wacpy_mcp_result_option_store_entry_store_store_error got;
  wacpy_mcp_store_get(env->session_id, pending, &got);
  if (got.is_err) {
    *why = store_message(&got.val.err);
    return 1;
  }
  if (!got.val.ok.is_some) return 0; /* nobody waits for it (any more) */
  wacpy_mcp_result_void_store_store_error done;
  wacpy_mcp_store_set(env->session_id, answer, (wacpy_list_u8){(uint8_t *)message.ptr, message.len}, &done);
  if (done.is_err) {
    *why = store_message(&done.val.err);
    return 1;
  }
  /* A second copy of the answer can land after the waiting request took the first: that request
   * drops `pending.<id>` before `answer.<id>`, so when `pending` is gone now, this copy is ours
   * to remove (context_provider.c, `context.request`). */
  wacpy_mcp_store_get(env->session_id, pending, &got);
  if (!got.is_err && !got.val.ok.is_some) wacpy_mcp_store_delete(env->session_id, answer, &done);
  return 0;
}

int session_subscribe(const rpc_env *env, str uri, int on, str *why) {
  char *key = mem_alloc(20, 1);
  wacpy_subscription_key((uint8_t *)key, uri.w);
  wacpy_mcp_result_void_store_store_error done;
  if (on) wacpy_mcp_store_set(env->session_id, (str){key, 20}, (wacpy_list_u8){(uint8_t *)uri.ptr, uri.len}, &done);
  else wacpy_mcp_store_delete(env->session_id, (str){key, 20}, &done);
  if (!done.is_err) return 0;
  *why = store_message(&done.val.err);
  return 1;
}

int listener_open(str id, const char *const *wants, size_t count, str uris, str *why) {
  wacpy_mcp_result_void_store_store_error done;
  const wacpy_list_u8 none = {0, 0};
  wacpy_mcp_store_create_scope(id, &done);
  if (!done.is_err)
    wacpy_mcp_store_set(id, STR(RECORD_KEY), (wacpy_list_u8){(uint8_t *)WACPY_LISTENER_RECORD, sizeof WACPY_LISTENER_RECORD - 1}, &done);
  for (size_t i = 0; i < count && !done.is_err; i++) {
    str key = {wants[i], 0};
    while (key.ptr[key.len]) key.len++;
    wacpy_mcp_store_set(id, key, none, &done);
  }
  rpc_env env = {.session_id = id};
  json_iter it = json_iterate(uris);
  str uri;
  while (!done.is_err && uris.len && json_next_item(&it, &uri))
    if (json_kind(uri) == '"' && session_subscribe(&env, json_decode_string(uri), 1, why)) return 1;
  if (!done.is_err) wacpy_mcp_store_create_scope(STR(WACPY_SESSIONS_SCOPE), &done);
  if (!done.is_err) wacpy_mcp_store_set(STR(WACPY_SESSIONS_SCOPE), id, none, &done);
  if (!done.is_err) return 0;
  *why = store_message(&done.val.err);
  return 1;
}

void listener_close(str id) {
  str why;
  clear_session(id, &why);
}

int session_alive(str id) {
  wacpy_mcp_result_option_store_entry_store_store_error got;
  wacpy_mcp_store_get(id, STR(RECORD_KEY), &got);
  return got.is_err || got.val.ok.is_some; /* a failing store is no proof the session ended */
}

/* ---- events kept for a client's reconnection ---------------------------------------------------- */

/* The store key `<prefix><stream>.<n>` (or `ev.<stream>.end` with `end`), in the arena. */
static str event_key(str stream, uint32_t n, int end) {
  uint8_t *key = mem_alloc(WACPY_EVENT_NAME_ROOM, 1);
  size_t len = wacpy_event_name(key, "ev.", stream.w, n);
  if (end) memcpy(key + 4 + WACPY_STREAM_ID_LEN, "end", 3), len = 7 + WACPY_STREAM_ID_LEN;
  return (str){(const char *)key, (uint32_t)len};
}

int session_keep_answer(const rpc_env *env, str answer, str *why) {
  wacpy_mcp_result_void_store_store_error done;
  str stream = env->events.stream_id;
  wacpy_mcp_store_set(env->session_id, event_key(stream, env->events.next, 0),
                      (wacpy_list_u8){(uint8_t *)answer.ptr, answer.len}, &done);
  if (!done.is_err) wacpy_mcp_store_set(env->session_id, event_key(stream, 0, 1), (wacpy_list_u8){0, 0}, &done);
  if (!done.is_err) return 0;
  *why = store_message(&done.val.err);
  return 1;
}

/* The session's keys, or 0 (and `*why`) when the store failed. */
static int session_keys(str session, wacpy_list_string *keys, str *why) {
  wacpy_mcp_result_list_string_store_store_error got;
  wacpy_mcp_store_keys(session, &got);
  if (got.is_err) {
    *why = store_message(&got.val.err);
    return 0;
  }
  *keys = got.val.ok;
  return 1;
}

/* The value of an entry (empty when it is gone). */
static str entry_value(str session, str key) {
  wacpy_mcp_result_option_store_entry_store_store_error got;
  wacpy_mcp_store_get(session, key, &got);
  if (got.is_err || !got.val.ok.is_some) return (str){0};
  return (str){(const char *)got.val.ok.val.value.ptr, (uint32_t)got.val.ok.val.value.len};
}

int session_events_after(str session, str stream, uint32_t after, kept_event **events, uint32_t *count, int *done,
                         str *why) {
  wacpy_list_string keys;
  if (!session_keys(session, &keys, why)) return 1;
  kept_event *found = mem_alloc(sizeof(kept_event) * (keys.len + 1), 4);
  uint32_t n = 0, number;
  int end = 0;
  for (size_t i = 0; i < keys.len; i++) {
    int kind = wacpy_event_key_number(keys.ptr[i].w, stream.w, &number);
    if (kind == 2) end = 1;
    if (kind != 1 || number <= after) continue;
    /* in order of number: an insertion sort, the lists are short */
    uint32_t at = n++;
    while (at && found[at - 1].number > number) found[at] = found[at - 1], at--;
    found[at] = (kept_event){keys.ptr[i], {{0}}, number};
  }
  for (uint32_t i = 0; i < n; i++) found[i].data = entry_value(session, found[i].key);
  *events = found;
  *count = n;
  *done = end;
  return 0;
}

void session_forget_events(str session, str stream, uint32_t upto) {
  wacpy_list_string keys;
  str why;
  uint32_t number;
  wacpy_mcp_result_void_store_store_error done;
  if (!session_keys(session, &keys, &why)) return;
  for (size_t i = 0; i < keys.len; i++)
    if (wacpy_event_key_number(keys.ptr[i].w, stream.w, &number) == 1 && number <= upto)
      wacpy_mcp_store_delete(session, keys.ptr[i], &done);
}

int session_take_outbox(str session, kept_event **events, uint32_t *count, str *why) {
  wacpy_list_string keys;
  wacpy_mcp_result_void_store_store_error done;
  if (!session_keys(session, &keys, why)) return 1;
  kept_event *found = mem_alloc(sizeof(kept_event) * (keys.len + 1), 4);
  uint32_t n = 0;
  for (size_t i = 0; i < keys.len; i++) {
    str key = keys.ptr[i];
    if (key.len != 20 || memcmp(key.ptr, "out.", 4)) continue;
    str data = entry_value(session, key);
    wacpy_mcp_store_delete(session, key, &done);
    if (!data.len) continue;
    uint32_t at = n++; /* in key order, which is the order they were posted in */
    while (at && memcmp(found[at - 1].key.ptr, key.ptr, 20) > 0) found[at] = found[at - 1], at--;
    found[at] = (kept_event){key, data, 0};
  }
  *events = found;
  *count = n;
  return 0;
}

#pragma clang attribute pop
