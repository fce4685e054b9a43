/* A per-request bump arena: everything the transport and the host allocate lives here until reset.
 *
 * Every .c file of the transport wraps its functions in
 * `#pragma clang attribute push(__attribute__((minsize)), apply_to = function)`, and the runtime
 * of middleware-src/include is compiled with WACPY_SHARED_MINSIZE (one weak copy of each helper for
 * all files, optimised for size): the build uses -O2 for all components, and this I/O-bound glue is
 * a third smaller optimized for size. */
#ifndef TRANSPORT_MEM_H
#define TRANSPORT_MEM_H

#define WACPY_SHARED_MINSIZE
#define WACPY_OUT_DEFAULT_DRAIN /* jsonw.c: every `buf` grows in the arena */
#include "wacpy_cabi.h"

/* UTF-8 text that is not NUL-terminated; the layout of a canonical-ABI `string`. `.w` is the same
 * span as the runtime's `wacpy_string`, so the runtime reads and writes `str`s in place. `(str){p, n}`
 * initialises the first member, the anonymous struct (hence no -Wmissing-braces). */
#pragma clang diagnostic ignored "-Wmissing-braces"
typedef union {
  struct {
    const char *ptr;
    uint32_t len;
  };
  wacpy_string w;
} str;

#define STR(literal) ((str){(literal), sizeof(literal) - 1})

/* Wrappers that only pass `str`s to the runtime: always inlined, they cost nothing. */
#define TRANSPORT_INLINE static inline __attribute__((always_inline))

/* Forget every allocation. */
void mem_reset(void);
/* Keep every allocation made so far for the life of the instance (settings read once); later
 * resets forget only what comes after. */
void mem_keep_all(void);
/* Forget what `mem_keep_all` kept, too (to make it again, first thing in a request). */
void mem_forget_kept(void);
/* Forget every allocation but keep `n` bytes from `src`, moved to the start of the arena. */
uint8_t *mem_reset_keep(const uint8_t *src, size_t n);
/* Forget every allocation made after `end` (which must be inside the arena). */
void mem_release_after(const void *end);
/* Where the next allocation with alignment 1 will start. */
uint8_t *mem_top(void);
void *mem_alloc(size_t size, size_t align);
/* Resize an allocation; grows in place when it is the last one. */
void *mem_realloc(void *ptr, size_t old_size, size_t new_size, size_t align);

str str_dup(str s);
/* A NUL-terminated text (a message literal) as a `str`. */
str str_from(const char *text);
int str_eq(str a, str b);
int str_eq_lit(str a, const char *lit);
/* ASCII case-insensitive comparison. */
int str_ieq(str a, str b);
str str_trim(str s);

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
