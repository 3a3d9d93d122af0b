#include "services/drift_monitor/core/stream_registry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace df::drift {

absl::StatusOr<std::shared_ptr<Stream>> StreamRegistry::GetOrCreate(const StreamId& id,
                                                                    absl::Time now, bool* created) {
  absl::MutexLock lock(&mu_);
  if (created != nullptr) *created = false;
  if (auto it = streams_.find(id.value()); it != streams_.end()) {
    last_seen_[it->first] = now;
    return it->second;
  }
  if (streams_.size() >= options_.max_streams) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "too many streams: the limit is ", options_.max_streams, " (idle streams expire after ",
        absl::FormatDuration(options_.idle_timeout), ")"));
  }
  auto stream = std::make_shared<Stream>(id.value(), next_generation_++, options_.default_config);
  streams_.emplace(stream->id, stream);
  last_seen_[stream->id] = now;
  if (created != nullptr) *created = true;
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
  absl::StatusOr<std::shared_ptr<Stream>> stream = GetOrCreate(id, now);
  if (!stream.ok()) return stream;
  absl::MutexLock lock(&(*stream)->mu);
  (*stream)->detector = std::make_unique<StreamDetector>(config);
  (*stream)->noted_durable_version = (*stream)->detector->durable_version();
  if (options_.state_listener != nullptr) options_.state_listener->StreamChanged(*stream);
  return stream;
}

absl::StatusOr<std::shared_ptr<Stream>> StreamRegistry::Restore(
    const StreamId& id, std::unique_ptr<StreamDetector> detector, absl::Time now) {
  absl::MutexLock lock(&mu_);
  if (streams_.contains(id.value())) {
    return absl::AlreadyExistsError(absl::StrCat("stream_id '", id.value(), "' is live already"));
  }
  if (streams_.size() >= options_.max_streams) {
    return absl::ResourceExhaustedError(
        absl::StrCat("too many streams: the limit is ", options_.max_streams, " (--max_streams)"));
  }
  auto stream = std::make_shared<Stream>(id.value(), next_generation_++, std::move(detector));
  streams_.emplace(stream->id, stream);
  last_seen_[stream->id] = now;
  return stream;
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

size_t StreamRegistry::size() const {
  absl::MutexLock lock(&mu_);
  return streams_.size();
}

}  // namespace df::drift
