/* Memory for freestanding wasm32 components: a heap that frees, and arenas on top of it.
 *
 * The heap is a first-fit free list kept in address order, so freeing coalesces neighbours; it grows
 * linear memory with memory.grow and never shrinks it. Every block is 8-aligned, enough for any
 * canonical-ABI type. An arena hands out memory by bumping a pointer through chunks taken from the
 * heap; `wacpy_arena_reset` frees every chunk but the first, so a component that resets its arena
 * after each call (in the `cabi_post_*` functions) stays within the peak of a single call.
 *
 * Header-only: the state is in weak globals, so any number of translation units may include it.
 * Alignments above 8 are not supported (the canonical ABI never asks for them) and trap.
 */
#ifndef WACPY_ALLOC_H
#define WACPY_ALLOC_H

#include "wacpy_cabi.h"

#define WACPY_WEAK __attribute__((weak))
#define WACPY_PAGE 65536u
/* The first arena chunk; larger requests get a chunk of their own size. */
#define WACPY_ARENA_CHUNK 65536u

/* A heap block: an 8-byte header, then the payload. `size` counts the header; `next` links free
 * blocks (an address, 0 at the end) and is unused while the block is allocated. */
typedef struct wacpy_block {
    uint32_t size;
    struct wacpy_block *next;
} wacpy_block;

extern unsigned char __heap_base;
WACPY_WEAK uintptr_t wacpy_brk_ = 0;
WACPY_WEAK wacpy_block *wacpy_free_ = 0;

static inline uintptr_t wacpy_align_up(uintptr_t x, uintptr_t align) {
    return (x + align - 1) & ~(align - 1);
}

/* `n` fresh bytes (a multiple of 8) from the top of the heap, growing memory as needed. */
static inline void *wacpy_sbrk(size_t n) {
    if (wacpy_brk_ == 0) wacpy_brk_ = wacpy_align_up((uintptr_t)&__heap_base, 8);
    uintptr_t start = wacpy_brk_, end = start + n;
    if (end < start) __builtin_trap();
    uint64_t have = (uint64_t)__builtin_wasm_memory_size(0) * WACPY_PAGE; /* 4 GiB does not fit 32 bits */
    if (end > have) {
        size_t pages = (size_t)((end - have + WACPY_PAGE - 1) / WACPY_PAGE);
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) __builtin_trap();
    }
    wacpy_brk_ = end;
    return (void *)start;
}

/* At least `size` bytes, 8-aligned; traps when memory cannot grow. */
WACPY_NOINLINE void *wacpy_heap_alloc(size_t size) {
    if (size > 0x7fffff00u) __builtin_trap();
    uint32_t need = (uint32_t)wacpy_align_up(size + sizeof(wacpy_block), 8);
    if (need < 16) need = 16;
    wacpy_block **link = &wacpy_free_;
    for (wacpy_block *b = wacpy_free_; b; link = &b->next, b = b->next) {
        if (b->size < need) continue;
        if (b->size - need >= 16) { /* keep the tail free, in the same list position */
            wacpy_block *tail = (wacpy_block *)((uint8_t *)b + need);
            tail->size = b->size - need;
            tail->next = b->next;
            *link = tail;
            b->size = need;
        } else {
            *link = b->next;
        }
        return b + 1;
    }
    wacpy_block *b = (wacpy_block *)wacpy_sbrk(need);
    b->size = need;
    return b + 1;
}

/* Give a block back; neighbours that are free merge with it. Null is ignored. */
WACPY_NOINLINE void wacpy_heap_free(void *p) {
    if (!p) return;
    wacpy_block *b = (wacpy_block *)p - 1, *prev = 0, *next = wacpy_free_;
    while (next && next < b) {
        prev = next;
        next = next->next;
    }
    if (next && (uint8_t *)b + b->size == (uint8_t *)next) {
        b->size += next->size;
        next = next->next;
    }
    b->next = next;
    if (prev && (uint8_t *)prev + prev->size == (uint8_t *)b) {
        prev->size += b->size;
        prev->next = b->next;
    } else if (prev) {
        prev->next = b;
    } else {
        wacpy_free_ = b;
    }
}

