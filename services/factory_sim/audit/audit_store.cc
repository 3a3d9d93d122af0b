#include "services/factory_sim/audit/audit_store.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"

namespace df::factory {

absl::Status ValidateSessionId(absl::string_view session_id) {
  const bool ok_length = !session_id.empty() && session_id.size() <= 64;
  bool ok_chars = true;
  for (char c : session_id) {
    if (!absl::ascii_isalnum(static_cast<unsigned char>(c)) && c != '_' && c != '-') {
      ok_chars = false;
    }
  }
  if (ok_length && ok_chars) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrCat("session_id '", session_id, "' must be 1..64 characters of [A-Za-z0-9_-]"));
}

absl::Status CheckEntryBytes(const AuditLimits& limits, size_t entry_bytes) {
  if (entry_bytes <= limits.max_entry_bytes) return absl::OkStatus();
  return absl::ResourceExhaustedError(
      absl::StrCat("audit entry is ", entry_bytes, " bytes, over max_audit_entry_bytes (",
                   limits.max_entry_bytes, " bytes); record fewer or shorter settings or text"));
}

absl::Status CheckSessionRoom(const AuditLimits& limits, absl::string_view session_id,
                              size_t entries, size_t bytes, size_t entry_bytes) {
  if (entries >= limits.max_entries_per_session) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "session '", session_id, "' has reached max_entries_per_session (",
        limits.max_entries_per_session, " entries; flag --max_audit_entries_per_session)"));
  }
  if (bytes + entry_bytes > limits.max_session_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat(
        "session '", session_id, "' holds ", bytes, " bytes; this ", entry_bytes,
        "-byte entry would pass max_audit_session_bytes (", limits.max_session_bytes, " bytes)"));
  }
  return absl::OkStatus();
}

absl::Status SessionsFull(const AuditLimits& limits, absl::string_view session_id) {
  return absl::ResourceExhaustedError(
      absl::StrCat("audit trail holds the maximum of ", limits.max_sessions,
                   " sessions (max_sessions; flag --max_audit_sessions); session_id '", session_id,
                   "' cannot start a new one"));
}

}  // namespace df::factory
