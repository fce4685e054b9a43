/* A core module (no component) that exercises wacpy_alloc.h: random heap allocations, frees and
 * reallocations whose contents are checked, arena rounds reset after each use, and a JSON writer
 * growing in an arena. `stress(seed, rounds)` returns 0, or the number of the first failed check. */
#include "wacpy_alloc.h"
#include "wacpy_json.h"

#define SLOTS 64

static uint32_t state;
static uint32_t next_random(void) { /* xorshift32 */
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

static uint8_t *slot[SLOTS];
static size_t slot_size[SLOTS];
static uint8_t slot_fill[SLOTS];

static int check(int i) {
    for (size_t k = 0; k < slot_size[i]; k++)
        if (slot[i][k] != (uint8_t)(slot_fill[i] + k)) return 0;
    return 1;
}

static void fill(int i) {
    for (size_t k = 0; k < slot_size[i]; k++) slot[i][k] = (uint8_t)(slot_fill[i] + k);
}

/* Sizes from 0 to ~100 KB, mostly small. */
static size_t random_size(void) {
    uint32_t r = next_random();
    switch (r & 3) {
    case 0: return r >> 28;
    case 1: return (r >> 8) & 255;
    case 2: return (r >> 8) & 4095;
    default: return (r >> 8) % 100000;
    }
}

WACPY_EXPORT("stress") int32_t stress(uint32_t seed, uint32_t rounds) {
    state = seed ? seed : 1;
    wacpy_arena arena = {0};
    for (uint32_t round = 0; round < rounds; round++) {
        int i = (int)(next_random() % SLOTS);
        if (slot[i] && !check(i)) return 1;
        uint32_t op = next_random() % 3;
        if (op == 0 || !slot[i]) { /* replace */
            wacpy_heap_free(slot[i]);
            slot_size[i] = random_size();
            slot[i] = (uint8_t *)wacpy_heap_alloc(slot_size[i]);
            if ((uintptr_t)slot[i] & 7) return 2;
        } else if (op == 1) { /* grow or shrink, keeping the common prefix */
            size_t size = random_size(), keep = size < slot_size[i] ? size : slot_size[i];
            slot[i] = (uint8_t *)wacpy_heap_realloc(slot[i], size);
            for (size_t k = 0; k < keep; k++)
                if (slot[i][k] != (uint8_t)(slot_fill[i] + k)) return 3;
            slot_size[i] = size;
        } else {
            wacpy_heap_free(slot[i]);
            slot[i] = 0;
            slot_size[i] = 0;
            continue;
        }
        slot_fill[i] = (uint8_t)next_random();
        fill(i);
        /* A JSON string written through a writer that grows in an arena, past several chunks. */
        if (next_random() % 64 == 0) {
            wacpy_out o = wacpy_out_in_arena(&arena);
            size_t n = random_size();
            for (size_t k = 0; k < n; k++) wacpy_out_byte(&o, (uint8_t)('a' + k % 26));
            wacpy_json_u64(&o, n);
            if (o.failed || o.len < n) return 9;
            for (size_t k = 0; k < n; k++)
                if (o.buf[k] != (uint8_t)('a' + k % 26)) return 10;
            wacpy_arena_reset(&arena);
        }
        /* An arena round: a few allocations (some beyond a chunk), checked, then reset. */
        if (next_random() % 8 == 0) {
            uint8_t *p[4];
            size_t n[4];
            for (int k = 0; k < 4; k++) {
                n[k] = random_size();
                size_t align = (size_t)1 << (next_random() % 4);
                p[k] = (uint8_t *)wacpy_arena_alloc(&arena, n[k], align);
                if ((uintptr_t)p[k] & (align - 1)) return 4;
                for (size_t b = 0; b < n[k]; b++) p[k][b] = (uint8_t)(k + b);
            }
            for (int k = 0; k < 4; k++)
                for (size_t b = 0; b < n[k]; b++)
                    if (p[k][b] != (uint8_t)(k + b)) return 5;
            wacpy_arena_reset(&arena);
        }
    }
    wacpy_arena_release(&arena);
    for (int i = 0; i < SLOTS; i++) {
        if (slot[i] && !check(i)) return 6;
        wacpy_heap_free(slot[i]);
        slot[i] = 0;
    }
    /* Everything is free again: the free list must be one block, so a large allocation fits in it
     * without growing memory. */
    if (!wacpy_free_ || wacpy_free_->next) return 7;
    size_t pages = __builtin_wasm_memory_size(0);
    wacpy_heap_free(wacpy_heap_alloc(wacpy_free_->size - sizeof(wacpy_block)));
    if (__builtin_wasm_memory_size(0) != pages) return 8;
    return 0;
}

/* Pages of linear memory in use. */
WACPY_EXPORT("pages") uint32_t pages(void) { return (uint32_t)__builtin_wasm_memory_size(0); }
