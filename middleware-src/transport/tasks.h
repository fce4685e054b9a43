/* Tasks on the transport's side (the MCP 2026-07-28 tasks extension, SEP-2663): `tasks/get`,
 * `tasks/update` and `tasks/cancel` over the entries in the store, and settling a task when its
 * run ends. The context provider makes a task (`context.run-as-task`); wacpy_tasks.h has the
 * entry's format, which both follow. */
#ifndef TRANSPORT_TASKS_H
#define TRANSPORT_TASKS_H

#include "dispatch.h"

/* What a task operation found: done, no such task (unknown or expired), or the store failed. */
enum { TASK_DONE = 0, TASK_UNKNOWN = 1, TASK_STORE_FAILED = 2 };

/* Every operation takes the `requester` (the caller's subject in OAuth mode, else empty): a task
 * another caller made is unknown to them. */

/* Task `id`'s DetailedTask (its entry without the private members) into `out`. */
int task_view(str id, str requester, buf *out, str *why);
/* The client's answers to task `id`'s questions (`responses`, an object of objects by key): kept
 * with the earlier ones; answered questions leave `inputRequests`. `*resume` is 1 when none is
 * left, so the task runs again (with every answer) and its status is `working`. */
int task_answer(str id, str requester, str responses, int *resume, str *why);
/* Cancel task `id` unless it ended already. */
int task_cancel(str id, str requester, str *why);
/* The run of task `id` ended: `status`, with `member` (`result`, `error`, `inputRequests`) set to
 * JSON `value`. A task that ended meanwhile (cancelled) stays as it is. */
void task_settle(str id, const char *status, const char *member, str value);
/* What task `id` runs: the tool's name, its arguments, the client-capabilities flags, the answers;
 * and who made it (`owner` subject, `scopes`, `claims`: empty in public mode). */
typedef struct {
  str name, arguments, answers, owner, scopes, claims;
  uint8_t caps;
} task_run;
int task_call(str id, task_run *run);

#endif
