#include "malloc_tuning.h"
#include <string.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int responder_mallopt(const char *name, int value) {
#if defined(__GLIBC__)
    if (strcmp(name, "arena_max") == 0) return mallopt(M_ARENA_MAX, value);
    if (strcmp(name, "mmap_threshold") == 0) return mallopt(M_MMAP_THRESHOLD, value);
    if (strcmp(name, "trim_threshold") == 0) return mallopt(M_TRIM_THRESHOLD, value);
#endif
    (void)name;
    (void)value;
    return 0;
}
