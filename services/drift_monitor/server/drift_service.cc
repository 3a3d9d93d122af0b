#include "services/drift_monitor/server/drift_service.h"

#include <map>
#include <memory>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/drift_monitor/server/proto_convert.h"

namespace df::drift {
namespace {

absl::Time CaptureTime(const pb::Frame& frame, absl::Time now) {
  if (!frame.has_capture_time()) return now;
  return absl::FromUnixSeconds(frame.capture_time().seconds()) +
         absl::Nanoseconds(frame.capture_time().nanos());
}

absl::Status ValidateLabels(const pb::Frame& frame) {
  if (frame.labels_size() > kMaxFrameLabels) {
    return absl::InvalidArgumentError(
        absl::StrCat("labels: at most ", kMaxFrameLabels, " allowed, got ", frame.labels_size()));
  }
  for (const auto& [k, v] : frame.labels()) {
    if (k.empty() || k.size() > kMaxLabelBytes || v.size() > kMaxLabelBytes) {
      return absl::InvalidArgumentError(absl::StrCat("labels: keys must be 1..", kMaxLabelBytes,
                                                     " bytes and values <= ", kMaxLabelBytes));
    }
  }
  return absl::OkStatus();
}

// One Ingest call. Lifetime: deleted in OnDone, which gRPC calls after Finish and
// after every started operation completed; Finish waits for all worker tasks.
class IngestReactor final : public grpc::ServerBidiReactor<pb::Frame, pb::DriftReport> {
 public:
  explicit IngestReactor(DriftMonitorService* service) : service_(service) {
    Actions act;
    {
      absl::MutexLock lock(&mu_);
      act = NextActionsLocked();
    }
    Perform(act);
  }

  void OnReadDone(bool ok) override {
    Actions act;
    {
      absl::MutexLock lock(&mu_);
      reading_ = false;
      if (!ok) {
        reads_done_ = true;
      } else {
        auto frame = std::make_shared<pb::Frame>(std::move(incoming_));
        incoming_.Clear();
        const uint64_t seq = next_read_seq_++;
        const auto bytes = static_cast<int64_t>(frame->ByteSizeLong());
        service_->budget().Acquire(bytes);
        service_->metrics().FrameBytesRead(bytes);
        ++in_flight_;
        service_->pool().Submit([this, frame, seq, bytes] {
          ExtractedFrame extracted = service_->Extract(*frame);
          OnExtracted(seq, std::move(frame), bytes, std::move(extracted));
        });
      }
      act = NextActionsLocked();
    }
    Perform(act);
  }

  void OnWriteDone(bool ok) override {
    Actions act;
    {
      absl::MutexLock lock(&mu_);
      writing_ = false;
      if (!ok) {
        write_failed_ = true;
        pending_writes_.clear();
      }
      act = NextActionsLocked();
    }
    Perform(act);
  }

  void OnDone() override {
    service_->budget().EndCall();
    service_->metrics().IngestCallEnded();
    delete this;
  }

 private:
  struct Actions {
    bool read = false;
    const pb::DriftReport* write = nullptr;
    bool finish = false;
  };

  void OnExtracted(uint64_t seq, std::shared_ptr<pb::Frame> frame, int64_t bytes,
                   ExtractedFrame extracted) {
    Actions act;
    int64_t released_bytes = 0;
    mu_.Lock();
    done_.emplace(seq, Done{std::move(frame), bytes, std::move(extracted)});
    if (applying_) {  // the applying worker picks this frame up in order
      mu_.Unlock();
      return;
    }
    // Apply in arrival order, so a stream's windows see its frames in order. One
    // worker applies at a time, without holding mu_: Apply may wait for the
    // stream's lock and run its detector, and the reactions (OnReadDone,
    // OnWriteDone) must not wait for that.
    applying_ = true;
    for (auto it = done_.find(next_apply_seq_); it != done_.end();
         it = done_.find(next_apply_seq_)) {
      Done next = std::move(it->second);
      done_.erase(it);
      mu_.Unlock();
      pb::DriftReport report = service_->Apply(*next.frame, next.extracted);
      mu_.Lock();
      if (!write_failed_) pending_writes_.push_back(std::move(report));
      released_bytes += next.bytes;
      ++next_apply_seq_;
      --in_flight_;
    }
    applying_ = false;
    // The budget still counts these bytes, so a read this computes may be
    // refused and resumed by the Release below.
    act = NextActionsLocked();
    // Once mu_ is released, another thread may finish the call and delete `this`
    // (when `act` is empty because a write is in flight): only locals from here,
    // except Perform(act), which only touches `this` when it has something to do.
    DriftMonitorService* const service = service_;
    mu_.Unlock();
    // Outside mu_ (Release may run resume callbacks, this reactor's included).
    if (released_bytes > 0) {
      service->metrics().FrameBytesReleased(released_bytes);
      service->budget().Release(released_bytes);
    }
    Perform(act);
  }

