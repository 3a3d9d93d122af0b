// ApiCatalog: the gRPC methods the gateway exposes over HTTP, found in protobuf
// descriptors rather than written down route by route.
//
// Every method of the given services gets the HTTP path
//   /api/<package without its first component, dots as slashes>/<Method>
// e.g. datafactory.factory.v1.FactorySim.Evaluate -> /api/factory/v1/Evaluate and
// datafactory.drift.v1.DriftMonitor.Ingest -> /api/drift/v1/Ingest, together with
// its gRPC path (/datafactory.factory.v1.FactorySim/Evaluate), its input and output
// message descriptors, its streaming kind and the backend that serves it. A method
// added to a .proto is exposed by the next build with no gateway code.
//
// Usage:
//   const ApiCatalog catalog = ApiCatalog::Build({{"factory-sim", FactorySimDescriptor()}});
//   if (const ApiMethod* m = catalog.Find("/api/factory/v1/Evaluate")) { ... m->grpc_path ... }
//
// Thread-safety: immutable after Build(); descriptors live as long as their pool
// (the generated pool: the whole process). Failure: Build() does not fail; two
// methods with the same HTTP path (one package with two services defining the same
// method name) keep the first and the clash is listed in `conflicts()`.
#ifndef DATA_FACTORY_SERVICES_GATEWAY_API_CATALOG_H_
#define DATA_FACTORY_SERVICES_GATEWAY_API_CATALOG_H_

#include <google/protobuf/descriptor.h>

#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"

namespace df::gateway {

enum class CallKind { kUnary, kServerStreaming, kClientStreaming, kBidiStreaming };

struct ApiMethod {
  std::string http_path;  // "/api/factory/v1/Evaluate"
  std::string grpc_path;  // "/datafactory.factory.v1.FactorySim/Evaluate"
  std::string backend;    // which backend serves it, e.g. "factory-sim"
  CallKind kind = CallKind::kUnary;
  const google::protobuf::Descriptor* input = nullptr;
  const google::protobuf::Descriptor* output = nullptr;

  bool streams_responses() const {
    return kind == CallKind::kServerStreaming || kind == CallKind::kBidiStreaming;
  }
  bool takes_more_requests() const {
    return kind == CallKind::kClientStreaming || kind == CallKind::kBidiStreaming;
  }
};

class ApiCatalog {
 public:
  // `services`: (backend name, service descriptor) pairs.
  static ApiCatalog Build(
      const std::vector<std::pair<std::string, const google::protobuf::ServiceDescriptor*>>&
          services);

  // The method at `http_path`, or null.
  const ApiMethod* Find(absl::string_view http_path) const;
  // Every method, in service then declaration order.
  const std::vector<ApiMethod>& methods() const { return methods_; }
  const std::vector<std::string>& conflicts() const { return conflicts_; }

 private:
  std::vector<ApiMethod> methods_;
  absl::flat_hash_map<std::string, size_t> by_path_;
  std::vector<std::string> conflicts_;
};

// "/api/factory/v1" for package "datafactory.factory.v1" (a one-component package
// keeps its name: "/api/foo").
std::string HttpPrefix(absl::string_view package);

}  // namespace df::gateway

#endif  // DATA_FACTORY_SERVICES_GATEWAY_API_CATALOG_H_