/* The usable size of a heap block. */
static inline size_t wacpy_heap_capacity(const void *p) {
    return ((const wacpy_block *)p - 1)->size - sizeof(wacpy_block);
}

static inline void *wacpy_heap_realloc(void *p, size_t size) {
    if (!p) return wacpy_heap_alloc(size);
    size_t have = wacpy_heap_capacity(p);
    if (size <= have) return p;
    void *q = wacpy_heap_alloc(size);
    __builtin_memcpy(q, p, have);
    wacpy_heap_free(p);
    return q;
}

/* An arena: bump allocation in heap chunks. Each chunk starts with a link to the previous one.
 * Zero-initialise it (`wacpy_arena a = {0};`). */
typedef struct wacpy_arena {
    uint8_t *chunk;
    size_t used, cap;
} wacpy_arena;

WACPY_NOINLINE void *wacpy_arena_alloc(wacpy_arena *a, size_t size, size_t align) {
    if (align == 0) align = 1;
    if (align > 8 || (align & (align - 1))) __builtin_trap();
    size_t at = (size_t)wacpy_align_up(a->used, align);
    if (!a->chunk || at > a->cap || size > a->cap - at) {
        size_t want = size + 8 > WACPY_ARENA_CHUNK ? size + 8 : WACPY_ARENA_CHUNK;
        uint8_t *chunk = (uint8_t *)wacpy_heap_alloc(want);
        *(uint8_t **)chunk = a->chunk;
        a->chunk = chunk;
        a->cap = wacpy_heap_capacity(chunk);
        at = 8;
    }
    a->used = at + size;
    return a->chunk + at;
}

/* The canonical ABI's `cabi_realloc` contract, served from an arena: grows the latest allocation in
 * place when it can, otherwise copies. */
WACPY_NOINLINE void *wacpy_arena_realloc(wacpy_arena *a, void *old, size_t old_size, size_t align,
                                         size_t new_size) {
    if (old && a->chunk && (uint8_t *)old + old_size == a->chunk + a->used &&
        (size_t)((uint8_t *)old - a->chunk) + new_size <= a->cap) {
        a->used = (size_t)((uint8_t *)old - a->chunk) + new_size;
        return old;
    }
    void *p = wacpy_arena_alloc(a, new_size, align);
    if (old) __builtin_memcpy(p, old, old_size < new_size ? old_size : new_size);
    return p;
}

/* The elements of list `a` then those of list `b` (each `*_len` elements of `size` bytes), as a new
 * list in the arena; no copy when either is empty. Returns the pointer, the length is the sum. */
WACPY_NOINLINE void *wacpy_arena_concat(wacpy_arena *arena, void *a, size_t a_len, void *b, size_t b_len,
                                        size_t size, size_t align) {
    if (b_len == 0) return a;
    if (a_len == 0) return b;
    size_t n = a_len + b_len;
    if (n < a_len || n > (size_t)-1 / size) __builtin_trap();
    uint8_t *p = (uint8_t *)wacpy_arena_alloc(arena, n * size, align);
    __builtin_memcpy(p, a, a_len * size);
    __builtin_memcpy(p + a_len * size, b, b_len * size);
    return p;
}

/* Forget everything allocated; chunks beyond the first go back to the heap. */
WACPY_NOINLINE void wacpy_arena_reset(wacpy_arena *a) {
    if (!a->chunk) return;
    uint8_t *prev;
    while ((prev = *(uint8_t **)a->chunk) != 0) {
        wacpy_heap_free(a->chunk);
        a->chunk = prev;
    }
    a->cap = wacpy_heap_capacity(a->chunk);
    a->used = 8;
}

/* Free every chunk: the arena is empty again, as if zero-initialised. */
WACPY_NOINLINE void wacpy_arena_release(wacpy_arena *a) {
    wacpy_arena_reset(a);
    wacpy_heap_free(a->chunk);
    a->chunk = 0;
    a->used = a->cap = 0;
}

#endif
