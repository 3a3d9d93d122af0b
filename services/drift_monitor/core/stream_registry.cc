#include "services/drift_monitor/core/stream_registry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace df::drift {

absl::StatusOr<std::shared_ptr<Stream>> StreamRegistry::GetOrCreate(const StreamId& id,
                                                                    absl::Time now, bool* created) {
  absl::MutexLock lock(&mu_);
  if (created != nullptr) *created = false;
  if (auto it = streams_.find(id.value()); it != streams_.end()) {
    last_seen_[it->first] = now;
    return it->second;
  }
  if (absl::Status full = CheckStreamCapLocked(); !full.ok()) return full;
  if (absl::Status s = CheckWindowBudgetLocked(0, WindowMemoryBytes(options_.default_config));
      !s.ok()) {
    return s;
  }
  if (created != nullptr) *created = true;
  return CreateLocked(id.value(), std::make_unique<StreamDetector>(options_.default_config), now);
}

absl::Status StreamRegistry::CheckStreamCapLocked() const {
  if (streams_.size() < options_.max_streams) return absl::OkStatus();
  return absl::ResourceExhaustedError(absl::StrCat(
      "too many streams: the limit is ", options_.max_streams, " (idle streams expire after ",
      absl::FormatDuration(options_.idle_timeout), ")"));
}

absl::Status StreamRegistry::CheckWindowBudgetLocked(uint64_t held, uint64_t needed) const {
  const uint64_t others = window_bytes_total_ - held;
  if (others + needed <= options_.window_memory_bytes) return absl::OkStatus();
  constexpr double kMiB = 1 << 20;
  return absl::ResourceExhaustedError(absl::StrFormat(
      "window memory: this stream's windows need %.1f MiB and the other streams hold %.1f MiB "
      "of the %.1f MiB budget (--window_memory_mib); use smaller reference_size and "
      "window_size",
      static_cast<double>(needed) / kMiB, static_cast<double>(others) / kMiB,
      static_cast<double>(options_.window_memory_bytes) / kMiB));
}

std::shared_ptr<Stream> StreamRegistry::CreateLocked(const std::string& id,
                                                     std::unique_ptr<StreamDetector> detector,
                                                     absl::Time now) {
  const uint64_t bytes = WindowMemoryBytes(detector->config());
  auto stream = std::make_shared<Stream>(id, next_generation_++, std::move(detector));
  streams_.emplace(stream->id, stream);
  last_seen_[stream->id] = now;
  window_bytes_[stream->id] = bytes;
  window_bytes_total_ += bytes;
  return stream;
}

absl::StatusOr<std::shared_ptr<Stream>> StreamRegistry::Find(const StreamId& id) const {
  absl::MutexLock lock(&mu_);
  auto it = streams_.find(id.value());
  if (it == streams_.end()) {
    return absl::NotFoundError(absl::StrCat("stream_id '", id.value(), "' is not known"));
  }
  return it->second;
}

absl::StatusOr<std::shared_ptr<Stream>> StreamRegistry::Configure(const StreamId& id,
                                                                  const DetectorConfig& config,
                                                                  absl::Time now) {
  if (absl::Status s = ValidateDetectorConfig(config); !s.ok()) return s;
  const uint64_t needed = WindowMemoryBytes(config);
  std::shared_ptr<Stream> stream;
  bool created = false;
  {
    absl::MutexLock lock(&mu_);
    auto it = streams_.find(id.value());
    if (it == streams_.end()) {
      if (absl::Status full = CheckStreamCapLocked(); !full.ok()) return full;
      if (absl::Status s = CheckWindowBudgetLocked(0, needed); !s.ok()) return s;
      stream = CreateLocked(id.value(), std::make_unique<StreamDetector>(config), now);
      created = true;
    } else {
      uint64_t& held = window_bytes_[it->first];
      if (absl::Status s = CheckWindowBudgetLocked(held, needed); !s.ok()) return s;
      window_bytes_total_ = window_bytes_total_ - held + needed;
      held = needed;
      last_seen_[it->first] = now;
      stream = it->second;
    }
  }
  absl::MutexLock lock(&stream->mu);
  if (!created) stream->detector = std::make_unique<StreamDetector>(config);
  stream->noted_durable_version = stream->detector->durable_version();
  if (options_.state_listener != nullptr) options_.state_listener->StreamChanged(stream);
  return stream;
}

absl::StatusOr<std::shared_ptr<Stream>> StreamRegistry::Restore(
    const StreamId& id, std::unique_ptr<StreamDetector> detector, absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (streams_.contains(id.value())) {
    return absl::AlreadyExistsError(absl::StrCat("stream_id '", id.value(), "' is live already"));
  }
  if (absl::Status full = CheckStreamCapLocked(); !full.ok()) return full;
  if (absl::Status s = CheckWindowBudgetLocked(0, WindowMemoryBytes(detector->config())); !s.ok()) {
    return s;
  }
  return CreateLocked(id.value(), std::move(detector), now);
}

void StreamRegistry::NoteDurableChange(const std::shared_ptr<Stream>& stream) {
  stream->mu.AssertHeld();
  const uint64_t version = stream->detector->durable_version();
  if (version == stream->noted_durable_version) return;
  stream->noted_durable_version = version;
  if (options_.state_listener != nullptr) options_.state_listener->StreamChanged(stream);
}

std::vector<std::string> StreamRegistry::ListIds() const {
  std::vector<std::string> ids;
  {
    absl::MutexLock lock(&mu_);
    for (const auto& [id, stream] : streams_) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

std::vector<std::shared_ptr<Stream>> StreamRegistry::ExpireIdle(absl::Time now) {
  std::vector<std::shared_ptr<Stream>> expired;
  {
    absl::MutexLock lock(&mu_);
    for (auto it = last_seen_.begin(); it != last_seen_.end();) {
      if (it->second + options_.idle_timeout < now) {
        auto stream = streams_.find(it->first);
        stream->second->expired = true;
        // Under the registry's lock: a stream re-created under this id is told after.
        if (options_.state_listener != nullptr) options_.state_listener->StreamRemoved(it->first);
        expired.push_back(std::move(stream->second));
        streams_.erase(stream);
        auto reserved = window_bytes_.find(it->first);
        window_bytes_total_ -= reserved->second;
        window_bytes_.erase(reserved);
        last_seen_.erase(it++);
      } else {
        ++it;
      }
    }
  }
  std::sort(expired.begin(), expired.end(),
            [](const auto& a, const auto& b) { return a->id < b->id; });
  return expired;
}

uint64_t StreamRegistry::window_memory_reserved() const {
  absl::MutexLock lock(&mu_);
  return window_bytes_total_;
}

size_t StreamRegistry::size() const {
  absl::MutexLock lock(&mu_);
  return streams_.size();
}

}  // namespace df::drift
