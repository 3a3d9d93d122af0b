#include "services/gateway/api_catalog.h"

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"

namespace df::gateway {

std::string HttpPrefix(absl::string_view package) {
  const size_t dot = package.find('.');
  const absl::string_view rest = dot == absl::string_view::npos ? package : package.substr(dot + 1);
  return absl::StrCat("/api/", absl::StrReplaceAll(rest, {{".", "/"}}));
}

namespace {

CallKind KindOf(const google::protobuf::MethodDescriptor& method) {
  if (method.client_streaming()) {
    return method.server_streaming() ? CallKind::kBidiStreaming : CallKind::kClientStreaming;
  }
  return method.server_streaming() ? CallKind::kServerStreaming : CallKind::kUnary;
}

}  // namespace

ApiCatalog ApiCatalog::Build(
    const std::vector<std::pair<std::string, const google::protobuf::ServiceDescriptor*>>&
        services) {
  ApiCatalog catalog;
  for (const auto& [backend, service] : services) {
    const std::string prefix = HttpPrefix(service->file()->package());
    for (int i = 0; i < service->method_count(); ++i) {
      const google::protobuf::MethodDescriptor& method = *service->method(i);
      ApiMethod api;
      api.http_path = absl::StrCat(prefix, "/", method.name());
      api.grpc_path = absl::StrCat("/", service->full_name(), "/", method.name());
      api.backend = backend;
      api.kind = KindOf(method);
      api.input = method.input_type();
      api.output = method.output_type();
      if (catalog.by_path_.contains(api.http_path)) {
        catalog.conflicts_.push_back(absl::StrCat(api.grpc_path, " and an earlier method share ",
                                                  api.http_path, "; the earlier one is kept"));
        continue;
      }
      catalog.by_path_.emplace(api.http_path, catalog.methods_.size());
      catalog.methods_.push_back(std::move(api));
    }
  }
  return catalog;
}

const ApiMethod* ApiCatalog::Find(absl::string_view http_path) const {
  const auto it = by_path_.find(http_path);
  return it == by_path_.end() ? nullptr : &methods_[it->second];
}

}  // namespace df::gateway
