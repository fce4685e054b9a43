/* Sessions (streamable HTTP, MCP 2025-11-25): ids, their records in the store, the client's answers. */
#ifndef TRANSPORT_SESSION_H
#define TRANSPORT_SESSION_H

#include "dispatch.h"

/* 32 hex digits: 128 random bits. */
#define SESSION_ID_LEN 32

/* The store's message for a failed call (it names scope and key), or that there is no store. */
str store_message(const wacpy_mcp_store_store_error *e);
/* Unix seconds of the wall clock: tasks' times and expiry, tokens' exp, nbf and iat. */
uint64_t wall_seconds(void);

/* The setting `name` (an environment variable: whole seconds, at least 1), else `otherwise`. */
uint64_t setting_seconds(const char *name, uint64_t otherwise);

/* Whether the composition has a store (the server keeps sessions); asked once per instance. */
int sessions_kept(void);

/* Start a session for the negotiated `env` (version, client capabilities): a new id in
 * `env->session_id`, its record written. 0, or the store's message in `*why`. */
int session_create(rpc_env *env, str *why);
/* Load session `id` into `env` (version, capabilities, log level); renews it when due.
 * 0, 404 (unknown, expired or not an id we issue) or 500 (the store failed: `*why`). */
int32_t session_load(str id, rpc_env *env, str *why);
/* Write `env`'s session record again (the log level changed). 0, or the store's message. */
int session_save(const rpc_env *env, str *why);
/* Register `subscriptions/listen` stream `id` (wacpy_session_events.h): the `wants` entries
 * (`lc.tools`, ...) and a subscription for each string of the JSON array `uris`. 0, or 1 with the
 * store's message. */
int listener_open(str id, const char *const *wants, size_t count, str uris, str *why);
/* Remove listener `id` with its queued notifications. */
void listener_close(str id);
/* Whether session `id` still has its record (a DELETE or an expiry removes it). */
int session_alive(str id);
/* End session `id` for `requester` (OAuth mode: the caller's subject, who must have opened it;
 * a null `str` in public mode): 0, 404 or 500 as for `session_load`. */
int32_t session_end(str id, str requester, str *why);

/* Record (`on`) or forget the session's subscription to `uri` (key `sub.` and a 64-bit hash of
 * the URI; the entry holds the URI). 0, or the store's message. */
int session_subscribe(const rpc_env *env, str uri, int on, str *why);

/* The client's answer `message` (a JSON-RPC response with id `request_id`) to a request the
 * server sent it in session `env->session_id`: kept for the waiting request when one waits for
 * it, else dropped (a late or foreign answer). 0, or the store's message. */
int session_answer(const rpc_env *env, str request_id, str message, str *why);

/* ---- events kept for a client that reconnects (wacpy_session_events.h has the keys) ---------- */

/* A kept event: its store key, its message, its number in its stream (0 for a notification). */
typedef struct {
  str key;
  str data;
  uint32_t number;
} kept_event;

/* Keep the answer to a request whose stream closed early as the stream's next event (`env->events`)
 * and mark the stream done. 0, or the store's message. */
int session_keep_answer(const rpc_env *env, str answer, str *why);
/* The events of `stream` numbered after `after`, in order (`*done`: the stream's end is kept too). 0,
 * or 1 and the store's message. */
int session_events_after(str session, str stream, uint32_t after, kept_event **events, uint32_t *count, int *done,
                         str *why);
/* Delete the events of `stream` up to number `upto` (the client has them). */
void session_forget_events(str session, str stream, uint32_t upto);
/* The notifications waiting for the session's standalone stream, taken out of the store. 0, or 1
 * and the store's message. */
int session_take_outbox(str session, kept_event **events, uint32_t *count, str *why);

#endif
