#include "services/factory_sim/server/rejected_changes.h"

#include <utility>

#include "absl/strings/str_cat.h"

namespace df::factory {

namespace v1 = ::datafactory::factory::v1;

void RejectedChanges::Add(const absl::Status& why,
                          const google::protobuf::RepeatedPtrField<std::string>& settings) {
  v1::RejectedChange rejected;
  rejected.set_code(static_cast<int>(why.code()));  // absl codes are google.rpc.Code values
  rejected.set_message(std::string(why.message()));
  *rejected.mutable_set() = settings;
  pending_.push_back(std::move(rejected));
  if (pending_.size() > kMaxRejectedChangesPerTick) {
    pending_.pop_front();
    ++dropped_;
  }
}

void RejectedChanges::MoveInto(v1::TelemetryTick* tick) {
  if (dropped_ > 0) {
    v1::Consequence dropped;
    dropped.set_severity(v1::SEVERITY_WARNING);
    dropped.set_code("lever_changes_dropped");
    dropped.set_message(absl::StrCat(
        dropped_, " earlier rejected lever change(s) not reported: ", "only the latest ",
        kMaxRejectedChangesPerTick, " per tick are kept"));
    v1::Quantity* count = dropped.add_numbers();
    count->set_name("dropped_changes");
    count->set_value(static_cast<double>(dropped_));
    count->set_unit("changes");
    *tick->add_consequences() = std::move(dropped);
  }
  for (v1::RejectedChange& r : pending_) {
    v1::Consequence* warning = tick->add_consequences();
    warning->set_severity(v1::SEVERITY_WARNING);
    warning->set_code("lever_change_rejected");
    warning->set_message(absl::StrCat("Lever change rejected: ", r.message()));
    *tick->add_rejected_changes() = std::move(r);
  }
  pending_.clear();
  dropped_ = 0;
}

}  // namespace df::factory
