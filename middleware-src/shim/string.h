/* The `string.h` BearSSL includes, for freestanding wasm: only what it calls, which the component
 * that links it defines (the transport's mem.c). */
#ifndef WACPY_SHIM_STRING_H
#define WACPY_SHIM_STRING_H

#include <stddef.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);

#endif
