#include "services/factory_sim/audit/audit_store_spec.h"

#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "services/common/storage/redis_url.h"
#include "services/factory_sim/audit/legacy_migration.h"
#include "services/factory_sim/audit/redis_audit_store.h"
#include "services/factory_sim/audit/sqlite_audit_store.h"

namespace df::factory {
namespace {

absl::Status BadSpec(absl::string_view spec, absl::string_view why) {
  return absl::InvalidArgumentError(absl::StrCat("audit_store '", spec, "' ", why,
                                                 "; expected sqlite:PATH or redis://HOST[:PORT]"));
}

}  // namespace

absl::StatusOr<AuditStoreSpec> ParseAuditStoreSpec(absl::string_view spec) {
  AuditStoreSpec parsed;
  if (absl::ConsumePrefix(&spec, "sqlite:")) {
    if (spec.empty()) return BadSpec("sqlite:", "names no file");
    parsed.sqlite_path = std::string(spec);
    return parsed;
  }
  if (!absl::StartsWith(spec, "redis://")) return BadSpec(spec, "is of no known kind");
  absl::StatusOr<df::storage::RedisUrl> url = df::storage::ParseRedisUrl(spec);
  if (!url.ok()) return BadSpec(spec, url.status().message());
  parsed.kind = AuditStoreSpec::Kind::kRedis;
  parsed.redis_host = url->host;
  parsed.redis_port = url->port;
  return parsed;
}

absl::StatusOr<OpenedAuditStore> OpenAuditStore(const AuditStoreSpec& spec,
                                                const AuditLimits& limits,
                                                const std::string& legacy_dir) {
  OpenedAuditStore opened;
  if (spec.kind == AuditStoreSpec::Kind::kSqlite) {
    absl::StatusOr<std::unique_ptr<SqliteAuditStore>> sqlite =
        SqliteAuditStore::Open(spec.sqlite_path, limits);
    if (!sqlite.ok()) return sqlite.status();
    for (const std::string& finding : (*sqlite)->damage()) {
      opened.damage.push_back(absl::StrCat((*sqlite)->location(), ": integrity_check: ", finding));
    }
    opened.read_only = !(*sqlite)->damage().empty();
    opened.store = *std::move(sqlite);
  } else {
    absl::StatusOr<std::unique_ptr<RedisAuditStore>> redis =
        RedisAuditStore::Open(spec.redis_host, spec.redis_port, limits);
    if (!redis.ok()) return redis.status();
    opened.notes = (*redis)->notes();
    opened.store = *std::move(redis);
  }
  if (opened.read_only) {
    opened.notes.push_back(absl::StrCat("per-session files in ", legacy_dir,
                                        ", if any, are imported once the store is sound"));
    return opened;
  }
  absl::StatusOr<LegacyMigrationReport> migrated =
      MigrateLegacyAuditFiles(legacy_dir, *opened.store);
  if (!migrated.ok()) return migrated.status();
  for (std::string& line : migrated->damage) opened.damage.push_back(std::move(line));
  for (std::string& line : migrated->torn_tails) opened.notes.push_back(std::move(line));
  if (migrated->files > 0) {
    opened.notes.push_back(absl::StrCat("imported ", migrated->entries, " entries of ",
                                        migrated->files, " per-session files in ", legacy_dir,
                                        " into ", opened.store->location(), " (files kept as *",
                                        kMigratedAuditSuffix, ")"));
  }
  return opened;
}

}  // namespace df::factory
