/*
 * C side of the greeter pair (world `greeter-c` of greeter.wit): a wasi-libc command whose
 * `main` calls the imported component function `test:greet/greeter@0.1.0#greet` through the
 * canonical ABI and prints the result. Built with `zig cc --target=wasm32-wasi`, then made a
 * component with the WASI preview1 *command* adapter, which exports `wasi:cli/run` and calls
 * `_start` -> `main`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* greet: func(name: string) -> string. The string result is wider than one core value, so the
 * caller passes a return area that receives (ptr, len). */
__attribute__((import_module("test:greet/greeter@0.1.0"), import_name("greet")))
extern void greeter_greet(const char *name, size_t name_len, uint32_t *ret_area);

/* The host allocates the result string through this. It must be a real allocator: the preview1
 * adapter also allocates its own stack and state through it. */
__attribute__((export_name("cabi_realloc")))
void *cabi_realloc(void *old, size_t old_size, size_t align, size_t new_size) {
    if (new_size == 0) {
        return (void *)align;
    }
    void *p;
    if (align <= _Alignof(max_align_t)) {
        p = realloc(old, new_size);
    } else {
        /* realloc only guarantees max_align_t alignment: allocate aligned and copy. */
        p = aligned_alloc(align, (new_size + align - 1) / align * align);
        if (p != NULL && old != NULL) {
            memcpy(p, old, old_size < new_size ? old_size : new_size);
            free(old);
        }
    }
    if (p == NULL) {
        abort();
    }
    return p;
}

int main(int argc, char **argv) {
    const char *name = argc > 1 ? argv[1] : "C";
    uint32_t ret[2] __attribute__((aligned(4)));
    greeter_greet(name, strlen(name), ret);
    const char *text = (const char *)(uintptr_t)ret[0];
    size_t len = ret[1];
    printf("%.*s\n", (int)len, text);
    free((void *)text);
    return 0;
}
