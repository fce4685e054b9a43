#include "tasks.h"

#include "json.h"
#include "session.h"
#include "wacpy_tasks.h"

#pragma clang attribute push(__attribute__((minsize)), apply_to = function)

#define SCOPE STR(WACPY_TASKS_SCOPE)

/* Whether `requester` may see the task in `entry`: its owner, or anyone for a public-mode task. */
static int visible_to(str entry, str requester) {
  str owner;
  return !json_get_string(entry, "wacpy/owner", &owner) || str_eq(owner, requester);
}

/* Task `id`'s entry; an expired one is removed and unknown. */
static int load(str id, str *entry, str *why) {
  wacpy_mcp_result_option_store_entry_store_store_error got;
  wacpy_mcp_store_get(SCOPE, id, &got);
  if (got.is_err) return *why = store_message(&got.val.err), TASK_STORE_FAILED;
  if (!got.val.ok.is_some) return TASK_UNKNOWN;
  *entry = (str){(const char *)got.val.ok.val.value.ptr, (uint32_t)got.val.ok.val.value.len};
  str created;
  uint64_t born = 0;
  if (!json_valid(*entry) || json_kind(*entry) != '{' || !json_get(*entry, "wacpy/created", &created) ||
      !wacpy_positive_decimal(created.w, ~0ull, &born))
    return TASK_UNKNOWN; /* not an entry we wrote */
  if (wall_seconds() > born + WACPY_TASK_TTL_MS / 1000) {
    wacpy_mcp_result_void_store_store_error done;
    wacpy_mcp_store_delete(SCOPE, id, &done);
    return TASK_UNKNOWN;
  }
  return TASK_DONE;
}

static int save(str id, buf *entry, str *why) {
  wacpy_mcp_result_void_store_store_error done;
  wacpy_mcp_store_set(SCOPE, id, (wacpy_list_u8){(uint8_t *)entry->buf, entry->len}, &done);
  if (done.is_err) return *why = store_message(&done.val.err), TASK_STORE_FAILED;
  return TASK_DONE;
}

static int private_key(str raw_key) {
  str prefix = STR(WACPY_TASK_PRIVATE);
  return raw_key.len >= prefix.len && str_eq((str){raw_key.ptr, prefix.len}, prefix);
}

/* Whether raw key `key` is one of the members a rewrite replaces. */
static int replaced(str key, int answers) {
  static const char *const STATE[] = {"status", "lastUpdatedAt", "inputRequests", "result", "error"};
  for (size_t i = 0; i < sizeof STATE / sizeof *STATE; i++)
    if (json_string_equals(key, STATE[i])) return 1;
  return answers && json_string_equals(key, "wacpy/answers");
}

/* `entry` with a new status (and `name`: `value`, and new answers when given), updated now. */
static void rewrite(buf *out, str entry, const char *status, const char *name, str value, str answers) {
  json_iter it = json_iterate(entry);
  str key, old;
  buf_char(out, '{');
  int first = 1;
  while (json_next_member(&it, &key, &old))
    if (!replaced(key, answers.len != 0)) buf_member(out, key, old, &first);
  buf_lit(out, ",\"status\":\"");
  while (*status) buf_char(out, *status++);
  buf_lit(out, "\",\"lastUpdatedAt\":");
  wacpy_task_time(out, wall_seconds());
  if (name) {
    buf_lit(out, ",\"");
    while (*name) buf_char(out, *name++);
    buf_lit(out, "\":");
    buf_put(out, value.ptr, value.len);
  }
  if (answers.len) buf_member(out, STR("\"wacpy/answers\""), answers, &first);
  buf_char(out, '}');
}

static int ended(str entry) {
  str status;
  return json_get_string(entry, "status", &status) &&
         (str_eq_lit(status, "completed") || str_eq_lit(status, "failed") || str_eq_lit(status, "cancelled"));
}

int task_view(str id, str requester, buf *out, str *why) {
  str entry, key, value;
  int found = load(id, &entry, why);
  if (found) return found;
  if (!visible_to(entry, requester)) return TASK_UNKNOWN;
  json_iter it = json_iterate(entry);
  buf_char(out, '{');
  int first = 1;
  while (json_next_member(&it, &key, &value))
    if (!private_key(key)) buf_member(out, key, value, &first);
  buf_char(out, '}');
  return TASK_DONE;
}

/* Whether object `object` has raw key `key`. */
static int has_key(str object, str key) {
  json_iter it = json_iterate(object);
  str k, v;
  while (json_next_member(&it, &k, &v))
    if (str_eq(k, key)) return 1;
  return 0;
}