  // Run by IngestBudget::Release once frame bytes are below the limit again.
  void OnBudget() {
    Actions act;
    {
      absl::MutexLock lock(&mu_);
      waiting_for_budget_ = false;
      act = NextActionsLocked();
    }
    Perform(act);
  }

  Actions NextActionsLocked() ABSL_EXCLUSIVE_LOCKS_REQUIRED(mu_) {
    Actions act;
    if (finished_) return act;
    if (!writing_ && !pending_writes_.empty()) {
      current_write_ = std::move(pending_writes_.front());
      pending_writes_.pop_front();
      writing_ = true;
      act.write = &current_write_;
    }
    const size_t buffered = static_cast<size_t>(in_flight_) + pending_writes_.size();
    if (!reads_done_ && !reading_ && !waiting_for_budget_ && buffered < kMaxFramesInFlight) {
      // Not finished while waiting (reads are not done), so `this` stays valid.
      if (service_->budget().ReadAllowedOrWait([this] { OnBudget(); })) {
        reading_ = true;
        act.read = true;
      } else {
        waiting_for_budget_ = true;
        service_->metrics().IngestReadPaused();
      }
    }
    if (reads_done_ && in_flight_ == 0 && !writing_ && pending_writes_.empty()) {
      finished_ = true;
      act.finish = true;
    }
    return act;
  }

  void Perform(const Actions& act) {
    if (act.write != nullptr) StartWrite(act.write);
    if (act.read) StartRead(&incoming_);
    if (act.finish) Finish(grpc::Status::OK);
  }

  struct Done {
    std::shared_ptr<pb::Frame> frame;
    int64_t bytes;  // counted in the budget until its report is queued
    ExtractedFrame extracted;
  };

