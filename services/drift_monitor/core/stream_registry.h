// StreamRegistry: the set of live camera streams, bounded in number and in time.
//
// Streams are created on their first frame (or by configuration), capped at
// `max_streams`, and expire after `idle_timeout` without frames, so that memory
// and the Prometheus label cardinality stay bounded. Stream ids become metric
// labels: the registry takes only a StreamId, which exists only once validated
// (frame_validation.h), so it never checks an id itself.
//
// Usage:
//   StreamRegistry registry(options);
//   absl::StatusOr<StreamId> id = StreamId::Parse("door-17");
//   auto stream = registry.GetOrCreate(*id, now);  // StatusOr<shared_ptr>
//   absl::MutexLock lock(&(*stream)->mu);
//   (*stream)->detector->Update(features);
//
// Thread-safety: all methods are thread-safe. A Stream's detector and labels are
// guarded by its own `mu`; a Stream stays valid while a shared_ptr to it is held,
// even after it expired from the registry.
// Failure: the cap reached (streams, or the window memory budget: each stream
// reserves WindowMemoryBytes of its config) -> ResourceExhausted; unknown ids ->
// NotFound; an invalid configuration -> InvalidArgument. Messages name the field and the
// allowed range.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_STREAM_REGISTRY_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_STREAM_REGISTRY_H_

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"
#include "absl/time/time.h"
#include "services/drift_monitor/core/detector_config.h"
#include "services/drift_monitor/core/frame_validation.h"
#include "services/drift_monitor/core/stream_detector.h"

namespace df::drift {

struct Stream {
  Stream(std::string stream_id, uint64_t stream_generation, const DetectorConfig& config)
      : Stream(std::move(stream_id), stream_generation, std::make_unique<StreamDetector>(config)) {}
  Stream(std::string stream_id, uint64_t stream_generation,
         std::unique_ptr<StreamDetector> stream_detector)
      : id(std::move(stream_id)),
        generation(stream_generation),
        detector(std::move(stream_detector)),
        noted_durable_version(detector->durable_version()) {}
  const std::string id;
  // Unique per registry: a stream re-created under the same id gets a new one.
  const uint64_t generation;
  // Set (once) when the stream leaves the registry; later frames still applied to
  // it through a held shared_ptr must not re-create its metric series.
  std::atomic<bool> expired{false};
  absl::Mutex mu;
  std::unique_ptr<StreamDetector> detector ABSL_GUARDED_BY(mu);
  std::map<std::string, std::string, std::less<>> labels
      ABSL_GUARDED_BY(mu);  // bounded: MergeLabels
  absl::Time last_frame_time ABSL_GUARDED_BY(mu) = absl::InfinitePast();
  // The detector's durable_version() the state listener was last told about.
  uint64_t noted_durable_version ABSL_GUARDED_BY(mu);
};

// Told when a stream's durable state (stream_snapshot.h) changes or the stream
// leaves the registry, so it can be saved (stream_state_writer.h). Calls come from
// frame and request threads, some with the stream's or the registry's lock held:
// an implementation only queues the work, and never calls into the registry.
class StreamStateListener {
 public:
  virtual ~StreamStateListener() = default;
  virtual void StreamChanged(std::shared_ptr<Stream> stream) = 0;
  virtual void StreamRemoved(const std::string& stream_id) = 0;
};

// Default budget for all streams' windows (drift-monitor --window_memory_mib): the
// default windows of --max_streams streams take about half of it.
inline constexpr uint64_t kDefaultWindowMemoryBytes = uint64_t{1} << 30;

struct RegistryOptions {
  size_t max_streams = 1000;
  // Heap all streams' windows may hold together, by WindowMemoryBytes(config) of
  // each stream's config (detector_config.h).
  uint64_t window_memory_bytes = kDefaultWindowMemoryBytes;
  absl::Duration idle_timeout = absl::Minutes(10);
  DetectorConfig default_config;
  // Optional; must outlive the registry.
  StreamStateListener* state_listener = nullptr;
};

class StreamRegistry {
 public:
  explicit StreamRegistry(const RegistryOptions& options) : options_(options) {}
  StreamRegistry(const StreamRegistry&) = delete;
  StreamRegistry& operator=(const StreamRegistry&) = delete;

  // The stream `id`, created with the default config if new (`*created` = true).
  [[nodiscard]] absl::StatusOr<std::shared_ptr<Stream>> GetOrCreate(const StreamId& id,
                                                                    absl::Time now,
                                                                    bool* created = nullptr);
  [[nodiscard]] absl::StatusOr<std::shared_ptr<Stream>> Find(const StreamId& id) const;
  // Replaces the stream's detector with one of `config` (validated), creating the
  // stream if needed. The stream starts over with an empty reference; the state
  // listener is told.
  [[nodiscard]] absl::StatusOr<std::shared_ptr<Stream>> Configure(const StreamId& id,
                                                                  const DetectorConfig& config,
                                                                  absl::Time now);
  // Adds a stream restored from its saved state (at start, before serving), idle
  // since `now`. AlreadyExists for a live id, ResourceExhausted past the cap or
  // the window memory budget.
  [[nodiscard]] absl::StatusOr<std::shared_ptr<Stream>> Restore(
      const StreamId& id, std::unique_ptr<StreamDetector> detector, absl::Time now);
  // Tells the state listener if the stream's durable state changed since it was
  // last told; one comparison otherwise. Call with stream->mu held, after changing
  // its detector (frames, PinReference, ResetReference).
  void NoteDurableChange(const std::shared_ptr<Stream>& stream);
  std::vector<std::string> ListIds() const;
  // Removes streams idle since before now - idle_timeout, marks them `expired`,
  // tells the state listener, and returns them (sorted by id).
  std::vector<std::shared_ptr<Stream>> ExpireIdle(absl::Time now);
  size_t size() const;
  // Window memory reserved by the live streams' configs.
  uint64_t window_memory_reserved() const;
  const RegistryOptions& options() const { return options_; }

 private:
  const RegistryOptions options_;
  mutable absl::Mutex mu_;
  absl::flat_hash_map<std::string, std::shared_ptr<Stream>> streams_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, absl::Time> last_seen_ ABSL_GUARDED_BY(mu_);
  absl::flat_hash_map<std::string, uint64_t> window_bytes_ ABSL_GUARDED_BY(mu_);
  uint64_t window_bytes_total_ ABSL_GUARDED_BY(mu_) = 0;

  absl::Status CheckStreamCapLocked() const ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // OK if a stream holding `held` window bytes now may hold `needed` instead.
  absl::Status CheckWindowBudgetLocked(uint64_t held, uint64_t needed) const
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  // Creates stream `id` with `detector` (reserving its config's window memory);
  // the caller checked the caps.
  std::shared_ptr<Stream> CreateLocked(const std::string& id,
                                       std::unique_ptr<StreamDetector> detector, absl::Time now)
      ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_);
  uint64_t next_generation_ ABSL_GUARDED_BY(mu_) = 1;
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_STREAM_REGISTRY_H_
