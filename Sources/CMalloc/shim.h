#ifndef CMALLOC_SHIM_H
#define CMALLOC_SHIM_H
/* glibc's mallopt (malloc.h is not part of Swift's Glibc module). Elsewhere a no-op. */
#if defined(__linux__) && __has_include(<malloc.h>)
#include <malloc.h>
static inline void CMalloc_tuneForBatch(void) {
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, 0x7fffffff);
    mallopt(M_TOP_PAD, 16 << 20);
}
#else
static inline void CMalloc_tuneForBatch(void) {}
#endif
#endif
