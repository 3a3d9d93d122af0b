// ConnectionPool: the connections a store reuses across calls (SQLite readers,
// Redis connections). A Lease takes an idle connection or makes a new one, and
// gives it back when it ends, unless it broke or max_idle are already waiting.
//
// Usage:
//   ConnectionPool<RedisConnection> pool(8, [] { return RedisConnection::Connect(...); },
//                                        [](const RedisConnection& c) { return !c.broken(); });
//   auto lease = pool.Acquire();
//   if (!lease.status().ok()) return lease.status();
//   lease->Command({"PING"});
//
// Thread-safety: Acquire may be called from any thread; a lease is used by one.
#ifndef DATA_FACTORY_SERVICES_COMMON_STORAGE_CONNECTION_POOL_H_
#define DATA_FACTORY_SERVICES_COMMON_STORAGE_CONNECTION_POOL_H_

#include <functional>
#include <memory>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/synchronization/mutex.h"

namespace df::storage {

template <typename Connection>
class ConnectionPool {
 public:
  using Make = std::function<absl::StatusOr<std::unique_ptr<Connection>>()>;
  using Reusable = std::function<bool(const Connection&)>;

  class Lease {
   public:
    Lease(const Lease&) = delete;
    Lease& operator=(const Lease&) = delete;
    ~Lease() {
      if (connection_ != nullptr) pool_.Return(std::move(connection_));
    }
    const absl::Status& status() const { return status_; }
    Connection* operator->() { return connection_.get(); }
    Connection& operator*() { return *connection_; }

   private:
    friend class ConnectionPool;
    Lease(const ConnectionPool& pool, std::unique_ptr<Connection> connection, absl::Status status)
        : pool_(pool), connection_(std::move(connection)), status_(std::move(status)) {}
    const ConnectionPool& pool_;
    std::unique_ptr<Connection> connection_;
    const absl::Status status_;
  };

  ConnectionPool(size_t max_idle, Make make, Reusable reusable = nullptr)
      : max_idle_(max_idle), make_(std::move(make)), reusable_(std::move(reusable)) {}

  Lease Acquire() const {
    {
      absl::MutexLock lock(&mu_);
      if (!idle_.empty()) {
        std::unique_ptr<Connection> idle = std::move(idle_.back());
        idle_.pop_back();
        return Lease(*this, std::move(idle), absl::OkStatus());
      }
    }
    absl::StatusOr<std::unique_ptr<Connection>> made = make_();
    if (!made.ok()) return Lease(*this, nullptr, made.status());
    return Lease(*this, *std::move(made), absl::OkStatus());
  }

  // Closes the idle connections.
  void Clear() {
    absl::MutexLock lock(&mu_);
    idle_.clear();
  }

 private:
  void Return(std::unique_ptr<Connection> connection) const {
    if (reusable_ && !reusable_(*connection)) return;
    absl::MutexLock lock(&mu_);
    if (idle_.size() < max_idle_) idle_.push_back(std::move(connection));
  }

  const size_t max_idle_;
  const Make make_;
  const Reusable reusable_;
  mutable absl::Mutex mu_;
  mutable std::vector<std::unique_ptr<Connection>> idle_ ABSL_GUARDED_BY(mu_);
};

}  // namespace df::storage

#endif  // DATA_FACTORY_SERVICES_COMMON_STORAGE_CONNECTION_POOL_H_
