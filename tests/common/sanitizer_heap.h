// Whether this build's heap belongs to a sanitizer (ASan or TSan), for tests that
// measure memory: under one, freed blocks wait in a quarantine, shadow memory grows
// with use and glibc's mallinfo2 does not see the allocations, so resident-set and
// heap bounds measure the sanitizer, not the code. Such tests skip their bound then
// (GTEST_SKIP, reported as skipped) and check it in builds without one.
//
// Usage:
//   if (df::test_support::kSanitizerOwnsTheHeap) GTEST_SKIP() << "why";
//
// Thread-safety: a constant. Failure: none.
#ifndef DATA_FACTORY_TESTS_COMMON_SANITIZER_HEAP_H_
#define DATA_FACTORY_TESTS_COMMON_SANITIZER_HEAP_H_

namespace df::test_support {

#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
inline constexpr bool kSanitizerOwnsTheHeap = true;
#elif defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(thread_sanitizer)
inline constexpr bool kSanitizerOwnsTheHeap = true;
#else
inline constexpr bool kSanitizerOwnsTheHeap = false;
#endif
#else
inline constexpr bool kSanitizerOwnsTheHeap = false;
#endif

}  // namespace df::test_support

#endif  // DATA_FACTORY_TESTS_COMMON_SANITIZER_HEAP_H_
