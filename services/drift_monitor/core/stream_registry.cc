#include "services/drift_monitor/core/stream_registry.h"

#include <algorithm>

#include "absl/strings/str_cat.h"

namespace df::drift {

absl::Status ValidateStreamId(std::string_view id) {
  if (id.empty() || id.size() > kMaxStreamIdLength) {
    return absl::InvalidArgumentError(
        absl::StrCat("stream_id must be 1..", kMaxStreamIdLength, " characters, got ", id.size()));
  }
  for (char c : id) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-' || c == '.';
    if (!ok) {
      return absl::InvalidArgumentError(
          "stream_id may contain only letters, digits, '_', '-' and '.'");
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<std::shared_ptr<Stream>> StreamRegistry::GetOrCreate(std::string_view id,
                                                                    absl::Time now, bool* created) {
  if (absl::Status s = ValidateStreamId(id); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  if (created != nullptr) *created = false;
  if (auto it = streams_.find(std::string(id)); it != streams_.end()) {
    last_seen_[it->first] = now;
    return it->second;
  }
  if (streams_.size() >= options_.max_streams) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "too many streams: the limit is ", options_.max_streams, " (idle streams expire after ",
        absl::FormatDuration(options_.idle_timeout), ")"));
  }
  auto stream =
      std::make_shared<Stream>(std::string(id), next_generation_++, options_.default_config);
  streams_.emplace(stream->id, stream);
  last_seen_[stream->id] = now;
  if (created != nullptr) *created = true;
  return stream;
}

absl::StatusOr<std::shared_ptr<Stream>> StreamRegistry::Find(std::string_view id) const {
  if (absl::Status s = ValidateStreamId(id); !s.ok()) return s;
  absl::MutexLock lock(&mu_);
  auto it = streams_.find(std::string(id));
  if (it == streams_.end()) {
    return absl::NotFoundError(absl::StrCat("stream_id '", std::string(id), "' is not known"));
  }
  return it->second;
}

absl::StatusOr<std::shared_ptr<Stream>> StreamRegistry::Configure(std::string_view id,
                                                                  const DetectorConfig& config,
                                                                  absl::Time now) {
  if (absl::Status s = ValidateDetectorConfig(config); !s.ok()) return s;
  absl::StatusOr<std::shared_ptr<Stream>> stream = GetOrCreate(id, now);
  if (!stream.ok()) return stream;
  absl::MutexLock lock(&(*stream)->mu);
  (*stream)->detector = std::make_unique<StreamDetector>(config);
  return stream;
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