  DriftMonitorService* const service_;
  pb::Frame incoming_;  // target of the one outstanding read
  absl::Mutex mu_;
  bool reading_ ABSL_GUARDED_BY(mu_) = false;
  bool waiting_for_budget_ ABSL_GUARDED_BY(mu_) = false;
  bool applying_ ABSL_GUARDED_BY(mu_) = false;  // a worker is in the apply loop
  bool reads_done_ ABSL_GUARDED_BY(mu_) = false;
  bool writing_ ABSL_GUARDED_BY(mu_) = false;
  bool write_failed_ ABSL_GUARDED_BY(mu_) = false;
  bool finished_ ABSL_GUARDED_BY(mu_) = false;
  int in_flight_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_read_seq_ ABSL_GUARDED_BY(mu_) = 0;
  uint64_t next_apply_seq_ ABSL_GUARDED_BY(mu_) = 0;
  std::map<uint64_t, Done> done_ ABSL_GUARDED_BY(mu_);
  std::deque<pb::DriftReport> pending_writes_ ABSL_GUARDED_BY(mu_);
  pb::DriftReport current_write_;  // owned by the one outstanding write
};

// An Ingest call refused at admission: finished at once.
class RefusedIngest final : public grpc::ServerBidiReactor<pb::Frame, pb::DriftReport> {
 public:
  explicit RefusedIngest(const absl::Status& status) { Finish(df::server::ToGrpcStatus(status)); }
  void OnDone() override { delete this; }
};

}  // namespace

DriftMonitorService::DriftMonitorService(StreamRegistry& registry, DriftMetrics& metrics,
                                         WorkerPool& pool, Options options)
    : registry_(registry),
      metrics_(metrics),
      pool_(pool),
      options_(std::move(options)),
      budget_(options_.ingest_limits) {
  const DetectorConfig default_config = registry_.options().default_config;
  pool_.Submit(
      [default_config] { WarmCriticalStatistic(default_config, default_config.reference_size); });
  if (options_.expiry_interval == absl::InfiniteDuration()) return;
  janitor_ = std::thread([this] {
    while (!stop_.WaitForNotificationWithTimeout(options_.expiry_interval)) ExpireIdleStreams();
  });
}

DriftMonitorService::~DriftMonitorService() {
  stop_.Notify();
  if (janitor_.joinable()) janitor_.join();
}

void DriftMonitorService::ExpireIdleStreams() {
  // ExpireIdle marks each stream `expired` before its series are removed, so a
  // frame still being applied to it cannot re-create them.
  for (const auto& stream : registry_.ExpireIdle(Now())) metrics_.RemoveStream(*stream);
  metrics_.SetActiveStreams(registry_.size());
}

ExtractedFrame DriftMonitorService::Extract(const pb::Frame& frame) const {
  const absl::Time start = absl::Now();
  ExtractedFrame out;
  if (out.status = ValidateStreamId(frame.stream_id()); !out.status.ok()) {
    out.reason = "invalid_stream_id";
  } else if (out.status = ValidateLabels(frame); !out.status.ok()) {
    out.reason = "invalid_labels";
  } else {
    absl::StatusOr<cv::Mat> bgr =
        DecodeImage(ImageInputFromFrame(frame), options_.decode, &out.reason);
    if (!bgr.ok()) {
      out.status = bgr.status();
    } else {
      absl::StatusOr<FrameFeatures> features = ExtractFeatures(*bgr);
      if (features.ok()) {
        out.features = *features;
      } else {
        out.status = features.status();
        out.reason = "corrupt_image";
      }
    }
  }
  out.elapsed = absl::Now() - start;
  return out;
}

pb::DriftReport DriftMonitorService::Apply(const pb::Frame& frame,
                                           const ExtractedFrame& extracted) {
  const absl::Time start = absl::Now();
  pb::DriftReport report;
  report.set_stream_id(frame.stream_id());
  report.set_sequence(frame.sequence());
  absl::Status status = extracted.status;
  std::string reason = extracted.reason;
  std::shared_ptr<Stream> stream;
  if (status.ok()) {
    bool created = false;
    absl::StatusOr<std::shared_ptr<Stream>> found =
        registry_.GetOrCreate(frame.stream_id(), Now(), &created);
    if (!found.ok()) {
      status = found.status();
      reason = "too_many_streams";
    } else {
      stream = *std::move(found);
      if (created) metrics_.SetActiveStreams(registry_.size());
    }
  }
  if (!status.ok()) {
    metrics_.FrameRejected(reason);
    pb::FrameError* error = report.mutable_error();
    error->set_reason(reason);
    error->set_code(static_cast<int32_t>(status.code()));
    error->set_message(std::string(status.message()));
    return report;
  }
  FrameVerdict verdict;
  std::string city;
  {
    absl::MutexLock lock(&stream->mu);
    verdict = stream->detector->Update(extracted.features);
    for (const auto& [k, v] : frame.labels()) {
      // Bounded: known keys are updated, new ones kept only up to kMaxFrameLabels.
      if (stream->labels.size() < kMaxFrameLabels || stream->labels.count(k) > 0) {
        stream->labels[k] = v;
      }
    }
    stream->last_frame_time = CaptureTime(frame, Now());
    if (auto it = stream->labels.find("city"); it != stream->labels.end()) city = it->second;
  }
  metrics_.FrameProcessed(*stream, city, verdict,
                          absl::ToDoubleSeconds(extracted.elapsed + (absl::Now() - start)));
  report.set_frames_seen(verdict.frames_seen);
  report.set_drift(verdict.drift);
  report.set_drift_started(verdict.drift_started);
  FillFeatures(verdict, report.mutable_features());
  report.set_histogram_hellinger(verdict.histogram_hellinger);
  return report;
}

grpc::ServerBidiReactor<pb::Frame, pb::DriftReport>* DriftMonitorService::Ingest(
    grpc::CallbackServerContext* /*context*/) {
  if (!budget_.TryStartCall()) {
    metrics_.IngestCallRefused();
    return new RefusedIngest(absl::ResourceExhaustedError(
        absl::StrCat("too many concurrent Ingest calls: the limit is ", budget_.limits().max_calls,
                     " (--max_ingest_calls)")));
  }
  metrics_.IngestCallStarted();
  return new IngestReactor(this);
}

grpc::ServerUnaryReactor* DriftMonitorService::ListStreams(grpc::CallbackServerContext* context,
                                                           const pb::ListStreamsRequest*,
                                                           pb::ListStreamsResponse* response) {
  for (std::string& id : registry_.ListIds()) response->add_stream_ids(std::move(id));
  return df::server::FinishUnary(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* DriftMonitorService::Offload(grpc::CallbackServerContext* context,
                                                       std::function<absl::Status()> work) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // The request and response stay valid until Finish.
  pool_.Submit(
      [reactor, work = std::move(work)] { reactor->Finish(df::server::ToGrpcStatus(work())); });
  return reactor;
}

grpc::ServerUnaryReactor* DriftMonitorService::GetStream(grpc::CallbackServerContext* context,
                                                         const pb::GetStreamRequest* request,
                                                         pb::StreamState* response) {
  return Offload(context, [this, request, response] {
    absl::StatusOr<std::shared_ptr<Stream>> stream = registry_.Find(request->stream_id());
    if (stream.ok()) {
      absl::MutexLock lock(&(*stream)->mu);
      FillStreamState(**stream, response);
    }
    return stream.status();
  });
}

grpc::ServerUnaryReactor* DriftMonitorService::PinReference(grpc::CallbackServerContext* context,
                                                            const pb::PinReferenceRequest* request,
                                                            pb::StreamState* response) {
  return Offload(context, [this, request, response]() -> absl::Status {
    absl::StatusOr<std::shared_ptr<Stream>> stream = registry_.Find(request->stream_id());
    if (!stream.ok()) return stream.status();
    DetectorConfig config;
    uint32_t pinned_frames = 0;
    {
      absl::MutexLock lock(&(*stream)->mu);
      if ((*stream)->detector->last().window_count == 0) {
        return absl::FailedPreconditionError(absl::StrCat(
            "stream '", request->stream_id(), "' has no frames in its current window to pin"));
      }
      (*stream)->detector->PinReference();
      config = (*stream)->detector->config();
      pinned_frames = (*stream)->detector->reference_target();
      FillStreamState(**stream, response);
    }
    // The window refills before the next decision: the threshold for the pinned
    // reference's size is computed now, here, rather than by a frame under the lock.
    WarmCriticalStatistic(config, pinned_frames);
    return absl::OkStatus();
  });
}

grpc::ServerUnaryReactor* DriftMonitorService::ResetReference(
    grpc::CallbackServerContext* context, const pb::ResetReferenceRequest* request,
    pb::StreamState* response) {
  return Offload(context, [this, request, response] {
    absl::StatusOr<std::shared_ptr<Stream>> stream = registry_.Find(request->stream_id());
    if (stream.ok()) {
      absl::MutexLock lock(&(*stream)->mu);
      (*stream)->detector->ResetReference();
      FillStreamState(**stream, response);
    }
    return stream.status();
  });
}

grpc::ServerUnaryReactor* DriftMonitorService::SetStreamConfig(
    grpc::CallbackServerContext* context, const pb::SetStreamConfigRequest* request,
    pb::StreamState* response) {
  return Offload(context, [this, request, response]() -> absl::Status {
    if (absl::Status s = ValidateStreamId(request->stream_id()); !s.ok()) return s;
    DetectorConfig base = registry_.options().default_config;
    if (absl::StatusOr<std::shared_ptr<Stream>> existing = registry_.Find(request->stream_id());
        existing.ok()) {
      absl::MutexLock lock(&(*existing)->mu);
      base = (*existing)->detector->config();
    }
    absl::StatusOr<DetectorConfig> config = ApplyConfig(base, request->config());  // validated
    if (!config.ok()) return config.status();
    // Accepted: the new detector's threshold is computed now, on this worker and
    // without the stream's lock, so its frames find it in the cache.
    WarmCriticalStatistic(*config, config->reference_size);
    absl::StatusOr<std::shared_ptr<Stream>> stream =
        registry_.Configure(request->stream_id(), *config, Now());
    if (stream.ok()) {
      absl::MutexLock lock(&(*stream)->mu);
      FillStreamState(**stream, response);
    }
    return stream.status();
  });
}

}  // namespace df::drift
