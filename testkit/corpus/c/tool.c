/*
 * A freestanding C implementation of the `wacpy:corpus/tools` interface
 * (see tool.wit), written directly against the canonical ABI: no libc, no
 * bindings generator. Memory comes from a bump allocator that every
 * post-return function resets, so each call starts from an empty heap.
 */
#include <stdint.h>
#include <stddef.h>

#define EXPORT(name) __attribute__((export_name(name)))
#define IFACE "wacpy:corpus/tools@0.1.0"

extern unsigned char __heap_base;
static uintptr_t heap_top = 0;

static void *bump_alloc(size_t align, size_t size) {
    if (heap_top == 0) {
        heap_top = (uintptr_t)&__heap_base;
    }
    uintptr_t p = (heap_top + align - 1) & ~(uintptr_t)(align - 1);
    uintptr_t end = p + size;
    uintptr_t limit = __builtin_wasm_memory_size(0) * 65536u;
    if (end > limit) {
        size_t pages = (end - limit + 65535u) / 65536u;
        if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) {
            __builtin_trap();
        }
    }
    heap_top = end;
    return (void *)p;
}

static void heap_reset(void) {
    heap_top = (uintptr_t)&__heap_base;
}

static void copy_bytes(unsigned char *dst, const unsigned char *src, size_t n) {
    for (size_t i = 0; i < n; i++) {
        dst[i] = src[i];
    }
}

EXPORT("cabi_realloc")
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    if (new_size == 0) {
        return (void *)align;
    }
    void *fresh = bump_alloc(align, new_size);
    if (old != NULL && old_size != 0) {
        copy_bytes(fresh, old, old_size < new_size ? old_size : new_size);
    }
    return fresh;
}

/* A `string` or `list<T>` in linear memory: pointer then length. */
typedef struct {
    uint32_t ptr;
    uint32_t len;
} slice_t;

/* `record stats { count: u32, total: u64, label: string }`:
 * count at 0, total at 8 (8-aligned), label at 16; size 24, align 8. */
typedef struct {
    uint32_t count;
    uint32_t pad;
    uint64_t total;
    slice_t label;
} stats_t;

_Static_assert(sizeof(stats_t) == 24, "stats layout");
_Static_assert(_Alignof(stats_t) == 8, "stats alignment");

/* echo: func(text: string) -> string
 * The result (two i32s) does not fit in one core value, so it is written
 * to a return area whose address is the core result. */
EXPORT(IFACE "#echo")
slice_t *tools_echo(const unsigned char *text, uint32_t len) {
    slice_t *ret = bump_alloc(4, sizeof(slice_t));
    unsigned char *copy = bump_alloc(1, len ? len : 1);
    copy_bytes(copy, text, len);
    ret->ptr = (uint32_t)(uintptr_t)copy;
    ret->len = len;
    return ret;
}

EXPORT("cabi_post_" IFACE "#echo")
void tools_echo_post(slice_t *ret) {
    (void)ret;
    heap_reset();
}

/* summarize: func(name: string, values: list<u32>) -> stats */
EXPORT(IFACE "#summarize")
stats_t *tools_summarize(const unsigned char *name, uint32_t name_len,
                         const uint32_t *values, uint32_t count) {
    stats_t *ret = bump_alloc(8, sizeof(stats_t));
    uint64_t total = 0;
    for (uint32_t i = 0; i < count; i++) {
        total += values[i];
    }
    unsigned char *label = bump_alloc(1, name_len ? name_len : 1);
    copy_bytes(label, name, name_len);
    ret->count = count;
    ret->pad = 0;
    ret->total = total;
    ret->label.ptr = (uint32_t)(uintptr_t)label;
    ret->label.len = name_len;
    return ret;
}

EXPORT("cabi_post_" IFACE "#summarize")
void tools_summarize_post(stats_t *ret) {
    (void)ret;
    heap_reset();
}

/* words: func(text: string) -> list<string> */
EXPORT(IFACE "#words")
slice_t *tools_words(const unsigned char *text, uint32_t len) {
    uint32_t n = 0;
    uint32_t i = 0;
    while (i < len) {
        while (i < len && text[i] == ' ') i++;
        if (i < len) n++;
        while (i < len && text[i] != ' ') i++;
    }
    slice_t *ret = bump_alloc(4, sizeof(slice_t));
    slice_t *items = bump_alloc(4, n ? n * sizeof(slice_t) : 1);
    uint32_t k = 0;
    i = 0;
    while (i < len) {
        while (i < len && text[i] == ' ') i++;
        uint32_t start = i;
        while (i < len && text[i] != ' ') i++;
        if (i > start) {
            unsigned char *word = bump_alloc(1, i - start);
            copy_bytes(word, text + start, i - start);
            items[k].ptr = (uint32_t)(uintptr_t)word;
            items[k].len = i - start;
            k++;
        }
    }
    ret->ptr = (uint32_t)(uintptr_t)items;
    ret->len = n;
    return ret;
}

EXPORT("cabi_post_" IFACE "#words")
void tools_words_post(slice_t *ret) {
    (void)ret;
    heap_reset();
}
