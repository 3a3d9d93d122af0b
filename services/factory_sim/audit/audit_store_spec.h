// Which audit store factory-sim uses, from its --audit_store flag, and opening it:
//   sqlite:PATH          one SQLite file (embedded; the default, in --audit_dir)
//   redis://HOST[:PORT]  one Redis server shared by replicas (port 6379 by default)
// Opening also imports the per-session files of earlier versions found in the
// legacy directory (legacy_migration.h), unless the store is read-only.
//
// Usage:
//   absl::StatusOr<AuditStoreSpec> spec = ParseAuditStoreSpec("redis://10.0.0.5:6379");
//   absl::StatusOr<OpenedAuditStore> opened = OpenAuditStore(*spec, limits, "factory-sim-audit");
//   for (const std::string& d : opened->damage) ... report ...
//
// Failure: a malformed spec is INVALID_ARGUMENT showing the accepted forms; a
// store that cannot be opened, or a legacy file that cannot be imported, is the
// store's error naming the path or server. Thread-safety: call before serving.
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_AUDIT_STORE_SPEC_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_AUDIT_STORE_SPEC_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "services/factory_sim/audit/audit_store.h"

namespace df::factory {

struct AuditStoreSpec {
  enum class Kind { kSqlite, kRedis };
  Kind kind = Kind::kSqlite;
  std::string sqlite_path;
  std::string redis_host;
  int redis_port = 6379;
};

[[nodiscard]] absl::StatusOr<AuditStoreSpec> ParseAuditStoreSpec(absl::string_view spec);

struct OpenedAuditStore {
  std::unique_ptr<AuditStore> store;
  // Damage found while opening: integrity-check findings, damaged legacy records.
  std::vector<std::string> damage;
  // The rest worth a log line: imported files, torn tails, unchecked settings.
  std::vector<std::string> notes;
  // The store refuses appends because it is damaged (SQLite).
  bool read_only = false;
};

[[nodiscard]] absl::StatusOr<OpenedAuditStore> OpenAuditStore(const AuditStoreSpec& spec,
                                                              const AuditLimits& limits,
                                                              const std::string& legacy_dir);

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_AUDIT_STORE_SPEC_H_
