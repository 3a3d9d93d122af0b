#include "services/gateway/page_streams.h"

#include <random>
#include <vector>

#include "absl/strings/str_cat.h"

namespace df::gateway {
namespace {

std::string NewCallId() {
  static thread_local std::random_device device;
  std::string id;
  for (int i = 0; i < 4; ++i) {
    absl::StrAppend(&id, absl::Hex(device(), absl::kZeroPad8));
  }
  return id;
}

}  // namespace

bool IsCallId(const std::string& id) {
  return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

absl::StatusOr<PageStreams::Opened> PageStreams::Open(
    const std::function<std::shared_ptr<BackendStream>()>& start) {
  Opened opened;
  {
    absl::MutexLock lock(&mu_);
    if (closed_) return absl::UnavailableError("the gateway is shutting down");
    if (calls_.size() >= max_open_) {
      return absl::ResourceExhaustedError(
          absl::StrCat("the gateway has its maximum of ", max_open_,
                       " streams open (--max_page_streams); close one or retry later"));
    }
    do {
      opened.id = NewCallId();
    } while (calls_.contains(opened.id));
    calls_.emplace(opened.id, nullptr);  // reserves the slot while the call starts
  }
  opened.call = start();
  absl::MutexLock lock(&mu_);
  if (closed_) {
    opened.call->Cancel();
    calls_.erase(opened.id);
    return absl::UnavailableError("the gateway is shutting down");
  }
  calls_[opened.id] = opened.call;
  return opened;
}

std::shared_ptr<BackendStream> PageStreams::Find(const std::string& id) {
  absl::MutexLock lock(&mu_);
  const auto it = calls_.find(id);
  return it == calls_.end() ? nullptr : it->second;
}

void PageStreams::Close(const std::string& id) {
  std::shared_ptr<BackendStream> call;
  {
    absl::MutexLock lock(&mu_);
    const auto it = calls_.find(id);
    if (it == calls_.end()) return;
    call = std::move(it->second);
    calls_.erase(it);
  }
  if (call != nullptr) call->Cancel();
}

void PageStreams::CloseAll() {
  std::vector<std::shared_ptr<BackendStream>> calls;
  {
    absl::MutexLock lock(&mu_);
    closed_ = true;
    for (auto& [id, call] : calls_) {
      if (call != nullptr) calls.push_back(call);
    }
  }
  // Cancelled but left registered: each page's event stream sends its end and
  // removes its own entry.
  for (const auto& call : calls) call->Cancel();
}

size_t PageStreams::open_count() {
  absl::MutexLock lock(&mu_);
  return calls_.size();
}

}  // namespace df::gateway
