#include "services/gateway/backend_channels.h"

#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/notification.h"

namespace df::gateway {

absl::Status FromGrpcStatus(const grpc::Status& status) {
  return absl::Status(static_cast<absl::StatusCode>(status.error_code()), status.error_message());
}

grpc::ByteBuffer ToByteBuffer(absl::string_view bytes) {
  grpc::Slice slice(bytes.data(), bytes.size());
  return grpc::ByteBuffer(&slice, 1);
}

std::string FromByteBuffer(const grpc::ByteBuffer& buffer) {
  std::vector<grpc::Slice> slices;
  std::string bytes;
  if (!buffer.Dump(&slices).ok()) return bytes;
  bytes.reserve(buffer.Length());
  for (const grpc::Slice& slice : slices) {
    bytes.append(reinterpret_cast<const char*>(slice.begin()), slice.size());
  }
  return bytes;
}

Backends::Backends(const std::map<std::string, std::shared_ptr<grpc::Channel>>& channels) {
  for (const auto& [name, channel] : channels) {
    Backend backend;
    backend.channel = channel;
    backend.stub = std::make_unique<grpc::GenericStub>(backend.channel);
    backends_.emplace(name, std::move(backend));
  }
}

grpc::GenericStub* Backends::Stub(absl::string_view backend) {
  const auto it = backends_.find(backend);
  return it == backends_.end() ? nullptr : it->second.stub.get();
}

absl::StatusOr<std::string> Backends::CallUnary(absl::string_view backend,
                                                const std::string& grpc_path,
                                                absl::string_view request_bytes,
                                                absl::Duration timeout) {
  grpc::GenericStub* stub = Stub(backend);
  if (stub == nullptr) return absl::NotFoundError(absl::StrCat("no backend '", backend, "'"));
  grpc::ClientContext context;
  context.set_deadline(absl::ToChronoTime(absl::Now() + timeout));
  const grpc::ByteBuffer request = ToByteBuffer(request_bytes);
  grpc::ByteBuffer response;
  grpc::Status result;
  absl::Notification done;
  stub->UnaryCall(&context, grpc_path, grpc::StubOptions(), &request, &response,
                  [&](const grpc::Status& status) {
                    result = status;
                    done.Notify();
                  });
  done.WaitForNotification();
  if (!result.ok()) return FromGrpcStatus(result);
  return FromByteBuffer(response);
}

}  // namespace df::gateway