/* `{...}` of `object`'s members whose keys `other` lacks (with `then_other`: ...and then every
 * member of `other`). */
static str members_not_in(str object, str other, int then_other) {
  buf out = {0};
  json_iter it = json_iterate(object);
  str k, v;
  buf_char(&out, '{');
  int first = 1;
  while (json_next_member(&it, &k, &v))
    if (!has_key(other, k)) buf_member(&out, k, v, &first);
  it = json_iterate(other);
  while (then_other && json_next_member(&it, &k, &v)) buf_member(&out, k, v, &first);
  buf_char(&out, '}');
  return buf_str(&out);
}

int task_answer(str id, str requester, str responses, int *resume, str *why) {
  str entry, status, asked = STR("{}"), answers = STR("{}");
  *resume = 0;
  int found = load(id, &entry, why);
  if (found) return found;
  if (!visible_to(entry, requester)) return TASK_UNKNOWN;
  if (!json_get_string(entry, "status", &status) || !str_eq_lit(status, "input_required")) return TASK_DONE;
  json_get(entry, "inputRequests", &asked);
  json_get(entry, "wacpy/answers", &answers);
  str pending = members_not_in(asked, responses, 0), all = members_not_in(answers, responses, 1);
  *resume = str_eq_lit(pending, "{}");
  buf out = {0};
  rewrite(&out, entry, *resume ? "working" : "input_required", *resume ? 0 : "inputRequests", pending, all);
  return save(id, &out, why);
}

int task_cancel(str id, str requester, str *why) {
  str entry;
  int found = load(id, &entry, why);
  if (!found && !visible_to(entry, requester)) return TASK_UNKNOWN;
  if (found || ended(entry)) return found;
  buf out = {0};
  rewrite(&out, entry, "cancelled", 0, (str){0}, (str){0});
  return save(id, &out, why);
}

/* Remove expired tasks nobody asks about any more: a few entries from a random place in the
 * scope, each run's end (an entry unwritten for a TTL is expired: it was made even earlier). */
#define SWEEP 8u

static void sweep(void) {
  wacpy_mcp_result_list_string_store_store_error listed;
  wacpy_mcp_store_keys(SCOPE, &listed);
  if (listed.is_err || !listed.val.ok.len) return;
  size_t n = listed.val.ok.len, start = (size_t)(wasi_random_random_get_random_u64() % n);
  for (size_t i = 0; i < n && i < SWEEP; i++) {
    str id = listed.val.ok.ptr[(start + i) % n];
    wacpy_mcp_result_option_store_entry_store_store_error got;
    wacpy_mcp_store_get(SCOPE, id, &got);
    if (got.is_err || !got.val.ok.is_some || got.val.ok.val.age < WACPY_TASK_TTL_MS / 1000) continue;
    wacpy_mcp_result_void_store_store_error done;
    wacpy_mcp_store_delete(SCOPE, id, &done);
  }
}

void task_settle(str id, const char *status, const char *name, str value) {
  str entry, why;
  if (load(id, &entry, &why) || ended(entry)) return;
  buf out = {0};
  rewrite(&out, entry, status, name, value, (str){0});
  save(id, &out, &why);
  sweep();
}

int task_call(str id, task_run *run) {
  str entry, subject, caps_value, method, why;
  uint64_t flags = 0;
  *run = (task_run){{0}, {0}, STR("{}"), {0}, {0}, {0}, 0};
  if (load(id, &entry, &why) || !json_get(entry, "wacpy/subject", &subject) || json_kind(subject) != '[') return 0;
  json_iter it = json_iterate(subject);
  if (!json_next_item(&it, &method) || !json_next_item(&it, &run->name) || !json_next_item(&it, &run->arguments)) return 0;
  if (json_kind(run->name) != '"' || json_kind(run->arguments) != '{') return 0;
  run->name = json_decode_string(run->name);
  if (json_get(entry, "wacpy/caps", &caps_value)) wacpy_positive_decimal(caps_value.w, 255, &flags);
  run->caps = (uint8_t)flags;
  if (!json_get(entry, "wacpy/answers", &run->answers) || json_kind(run->answers) != '{') run->answers = STR("{}");
  if (json_get_string(entry, "wacpy/owner", &run->owner)) {
    json_get_string(entry, "wacpy/scopes", &run->scopes);
    if (!json_get(entry, "wacpy/claims", &run->claims) || json_kind(run->claims) != '{') run->claims = STR("{}");
  }
  return 1;
}

#pragma clang attribute pop
