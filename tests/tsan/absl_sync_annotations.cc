// ThreadSanitizer annotations for Debian's absl::Mutex (linked into every binary of
// the tsan preset only).
//
// Debian's Abseil is built without -fsanitize=thread, so TSan sees neither the
// acquire nor the release of an absl::Mutex, absl::CondVar or absl::Notification:
// every access our code makes under such a lock (and gRPC's, whose locks are
// absl::Mutex too) would be reported as a race. This file defines the Mutex and
// CondVar entry points in the binary, where they take precedence over the shared
// library's (ELF interposition, also for the calls made inside Abseil and gRPC):
// each calls the library's own function (dlsym RTLD_NEXT) between the annotations
// an instrumented Abseil makes itself (absl/synchronization/mutex.cc under
// ABSL_HAVE_THREAD_SANITIZER). Accesses made inside a lock or unlock (Abseil
// evaluating a waiter's Condition) are ignored there, as in an instrumented build.
// Destruction is not annotated: TSan's destroy imitates a write to the mutex, which
// races (as TSan sees it) with gRPC handing its objects between threads through
// atomics it cannot see; freeing the memory resets TSan's state of the mutex anyway.
//
// Thread-safety: the wrapped functions are as thread-safe as Abseil's. Failure: a
// symbol missing from the library aborts at its first use, naming it.
#include <dlfcn.h>
#include <sanitizer/tsan_interface.h>

#include <cstdio>
#include <cstdlib>

#include "absl/synchronization/mutex.h"

namespace {

template <class Fn>
Fn Real(const char* symbol) {
  void* function = dlsym(RTLD_NEXT, symbol);
  if (function == nullptr) {
    std::fprintf(stderr, "absl_sync_annotations: %s is not in libabsl_synchronization\n", symbol);
    std::abort();
  }
  return reinterpret_cast<Fn>(function);
}

// Runs `lock` (which takes `mu`) between TSan's pre- and post-lock annotations.
template <class Lock>
auto Locked(void* mu, unsigned flags, Lock lock) {
  __tsan_mutex_pre_lock(mu, flags);
  auto result = lock();
  __tsan_mutex_post_lock(mu, flags, 0);
  return result;
}

// The same for a try-lock: `try_lock` returns whether it took `mu`.
template <class TryLock>
bool TriedLock(void* mu, unsigned flags, TryLock try_lock) {
  flags |= __tsan_mutex_try_lock;
  __tsan_mutex_pre_lock(mu, flags);
  const bool locked = try_lock();
  __tsan_mutex_post_lock(mu, locked ? flags : flags | __tsan_mutex_try_lock_failed, 0);
  return locked;
}

template <class Unlock>
void Unlocked(void* mu, unsigned flags, Unlock unlock) {
  __tsan_mutex_pre_unlock(mu, flags);
  unlock();
  __tsan_mutex_post_unlock(mu, flags);
}

constexpr unsigned kWrite = 0;
constexpr unsigned kRead = __tsan_mutex_read_lock;

}  // namespace

namespace absl {
ABSL_NAMESPACE_BEGIN

using synchronization_internal::KernelTimeout;

void Mutex::Lock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN4absl7debian35Mutex4LockEv");
  Locked(this, kWrite, [&] { return (real(this), 0); });
}

void Mutex::ReaderLock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN4absl7debian35Mutex10ReaderLockEv");
  Locked(this, kRead, [&] { return (real(this), 0); });
}

bool Mutex::TryLock() {
  static const auto real = Real<bool (*)(Mutex*)>("_ZN4absl7debian35Mutex7TryLockEv");
  return TriedLock(this, kWrite, [&] { return real(this); });
}

bool Mutex::ReaderTryLock() {
  static const auto real = Real<bool (*)(Mutex*)>("_ZN4absl7debian35Mutex13ReaderTryLockEv");
  return TriedLock(this, kRead, [&] { return real(this); });
}

void Mutex::Unlock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN4absl7debian35Mutex6UnlockEv");
  Unlocked(this, kWrite, [&] { real(this); });
}

void Mutex::ReaderUnlock() {
  static const auto real = Real<void (*)(Mutex*)>("_ZN4absl7debian35Mutex12ReaderUnlockEv");
  Unlocked(this, kRead, [&] { real(this); });
}

void Mutex::LockWhen(const Condition& cond) {
  static const auto real =
      Real<void (*)(Mutex*, const Condition&)>("_ZN4absl7debian35Mutex8LockWhenERKNS0_9ConditionE");
  Locked(this, kWrite, [&] { return (real(this, cond), 0); });
}

void Mutex::ReaderLockWhen(const Condition& cond) {
  static const auto real = Real<void (*)(Mutex*, const Condition&)>(
      "_ZN4absl7debian35Mutex14ReaderLockWhenERKNS0_9ConditionE");
  Locked(this, kRead, [&] { return (real(this, cond), 0); });
}

// The ...WithTimeout / ...WithDeadline forms hold the lock on return, whatever they
// return. Abseil's ...WithTimeout forward to ...WithDeadline through the interposed
// symbol: calling them here would annotate one lock twice (TSan would count it as a
// recursive lock that the one Unlock does not release), so they are the deadline form
// with absl::Now() + timeout, as in Abseil.
bool Mutex::LockWhenWithTimeout(const Condition& cond, absl::Duration timeout) {
  return LockWhenWithDeadline(cond, absl::Now() + timeout);
}

bool Mutex::LockWhenWithDeadline(const Condition& cond, absl::Time deadline) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, absl::Time)>(
      "_ZN4absl7debian35Mutex20LockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return Locked(this, kWrite, [&] { return real(this, cond, deadline); });
}

bool Mutex::ReaderLockWhenWithTimeout(const Condition& cond, absl::Duration timeout) {
  return ReaderLockWhenWithDeadline(cond, absl::Now() + timeout);
}

bool Mutex::ReaderLockWhenWithDeadline(const Condition& cond, absl::Time deadline) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, absl::Time)>(
      "_ZN4absl7debian35Mutex26ReaderLockWhenWithDeadlineERKNS0_9ConditionENS0_4TimeE");
  return Locked(this, kRead, [&] { return real(this, cond, deadline); });
}

// Await, AwaitWithTimeout and AwaitWithDeadline: the lock may be released while
// waiting and is held again on return.
bool Mutex::AwaitCommon(const Condition& cond, KernelTimeout timeout) {
  static const auto real = Real<bool (*)(Mutex*, const Condition&, KernelTimeout)>(
      "_ZN4absl7debian35Mutex11AwaitCommonERKNS0_9ConditionENS0_24synchronization_"
      "internal13KernelTimeoutE");
  Unlocked(this, kWrite, [] {});
  return Locked(this, kWrite, [&] { return real(this, cond, timeout); });
}

// CondVar::Wait, WaitWithTimeout and WaitWithDeadline: `mutex` is released while
// waiting and held again on return.
bool CondVar::WaitCommon(Mutex* mutex, KernelTimeout timeout) {
  static const auto real = Real<bool (*)(CondVar*, Mutex*, KernelTimeout)>(
      "_ZN4absl7debian37CondVar10WaitCommonEPNS0_5MutexENS0_24synchronization_"
      "internal13KernelTimeoutE");
  Unlocked(mutex, kWrite, [] {});
  return Locked(mutex, kWrite, [&] { return real(this, mutex, timeout); });
}

ABSL_NAMESPACE_END
}  // namespace absl
