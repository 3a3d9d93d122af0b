#include "services/drift_monitor/state/stream_state_store.h"

#include "absl/strings/str_cat.h"
#include "services/drift_monitor/core/stream_detector.h"
#include "services/drift_monitor/core/stream_state_record.h"

namespace df::drift {

absl::StatusOr<StreamSnapshot> ReadStreamStateRecord(std::string_view record,
                                                     std::string_view stored_as) {
  absl::StatusOr<StreamSnapshot> snapshot = ParseStreamStateRecord(record);
  if (!snapshot.ok()) return snapshot.status();
  if (snapshot->stream_id != stored_as) {
    return absl::DataLossError(absl::StrCat("the record holds stream '", snapshot->stream_id,
                                            "', not '", std::string(stored_as), "'"));
  }
  absl::StatusOr<std::unique_ptr<StreamDetector>> detector =
      StreamDetector::Restore(snapshot->detector);
  if (!detector.ok()) {
    return absl::DataLossError(
        absl::StrCat("stream state record: inconsistent: ", detector.status().message()));
  }
  return snapshot;
}

}  // namespace df::drift
