#include "services/factory_sim/server/factory_sim_service.h"

#include <optional>
#include <string>
#include <utility>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "services/common/grpc_status.h"
#include "services/factory_sim/model/figures.h"
#include "services/factory_sim/model/guided_acts.h"
#include "services/factory_sim/model/rationale_grade.h"
#include "services/factory_sim/model/report.h"
#include "services/factory_sim/model/scenarios.h"
#include "services/factory_sim/server/proto_convert.h"
#include "services/factory_sim/server/telemetry_reactors.h"

namespace df::factory {

using ::df::server::FinishUnary;
using ::df::server::ToGrpcStatus;
namespace {

constexpr size_t kMaxRationaleChars = 4000;
// GetAuditTrail pages: well below gRPC's default 4 MiB message limit.
constexpr int kDefaultAuditPageSize = 100;
constexpr int kMaxAuditPageSize = 1000;
constexpr size_t kMaxAuditPageBytes = 1 << 20;

// Characters as the API counts them: Unicode code points of the UTF-8 text (protobuf has
// already checked that a string field is valid UTF-8), i.e. the bytes that do not continue
// a sequence.
size_t CodePoints(const std::string& utf8) {
  size_t count = 0;
  for (unsigned char c : utf8) count += (c & 0xC0) != 0x80 ? 1 : 0;
  return count;
}

// Appends `entry` to the session's trail and finishes the call once it is durable (or with the
// trail's error); the stored entry, with its sequence and time, goes to `*stored` when given.
grpc::ServerUnaryReactor* RecordThenFinish(grpc::CallbackServerContext* context, AuditTrail& trail,
                                           const std::string& session, AuditEntry entry,
                                           AuditEntry* stored) {
  grpc::ServerUnaryReactor* reactor = context->DefaultReactor();
  trail.Append(session, std::move(entry), [reactor, stored](absl::StatusOr<AuditEntry> result) {
    const absl::Status status = result.status();
    if (result.ok() && stored != nullptr) *stored = *std::move(result);
    reactor->Finish(ToGrpcStatus(status));
  });
  return reactor;
}

// The session's latest levers serve as the base when a selection names none.
absl::StatusOr<std::optional<v1::Levers>> SessionLevers(AuditTrail& trail,
                                                        const std::string& session_id) {
  if (session_id.empty()) return std::nullopt;
  return trail.LatestLevers(session_id);
}

// The request's selection as the model takes it, resolved, validated and evaluated once.
absl::StatusOr<Report> EvaluateSelection(AuditTrail& trail, const std::string& session_id,
                                         const v1::LeverSelection& selection) {
  absl::StatusOr<std::optional<v1::Levers>> base = SessionLevers(trail, session_id);
  if (!base.ok()) return base.status();
  absl::StatusOr<LeverSelection> levers = FromProto(selection, *base);
  if (!levers.ok()) return levers.status();
  return ::df::factory::Evaluate(*levers);
}

}  // namespace

FactorySimService::FactorySimService(AuditTrail* audit_trail, FactoryMetrics* metrics,
                                     int max_concurrent_runs, df::server::AccessControl access)
    : audit_trail_(audit_trail),
      metrics_(metrics),
      max_concurrent_runs_(max_concurrent_runs),
      access_(std::move(access)) {}

FactorySimService::~FactorySimService() {
  absl::MutexLock lock(&mu_);
  mu_.Await(absl::Condition(
      +[](int* runs) { return *runs == 0; }, &live_runs_));
}

absl::Status FactorySimService::RunStarted() {
  {
    absl::MutexLock lock(&mu_);
    if (live_runs_ >= max_concurrent_runs_) {
      return absl::ResourceExhaustedError(
          absl::StrCat("the simulator is running its maximum of ", max_concurrent_runs_,
                       " telemetry runs (max_concurrent_runs); retry when one ends"));
    }
    ++live_runs_;
  }
  metrics_->RunStarted();
  return absl::OkStatus();
}

void FactorySimService::RunEnded() {
  metrics_->RunEnded();
  absl::MutexLock lock(&mu_);
  --live_runs_;
}

absl::Status FactorySimService::MayRecord(const grpc::CallbackServerContext& context,
                                          const std::string& session_id,
                                          absl::string_view method) const {
  if (session_id.empty()) return absl::OkStatus();  // nothing recorded: open to all
  if (absl::Status allowed =
          access_.AuthorizeChange(context, absl::StrCat(method, " with a session_id"));
      !allowed.ok()) {
    return allowed;
  }
  return ValidateSessionId(session_id);
}

grpc::ServerUnaryReactor* FactorySimService::Evaluate(grpc::CallbackServerContext* context,
                                                      const v1::EvaluateRequest* request,
                                                      v1::EvaluateResponse* response) {
  const std::string& session = request->session_id();
  if (absl::Status allowed = MayRecord(*context, session, "Evaluate"); !allowed.ok()) {
    return FinishUnary(context, allowed);
  }
  absl::StatusOr<Report> report = EvaluateSelection(*audit_trail_, session, request->selection());
  if (!report.ok()) return FinishUnary(context, report.status());
  *response->mutable_report() = ToProto(*report);
  metrics_->RecordEvaluation(response->report());
  if (session.empty()) return FinishUnary(context, absl::OkStatus());

  AuditEntry entry;
  v1::LeversRecorded* recorded = entry.mutable_levers();
  recorded->set_origin("evaluate");
  *recorded->mutable_levers() = response->report().levers();
  *recorded->mutable_set() = request->selection().set();
  *recorded->mutable_consequences() = response->report().consequences();
  return RecordThenFinish(context, *audit_trail_, session, std::move(entry), nullptr);
}

grpc::ServerUnaryReactor* FactorySimService::ListScenarios(grpc::CallbackServerContext* context,
                                                           const v1::ListScenariosRequest*,
                                                           v1::ListScenariosResponse* response) {
  *response = ToProto(Scenarios());
  return FinishUnary(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* FactorySimService::ListPersonas(grpc::CallbackServerContext* context,
                                                          const v1::ListPersonasRequest*,
                                                          v1::ListPersonasResponse* response) {
  *response = ToProto(Personas());
  return FinishUnary(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* FactorySimService::GetFigureCatalogue(
    grpc::CallbackServerContext* context, const v1::GetFigureCatalogueRequest*,
    v1::GetFigureCatalogueResponse* response) {
  *response = ToProto(FigureCatalogue());
  return FinishUnary(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* FactorySimService::ListActs(grpc::CallbackServerContext* context,
                                                      const v1::ListActsRequest*,
                                                      v1::ListActsResponse* response) {
  *response = ToProto(GuidedActs());
  return FinishUnary(context, absl::OkStatus());
}

grpc::ServerUnaryReactor* FactorySimService::CheckPrediction(
    grpc::CallbackServerContext* context, const v1::CheckPredictionRequest* request,
    v1::CheckPredictionResponse* response) {
  const std::string& session = request->session_id();
  if (absl::Status allowed = MayRecord(*context, session, "CheckPrediction"); !allowed.ok()) {
    return FinishUnary(context, allowed);
  }
  absl::StatusOr<PredictionCheck> check =
      ::df::factory::CheckPrediction(request->act(), request->prediction_id(), request->answer());
  if (!check.ok()) return FinishUnary(context, check.status());
  response->set_correct(check->correct);
  response->set_difference(check->difference);
  *response->mutable_prediction() = ToProto(check->prediction);
  response->set_message(check->message);
  if (session.empty()) return FinishUnary(context, absl::OkStatus());

  AuditEntry entry;
  v1::PredictionRecorded* recorded = entry.mutable_prediction();
  recorded->set_act(request->act());
  recorded->set_prediction_id(request->prediction_id());
  recorded->set_answer(request->answer());
  recorded->set_correct(check->correct);
  recorded->set_accepted_answer(check->prediction.accepted_answer);
  return RecordThenFinish(context, *audit_trail_, session, std::move(entry),
                          response->mutable_entry());
}

grpc::ServerWriteReactor<v1::TelemetryTick>* FactorySimService::StreamTelemetry(
    grpc::CallbackServerContext* context, const v1::StreamTelemetryRequest* request) {
  if (absl::Status allowed = MayRecord(*context, request->session_id(), "StreamTelemetry");
      !allowed.ok()) {
    return new df::server::RefusedWriteCall<v1::TelemetryTick>(allowed);
  }
  return NewTelemetryStream(this, *request);
}

grpc::ServerBidiReactor<v1::LiveRunRequest, v1::TelemetryTick>* FactorySimService::LiveRun(
    grpc::CallbackServerContext* context) {
  if (absl::Status allowed = access_.AuthorizeChange(*context, "LiveRun"); !allowed.ok()) {
    return new df::server::RefusedBidiCall<v1::LiveRunRequest, v1::TelemetryTick>(allowed);
  }
  return NewLiveRun(this);
}

grpc::ServerUnaryReactor* FactorySimService::SubmitRationale(
    grpc::CallbackServerContext* context, const v1::SubmitRationaleRequest* request,
    v1::SubmitRationaleResponse* response) {
  if (absl::Status allowed = access_.AuthorizeChange(*context, "SubmitRationale"); !allowed.ok()) {
    return FinishUnary(context, allowed);
  }
  const std::string& session = request->session_id();
  if (absl::Status valid = ValidateSessionId(session); !valid.ok()) {
    return FinishUnary(context, valid);
  }
  const size_t characters = CodePoints(request->text());
  if (characters == 0 || characters > kMaxRationaleChars) {
    return FinishUnary(context, absl::InvalidArgumentError(absl::StrCat(
                                    "text must be 1..", kMaxRationaleChars,
                                    " characters (Unicode code points), got ", characters)));
  }
  absl::StatusOr<Report> report = EvaluateSelection(*audit_trail_, session, request->selection());
  if (!report.ok()) return FinishUnary(context, report.status());

  AuditEntry entry;
  v1::RationaleRecorded* rationale = entry.mutable_rationale();
  rationale->set_text(request->text());
  *rationale->mutable_levers() = ToProto(report->levers);
  *rationale->mutable_feeding_tax() = ToProto(report->feeding_tax);
  *rationale->mutable_waterfall() = ToProto(report->waterfall);
  for (const Consequence& c : report->consequences) {
    *rationale->add_consequences() = ToProto(c);
  }
  *rationale->mutable_grade() = ToProto(GradeRationale(request->text(), *report));
  return RecordThenFinish(context, *audit_trail_, session, std::move(entry),
                          response->mutable_entry());
}

grpc::ServerUnaryReactor* FactorySimService::GetAuditTrail(grpc::CallbackServerContext* context,
                                                           const v1::GetAuditTrailRequest* request,
                                                           v1::GetAuditTrailResponse* response) {
  if (absl::Status valid = ValidateSessionId(request->session_id()); !valid.ok()) {
    return FinishUnary(context, valid);
  }
  if (request->page_size() < 0 || request->page_size() > kMaxAuditPageSize) {
    return FinishUnary(context, absl::InvalidArgumentError(absl::StrCat(
                                    "page_size must be 0..", kMaxAuditPageSize, " (0: default ",
                                    kDefaultAuditPageSize, "), got ", request->page_size())));
  }
  int64_t after_sequence = 0;
  if (!request->page_token().empty() &&
      (!absl::SimpleAtoi(request->page_token(), &after_sequence) || after_sequence < 0)) {
    return FinishUnary(context, absl::InvalidArgumentError(absl::StrCat(
                                    "page_token '", request->page_token(),
                                    "' is not a next_page_token returned by GetAuditTrail")));
  }
  const int page_size = request->page_size() == 0 ? kDefaultAuditPageSize : request->page_size();
  absl::StatusOr<AuditPage> page = audit_trail_->EntriesPage(
      request->session_id(), after_sequence, static_cast<size_t>(page_size), kMaxAuditPageBytes);
  if (!page.ok()) return FinishUnary(context, page.status());
  if (page->entries.empty() && after_sequence == 0) {
    return FinishUnary(context, absl::NotFoundError(absl::StrCat(
                                    "session_id '", request->session_id(),
                                    "' has no audit trail: nothing was recorded for it")));
  }
  for (AuditEntry& entry : page->entries) *response->add_entries() = std::move(entry);
  if (page->next_after_sequence) {
    response->set_next_page_token(absl::StrCat(*page->next_after_sequence));
  }
  return FinishUnary(context, absl::OkStatus());
}

}  // namespace df::factory
