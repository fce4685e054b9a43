/* Tasks (the MCP 2026-07-28 tasks extension, SEP-2663) in the store: what the context provider,
 * which makes a task (`context.run-as-task`), and the transport, which answers `tasks/get`,
 * `tasks/update` and `tasks/cancel` and settles a task when its run ends, agree on.
 *
 * A task is one entry in scope WACPY_TASKS_SCOPE under its id (32 hex digits, 128 random bits: the
 * id is the capability to see the task). The entry is a JSON object: the members of the
 * DetailedTask that `tasks/get` answers with (taskId, status, createdAt, lastUpdatedAt, ttlMs,
 * pollIntervalMs, and inputRequests, result or error as the status has them), and private ones
 * whose names start with "wacpy/", which `tasks/get` leaves out:
 *
 *   "wacpy/created"  Unix seconds it was made (expiry: ttlMs later)
 *   "wacpy/subject"  the request it runs, `[method, name, arguments]` (as set-retry had it)
 *   "wacpy/caps"     the client-capabilities flags of that request
 *   "wacpy/answers"  the answers to its questions so far, by input key (a rerun gets them all)
 *   "wacpy/owner"    OAuth mode: the subject of the caller who made it (only they see it), with
 *   "wacpy/scopes"   their scopes (space-separated) and
 *   "wacpy/claims"   their token's claims, which a resumed run's context gets again
 */
#ifndef WACPY_TASKS_H
#define WACPY_TASKS_H

#include "wacpy_json.h"

#define WACPY_TASKS_SCOPE "wacpy-tasks"
#define WACPY_TASKS_EXTENSION "io.modelcontextprotocol/tasks"
#define WACPY_TASK_ID_LEN 32
#define WACPY_TASK_TTL_MS 3600000u  /* a task is kept an hour after it was made */
#define WACPY_TASK_POLL_MS 500u     /* how often a client should poll `tasks/get` */
#define WACPY_TASK_PRIVATE "\"wacpy/" /* the start of a private member's raw key */

/* `"YYYY-MM-DDTHH:MM:SSZ"` (a JSON string, 22 bytes) for Unix seconds `t`: the civil date of the
 * day count (the proleptic Gregorian calendar in 400-year eras), then the time of day. */
static inline void wacpy_task_time(wacpy_out *o, uint64_t t) {
    uint64_t days = t / 86400, secs = t % 86400;
    uint64_t z = days + 719468, era = z / 146097, doe = z - era * 146097;
    uint64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    uint64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;
    uint64_t day = doy - (153 * mp + 2) / 5 + 1, month = mp < 10 ? mp + 3 : mp - 9;
    uint64_t year = yoe + era * 400 + (month <= 2);
    uint64_t parts[6] = {year, month, day, secs / 3600, secs / 60 % 60, secs % 60};
    static const char seps[6] = {'-', '-', 'T', ':', ':', 'Z'};
    uint8_t text[22], *p = text;
    *p++ = '"';
    for (int i = 0; i < 6; i++) {
        uint64_t v = parts[i];
        if (i == 0) *p++ = (uint8_t)('0' + v / 1000 % 10), *p++ = (uint8_t)('0' + v / 100 % 10);
        *p++ = (uint8_t)('0' + v / 10 % 10), *p++ = (uint8_t)('0' + v % 10), *p++ = (uint8_t)seps[i];
    }
    *p++ = '"';
    wacpy_out_write(o, text, sizeof text);
}

/* The members every view of a task starts with (no braces): its id, status and times. */
static inline void wacpy_task_head(wacpy_out *o, wacpy_string id, const char *status, uint64_t created,
                                   uint64_t updated) {
    wacpy_out_lit(o, "\"taskId\":");
    wacpy_json_string(o, id);
    wacpy_out_lit(o, ",\"status\":\"");
    while (*status) wacpy_out_byte(o, (uint8_t)*status++);
    wacpy_out_lit(o, "\",\"createdAt\":");
    wacpy_task_time(o, created);
    wacpy_out_lit(o, ",\"lastUpdatedAt\":");
    wacpy_task_time(o, updated);
    wacpy_out_lit(o, ",\"ttlMs\":");
    wacpy_json_u64(o, WACPY_TASK_TTL_MS);
    wacpy_out_lit(o, ",\"pollIntervalMs\":");
    wacpy_json_u64(o, WACPY_TASK_POLL_MS);
}

#endif
