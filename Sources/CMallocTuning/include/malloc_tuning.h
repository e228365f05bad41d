#ifndef RESPONDER_MALLOC_TUNING_H
#define RESPONDER_MALLOC_TUNING_H

/// Sets one glibc malloc parameter by name: "arena_max", "mmap_threshold" or "trim_threshold". Returns 1 when it was
/// set, 0 when glibc refused it or the platform has no mallopt (then nothing changes).
int responder_mallopt(const char *name, int value);

#endif
