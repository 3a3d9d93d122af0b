// RedisAuditStore: the audit trail in one Redis server, shared by factory-sim
// replicas (--audit_store=redis://HOST:PORT). Per session a stream
// `datafactory:audit:entries:<session>` (one entry per audit entry, id
// `<sequence>-0`, field `r` the checked record of audit_record.h) and a hash
// `datafactory:audit:session:<session>` (next sequence, count, bytes, latest-levers
// sequence); the set `datafactory:audit:sessions` counts sessions.
//
// An append is one Lua script: it checks the caps, takes the next sequence (never
// below the stream's last id, so a number is never reused even if the hash were
// lost) and writes, atomically — replicas appending to one session get distinct,
// increasing sequences and share the caps. A batch is pipelined (one round trip).
//
// Durability: Open refuses a server that does not report appendonly=yes and
// appendfsync=always (Redis then fsyncs its log before it replies), naming both
// settings; a server whose CONFIG command is disabled is accepted with a note.
//
// Usage:
//   auto store = RedisAuditStore::Open("127.0.0.1", 6379, limits);
//   (*store)->notes();   // e.g. "durability settings could not be read"
//
// Thread-safety and errors: as AuditStore. Every command has a 2 s timeout; a
// server that cannot be reached is UNAVAILABLE and the next call reconnects. One
// Redis server, not Redis Cluster (a script touches keys of several slots).
#ifndef DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_REDIS_AUDIT_STORE_H_
#define DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_REDIS_AUDIT_STORE_H_

#include <memory>
#include <string>
#include <vector>

#include "services/common/storage/connection_pool.h"
#include "services/common/storage/redis_connection.h"
#include "services/factory_sim/audit/audit_store.h"

namespace df::factory {

class RedisAuditStore final : public AuditStore {
 public:
  [[nodiscard]] static absl::StatusOr<std::unique_ptr<RedisAuditStore>> Open(std::string host,
                                                                             int port,
                                                                             AuditLimits limits);

  // What Open could not check (empty: all checked).
  const std::vector<std::string>& notes() const { return notes_; }

  const std::string& location() const override { return location_; }
  std::vector<absl::StatusOr<AuditEntry>> Append(std::vector<AuditAppend> appends) override;
  absl::StatusOr<AuditPage> Page(absl::string_view session_id, int64_t after_sequence,
                                 size_t max_entries, size_t max_bytes) const override;
  absl::StatusOr<std::optional<AuditLevers>> LatestLevers(
      absl::string_view session_id) const override;
  absl::StatusOr<size_t> SessionCount() const override;
  absl::Status Import(absl::string_view session_id, const std::vector<AuditEntry>& entries,
                      int64_t next_sequence) override;

 private:
  RedisAuditStore(std::string host, int port, AuditLimits limits);

  absl::Status Damaged(absl::string_view session_id, int64_t sequence,
                       const absl::Status& why) const;

  const std::string host_;
  const int port_;
  const std::string location_;
  const AuditLimits limits_;
  std::vector<std::string> notes_;
  df::storage::ConnectionPool<df::storage::RedisConnection> pool_;
};

}  // namespace df::factory

#endif  // DATA_FACTORY_SERVICES_FACTORY_SIM_AUDIT_REDIS_AUDIT_STORE_H_
