#include "services/drift_monitor/server/ingest_budget.h"

#include <algorithm>

namespace df::drift {

bool IngestBudget::TryStartCall() {
  absl::MutexLock lock(&mu_);
  if (open_calls_ >= limits_.max_calls) return false;
  ++open_calls_;
  return true;
}

void IngestBudget::EndCall() {
  absl::MutexLock lock(&mu_);
  --open_calls_;
}

bool IngestBudget::ReadAllowedOrWait(std::function<void()> resume) {
  absl::MutexLock lock(&mu_);
  if (in_flight_bytes_ < limits_.max_in_flight_bytes) return true;
  // Bytes are in flight, so a Release() will come and run `resume`.
  waiting_.push_back(std::move(resume));
  return false;
}

void IngestBudget::Acquire(int64_t bytes) {
  absl::MutexLock lock(&mu_);
  in_flight_bytes_ += bytes;
  peak_in_flight_bytes_ = std::max(peak_in_flight_bytes_, in_flight_bytes_);
}

void IngestBudget::Release(int64_t bytes) {
  std::vector<std::function<void()>> resume;
  {
    absl::MutexLock lock(&mu_);
    in_flight_bytes_ -= bytes;
    if (in_flight_bytes_ < limits_.max_in_flight_bytes) resume.swap(waiting_);
  }
  for (auto& r : resume) r();
}

int IngestBudget::open_calls() const {
  absl::MutexLock lock(&mu_);
  return open_calls_;
}

int64_t IngestBudget::in_flight_bytes() const {
  absl::MutexLock lock(&mu_);
  return in_flight_bytes_;
}

int64_t IngestBudget::peak_in_flight_bytes() const {
  absl::MutexLock lock(&mu_);
  return peak_in_flight_bytes_;
}

}  // namespace df::drift
