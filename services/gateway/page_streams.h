// PageStreams: the streaming calls the pages have open through the gateway, by a
// random call id the page uses to send more requests into its call (a LiveRun lever
// change, a camera frame) while it reads the responses as Server-Sent Events.
//
// Usage:
//   PageStreams streams(/*max_open=*/32);
//   absl::StatusOr<PageStreams::Opened> opened = streams.Open(
//       [&] { return BackendStream::Start(...); });
//   std::shared_ptr<BackendStream> call = streams.Find(opened->id);
//   streams.Close(opened->id);  // cancels the call
//   streams.CloseAll();         // at shutdown: every call cancelled, no new one opens
//
// Thread-safety: every method may be called from any thread.
// Failure: Open() past `max_open` calls, or after CloseAll(), is RESOURCE_EXHAUSTED
// (resp. UNAVAILABLE) naming the limit; Find() of an unknown id is null.
#ifndef DATA_FACTORY_SERVICES_GATEWAY_PAGE_STREAMS_H_
#define DATA_FACTORY_SERVICES_GATEWAY_PAGE_STREAMS_H_

#include <functional>
#include <memory>
#include <string>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "services/gateway/backend_stream.h"

namespace df::gateway {

class PageStreams {
 public:
  struct Opened {
    std::string id;  // 32 lowercase hex digits
    std::shared_ptr<BackendStream> call;
  };

  explicit PageStreams(size_t max_open) : max_open_(max_open) {}

  [[nodiscard]] absl::StatusOr<Opened> Open(
      const std::function<std::shared_ptr<BackendStream>()>& start);
  std::shared_ptr<BackendStream> Find(const std::string& id);
  void Close(const std::string& id);
  void CloseAll();
  size_t open_count();

 private:
  const size_t max_open_;
  absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<BackendStream>> calls_ ABSL_GUARDED_BY(mu_);
  bool closed_ ABSL_GUARDED_BY(mu_) = false;
};

// True when `id` has the shape of a call id (32 lowercase hex digits).
bool IsCallId(const std::string& id);

}  // namespace df::gateway

#endif  // DATA_FACTORY_SERVICES_GATEWAY_PAGE_STREAMS_H_
