#include "services/drift_monitor/server/drift_service.h"

#include <memory>

#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/drift_monitor/server/ingest_reactor.h"
#include "services/drift_monitor/server/proto_convert.h"

namespace df::drift {
namespace {

// An Ingest call refused at admission: finished at once.
using RefusedIngest = df::server::RefusedBidiCall<grpc::ByteBuffer, grpc::ByteBuffer>;

}  // namespace

DriftMonitorService::DriftMonitorService(StreamRegistry& registry, DriftMetrics& metrics,
                                         WorkerPool& pool, Options options)
    : registry_(registry),
      metrics_(metrics),
      pool_(pool),
      options_(std::move(options)),
      budget_(options_.ingest_limits),
      pipeline_(registry_, {options_.decode, options_.clock}),
      ingest_{pipeline_,     pool_, budget_, metrics_, calls_, options_.ingest_idle_timeout,
              options_.clock},
      config_flow_(pool_.NewFlow()) {
  const DetectorConfig default_config = registry_.options().default_config;
  pool_.Submit(config_flow_, [default_config] {
    WarmCriticalStatistic(default_config, default_config.reference_size);
  });
  if (options_.expiry_interval == absl::InfiniteDuration()) return;
  janitor_ = std::thread([this] {
    while (!stop_.WaitForNotificationWithTimeout(options_.expiry_interval)) {
      ExpireIdleStreams();
      CloseIdleIngestCalls();
    }
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

int DriftMonitorService::CloseIdleIngestCalls() {
  if (options_.ingest_idle_timeout == absl::InfiniteDuration()) return 0;
  return calls_.CloseIdle(Now());
}

absl::StatusOr<std::shared_ptr<Stream>> DriftMonitorService::FindStream(std::string_view id) const {
  absl::StatusOr<StreamId> stream_id = StreamId::Parse(id);
  if (!stream_id.ok()) return stream_id.status();
  return registry_.Find(*stream_id);
}

grpc::ServerBidiReactor<grpc::ByteBuffer, grpc::ByteBuffer>* DriftMonitorService::Ingest(
    grpc::CallbackServerContext* context) {
  if (absl::Status allowed = options_.access.AuthorizeChange(*context, "Ingest"); !allowed.ok()) {
    return new RefusedIngest(allowed);
  }
  if (!budget_.TryStartCall()) {
    metrics_.IngestCallRefused();
    return new RefusedIngest(absl::ResourceExhaustedError(
        absl::StrCat("too many concurrent Ingest calls: the limit is ", budget_.limits().max_calls,
                     " (--max_ingest_calls)")));
  }
  metrics_.IngestCallStarted();
  return new IngestReactor(ingest_);
}

grpc::ServerUnaryReactor* DriftMonitorService::ListStreams(grpc::CallbackServerContext* context,
                                                           const pb::ListStreamsRequest*,
                                                           pb::ListStreamsResponse* response) {
  for (std::string& id : registry_.ListIds()) response->add_stream_ids(std::move(id));
  return df::server::FinishUnary(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* DriftMonitorService::Offload(grpc::CallbackServerContext* context,
                                                       std::function<absl::Status()> work,
                                                       WorkerPool::Flow flow) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  // The request and response stay valid until Finish.
  pool_.Submit(flow, [reactor, work = std::move(work)] {
    reactor->Finish(df::server::ToGrpcStatus(work()));
  });
  return reactor;
}

grpc::ServerUnaryReactor* DriftMonitorService::GetStream(grpc::CallbackServerContext* context,
                                                         const pb::GetStreamRequest* request,
                                                         pb::StreamState* response) {
  return Offload(context, [this, request, response] {
    absl::StatusOr<std::shared_ptr<Stream>> stream = FindStream(request->stream_id());
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
  if (absl::Status allowed = options_.access.AuthorizeChange(*context, "PinReference");
      !allowed.ok()) {
    return df::server::FinishUnary(context, allowed);
  }
  return Offload(
      context,
      [this, request, response]() -> absl::Status {
        absl::StatusOr<std::shared_ptr<Stream>> stream = FindStream(request->stream_id());
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
      },
      config_flow_);
}

grpc::ServerUnaryReactor* DriftMonitorService::ResetReference(
    grpc::CallbackServerContext* context, const pb::ResetReferenceRequest* request,
    pb::StreamState* response) {
  if (absl::Status allowed = options_.access.AuthorizeChange(*context, "ResetReference");
      !allowed.ok()) {
    return df::server::FinishUnary(context, allowed);
  }
  return Offload(context, [this, request, response] {
    absl::StatusOr<std::shared_ptr<Stream>> stream = FindStream(request->stream_id());
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
  if (absl::Status allowed = options_.access.AuthorizeChange(*context, "SetStreamConfig");
      !allowed.ok()) {
    return df::server::FinishUnary(context, allowed);
  }
  return Offload(
      context,
      [this, request, response]() -> absl::Status {
        absl::StatusOr<StreamId> id = StreamId::Parse(request->stream_id());
        if (!id.ok()) return id.status();
        DetectorConfig base = registry_.options().default_config;
        if (absl::StatusOr<std::shared_ptr<Stream>> existing = registry_.Find(*id); existing.ok()) {
          absl::MutexLock lock(&(*existing)->mu);
          base = (*existing)->detector->config();
        }
        absl::StatusOr<DetectorConfig> config = ApplyConfig(base, request->config());  // validated
        if (!config.ok()) return config.status();
        // Accepted: the new detector's threshold is computed now, on this worker and
        // without the stream's lock, so its frames find it in the cache.
        WarmCriticalStatistic(*config, config->reference_size);
        absl::StatusOr<std::shared_ptr<Stream>> stream = registry_.Configure(*id, *config, Now());
        if (stream.ok()) {
          absl::MutexLock lock(&(*stream)->mu);
          FillStreamState(**stream, response);
        }
        return stream.status();
      },
      config_flow_);
}

}  // namespace df::drift
