#include "services/factory_sim/server/audit_trail.h"

#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "services/factory_sim/audit/audit_store_spec.h"

namespace df::factory {
namespace {

// Appends written by one store call: enough to share an fsync among many writers,
// few enough that the first of them is not kept waiting for long.
constexpr size_t kMaxBatch = 64;

bool IsStoreFailure(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kDataLoss:
    case absl::StatusCode::kInternal:
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kUnknown:
      return true;
    default:
      return false;
  }
}

}  // namespace

absl::StatusOr<std::unique_ptr<AuditTrail>> AuditTrail::Open(const std::string& dir,
                                                             AuditTrailLimits limits) {
  AuditStoreSpec spec;
  spec.sqlite_path = absl::StrCat(dir, "/audit.db");
  absl::StatusOr<OpenedAuditStore> opened = OpenAuditStore(spec, limits, dir);
  if (!opened.ok()) return opened.status();
  return std::make_unique<AuditTrail>(std::move(opened->store), limits);
}

AuditTrail::AuditTrail(std::unique_ptr<AuditStore> store, AuditTrailLimits limits,
                       StoreErrorListener on_store_error)
    : store_(std::move(store)), limits_(limits), on_store_error_(std::move(on_store_error)) {
  writer_ = std::thread([this] { WriterLoop(); });
}

AuditTrail::~AuditTrail() {
  {
    absl::MutexLock lock(&mu_);
    stopping_ = true;
  }
  writer_.join();
}

void AuditTrail::Report(const absl::Status& status) const {
  if (on_store_error_ && IsStoreFailure(status)) on_store_error_(status);
}

void AuditTrail::Append(std::string session_id, AuditEntry entry, Done done) {
  absl::Status admitted = ValidateSessionId(session_id);
  if (admitted.ok()) admitted = CheckEntryBytes(limits_, AuditContentBytes(entry));
  if (admitted.ok()) {
    absl::MutexLock lock(&mu_);
    if (queue_.size() < limits_.max_queued_writes) {
      queue_.emplace_back(AuditAppend{std::move(session_id), std::move(entry)}, std::move(done));
      return;
    }
    admitted = absl::ResourceExhaustedError(absl::StrCat(
        "audit trail write queue is full (max_queued_writes ", limits_.max_queued_writes,
        "; flag --max_audit_queued_writes); retry shortly"));
  }
  if (done) done(admitted);  // outside the lock: `done` may finish an RPC
}

void AuditTrail::WriterLoop() {
  while (true) {
    std::vector<AuditAppend> batch;
    std::vector<Done> dones;
    {
      absl::MutexLock lock(&mu_);
      mu_.Await(absl::Condition(
          +[](AuditTrail* t)
               ABSL_NO_THREAD_SAFETY_ANALYSIS { return t->stopping_ || !t->queue_.empty(); },
          this));
      if (queue_.empty()) return;  // stopping, and everything is written
      while (!queue_.empty() && batch.size() < kMaxBatch) {
        batch.push_back(std::move(queue_.front().first));
        dones.push_back(std::move(queue_.front().second));
        queue_.pop_front();
      }
    }
    std::vector<absl::StatusOr<AuditEntry>> stored = store_->Append(std::move(batch));
    for (size_t i = 0; i < dones.size(); ++i) {
      Report(stored[i].status());
      if (dones[i]) dones[i](std::move(stored[i]));
    }
  }
}

absl::StatusOr<AuditPage> AuditTrail::EntriesPage(absl::string_view session_id,
                                                  int64_t after_sequence, size_t max_entries,
                                                  size_t max_bytes) const {
  absl::StatusOr<AuditPage> page = store_->Page(session_id, after_sequence, max_entries, max_bytes);
  Report(page.status());
  return page;
}

absl::StatusOr<std::optional<AuditLevers>> AuditTrail::LatestLevers(
    absl::string_view session_id) const {
  absl::StatusOr<std::optional<AuditLevers>> levers = store_->LatestLevers(session_id);
  Report(levers.status());
  return levers;
}

absl::StatusOr<size_t> AuditTrail::SessionCount() const {
  absl::StatusOr<size_t> count = store_->SessionCount();
  Report(count.status());
  return count;
}

}  // namespace df::factory
