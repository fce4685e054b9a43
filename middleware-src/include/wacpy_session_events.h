/* What a session keeps in the store besides its record and values, named the same in the transport
 * and the context provider:
 *
 *   ev.<stream>.<n>   event n of a request's SSE stream, kept once the stream closed before the
 *                     answer (`close-stream`, or the client went away); the answer is the last
 *   ev.<stream>.end   written after the answer: the stream has nothing more to send
 *   out.<16 hex>      a notification for the session's standalone stream (`GET /mcp` without
 *                     `Last-Event-ID`), deleted once sent there
 *   sub.<16 hex>      a subscription: the 64-bit FNV-1a of the URI; the value is the URI
 *
 * and the scope `sessions`, a key per live session id, so a notification can reach every session.
 *
 * A request's stream in a session has a 16-hex-digit id; its events are numbered from 0, the
 * priming event (an id and empty data, with `retry`). On the wire an event's id is `r.<stream>.<n>`
 * and a standalone notification's `g.<16 hex>`.
 */
#ifndef WACPY_SESSION_EVENTS_H
#define WACPY_SESSION_EVENTS_H

#include "wacpy_cabi.h"

#define WACPY_STREAM_ID_LEN 16u
#define WACPY_SESSIONS_SCOPE "sessions"
/* Milliseconds a client waits before it reconnects a stream the server closed. */
#define WACPY_RETRY_MS "1000"
/* Standalone notifications a session holds for a client that has not fetched them. */
#define WACPY_OUTBOX_LIMIT 64u
/* A 2026-07-28 `subscriptions/listen` stream is listed with the sessions: its scope's record is
 * WACPY_LISTENER_RECORD (no session record, so no request can join it) and its filter is in
 * entries `lc.tools`, `lc.resources`, `lc.prompts` (list changes it wants) and `sub.<hash>`
 * (resources it watches), so notifications reach it as they reach a session's GET stream. */
#define WACPY_LISTENER_RECORD "listen"
/* Room for any name below: "ev." + 16 + "." + 10 digits, "id: r." + 16 + "." + 10 + "\n...". */
#define WACPY_EVENT_NAME_ROOM 64u

/* The decimal digits of `n` at `out` (room for 10); returns the count. */
static inline size_t wacpy_decimal(uint8_t *out, uint32_t n) {
    uint8_t digits[10];
    size_t k = 0;
    do digits[k++] = (uint8_t)('0' + n % 10), n /= 10;
    while (n);
    for (size_t i = 0; i < k; i++) out[i] = digits[k - 1 - i];
    return k;
}

static inline size_t wacpy_put(uint8_t *out, const char *text) {
    size_t n = 0;
    while (text[n]) out[n] = (uint8_t)text[n], n++;
    return n;
}

/* `<prefix><stream>.<n>` at `out`; returns the length. */
static inline size_t wacpy_event_name(uint8_t *out, const char *prefix, wacpy_string stream, uint32_t n) {
    size_t len = wacpy_put(out, prefix);
    __builtin_memcpy(out + len, stream.ptr, stream.len);
    len += stream.len;
    out[len++] = '.';
    return len + wacpy_decimal(out + len, n);
}

/* The SSE lines before an event's data: its id when the stream has one, then `data: `. */
static inline size_t wacpy_event_head(uint8_t *out, wacpy_string stream, uint32_t n) {
    size_t len = 0;
    if (stream.len) {
        len = wacpy_event_name(out, "id: r.", stream, n);
        out[len++] = '\n';
    }
    return len + wacpy_put(out + len, "event: message\ndata: ");
}

/* 1 and the stream and number of an event id `r.<16 hex>.<n>`; else 0. */
static inline int wacpy_parse_event_id(wacpy_string id, wacpy_string *stream, uint32_t *n) {
    const size_t digits_at = 3 + WACPY_STREAM_ID_LEN;
    uint64_t number = 0;
    if (id.len <= digits_at || id.len > digits_at + 9 || id.ptr[0] != 'r' || id.ptr[1] != '.' ||
        id.ptr[digits_at - 1] != '.')
        return 0;
    for (size_t i = 2; i < digits_at - 1; i++) {
        uint8_t c = id.ptr[i];
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return 0;
    }
    for (size_t i = digits_at; i < id.len; i++) {
        if (id.ptr[i] < '0' || id.ptr[i] > '9') return 0;
        number = number * 10 + (uint64_t)(id.ptr[i] - '0');
    }
    *stream = (wacpy_string){id.ptr + 2, WACPY_STREAM_ID_LEN};
    *n = (uint32_t)number;
    return 1;
}

/* The number of an event key `ev.<stream>.<n>` of `stream`: 1 and `*n`, 2 for `ev.<stream>.end`,
 * 0 for any other key. */
static inline int wacpy_event_key_number(wacpy_string key, wacpy_string stream, uint32_t *n) {
    const size_t digits_at = 4 + WACPY_STREAM_ID_LEN;
    uint64_t number = 0;
    if (key.len <= digits_at || key.len > digits_at + 9 || !wacpy_bytes_eq(key.ptr, "ev.", 3) ||
        !wacpy_bytes_eq(key.ptr + 3, stream.ptr, WACPY_STREAM_ID_LEN) || key.ptr[digits_at - 1] != '.')
        return 0;
    if (key.len == digits_at + 3 && wacpy_bytes_eq(key.ptr + digits_at, "end", 3)) return 2;
    for (size_t i = digits_at; i < key.len; i++) {
        if (key.ptr[i] < '0' || key.ptr[i] > '9') return 0;
        number = number * 10 + (uint64_t)(key.ptr[i] - '0');
    }
    *n = (uint32_t)number;
    return 1;
}

/* `sub.` and the 64-bit FNV-1a of `uri` in hex at `out` (room for 20). */
static inline void wacpy_subscription_key(uint8_t *out, wacpy_string uri) {
    uint64_t h = 14695981039346656037ull;
    for (size_t i = 0; i < uri.len; i++) h = (h ^ uri.ptr[i]) * 1099511628211ull;
    __builtin_memcpy(out, "sub.", 4);
    wacpy_hex_u64(out + 4, h);
}

#endif
