#include "mem.h"

#pragma clang attribute push(__attribute__((minsize)), apply_to = function)

/* Requests larger than this trap instead of growing memory without end (the body limit is 4 MiB). */
#define MEM_LIMIT (256u << 20)
#define PAGE 65536u

extern unsigned char __heap_base;

static uintptr_t top;
static uintptr_t kept; /* what was allocated below this lives as long as the instance */

static uintptr_t base(void) { return kept ? kept : ((uintptr_t)&__heap_base + 15) & ~(uintptr_t)15; }

void mem_forget_kept(void) { kept = 0, top = base(); }

void mem_keep_all(void) {
  if (!top) top = base();
  kept = top = (top + 15) & ~(uintptr_t)15;
}

void mem_reset(void) { top = base(); }

uint8_t *mem_reset_keep(const uint8_t *src, size_t n) {
  uint8_t *start = (uint8_t *)base();
  memmove(start, src, n);
  top = (uintptr_t)start + n;
  return start;
}

void mem_release_after(const void *end) { top = (uintptr_t)end; }

uint8_t *mem_top(void) {
  if (!top) top = base();
  return (uint8_t *)top;
}

static void ensure(uintptr_t end) {
  if (end - base() > MEM_LIMIT) __builtin_trap();
  uintptr_t have = __builtin_wasm_memory_size(0) * PAGE;
  if (end <= have) return;
  size_t pages = (end - have + PAGE - 1) / PAGE;
  if (__builtin_wasm_memory_grow(0, pages) == (size_t)-1) __builtin_trap();
}

void *mem_alloc(size_t size, size_t align) {
  if (!top) top = base();
  uintptr_t p = (top + align - 1) & ~(uintptr_t)(align - 1);
  if (size > MEM_LIMIT) __builtin_trap();
  ensure(p + size);
  top = p + size;
  return (void *)p;
}

void *mem_realloc(void *ptr, size_t old_size, size_t new_size, size_t align) {
  if (ptr && (uintptr_t)ptr + old_size == top) {
    if (new_size > MEM_LIMIT) __builtin_trap();
    ensure((uintptr_t)ptr + new_size);
    top = (uintptr_t)ptr + new_size;
    return ptr;
  }
  void *fresh = mem_alloc(new_size, align);
  if (ptr) memcpy(fresh, ptr, old_size < new_size ? old_size : new_size);
  return fresh;
}

__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *ptr, size_t old_size, size_t align, size_t new_size) {
  return mem_realloc(ptr, old_size, new_size, align);
}

str str_from(const char *text) {
  str s = {text, 0};
  while (text[s.len]) s.len++;
  return s;
}

str str_dup(str s) {
  char *p = mem_alloc(s.len, 1);
  memcpy(p, s.ptr, s.len);
  return (str){p, s.len};
}

int str_eq(str a, str b) { return a.len == b.len && memcmp(a.ptr, b.ptr, a.len) == 0; }

int str_eq_lit(str a, const char *lit) {
  size_t n = 0;
  while (lit[n]) n++;
  return a.len == n && memcmp(a.ptr, lit, n) == 0;
}

static char lower(char c) { return c >= 'A' && c <= 'Z' ? (char)(c + 32) : c; }

int str_ieq(str a, str b) {
  if (a.len != b.len) return 0;
  for (uint32_t i = 0; i < a.len; i++)
    if (lower(a.ptr[i]) != lower(b.ptr[i])) return 0;
  return 1;
}

static int is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

str str_trim(str s) {
  while (s.len && is_space(s.ptr[0])) s.ptr++, s.len--;
  while (s.len && is_space(s.ptr[s.len - 1])) s.len--;
  return s;
}

/* Bulk-memory instructions (enabled by default for wasm32 in this zig) implement the C helpers. */
void *memcpy(void *dst, const void *src, size_t n) {
  __builtin_memmove(dst, src, n);
  return dst;
}

void *memmove(void *dst, const void *src, size_t n) {
  __builtin_memmove(dst, src, n);
  return dst;
}

void *memset(void *dst, int c, size_t n) {
  __builtin_memset(dst, c, n);
  return dst;
}

int memcmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  for (size_t i = 0; i < n; i++)
    if (x[i] != y[i]) return x[i] < y[i] ? -1 : 1;
  return 0;
}

#pragma clang attribute pop
