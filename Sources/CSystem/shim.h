#ifndef CSYSTEM_SHIM_H
#define CSYSTEM_SHIM_H
/* What Swift's Glibc module lacks: glibc's mallopt (malloc.h) and a cache prefetch hint. */
#if defined(__linux__) && __has_include(<malloc.h>)
#include <malloc.h>
static inline void CSystem_tuneMallocForBatch(void) {
    mallopt(M_ARENA_MAX, 1);
    mallopt(M_MMAP_MAX, 0);
    mallopt(M_TRIM_THRESHOLD, 0x7fffffff);
    mallopt(M_TOP_PAD, 16 << 20);
}
#else
static inline void CSystem_tuneMallocForBatch(void) {}
#endif

/* Starts loading the cache line at p for a later read; never faults. */
static inline void CSystem_prefetch(const void *p) { __builtin_prefetch(p, 0, 3); }
#endif
