#include "services/gateway/web_assets.h"

#include <array>
#include <utility>

namespace df::gateway {

std::string_view ContentTypeOf(std::string_view path) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 7> kTypes = {{
      {".html", "text/html; charset=utf-8"},
      {".js", "text/javascript; charset=utf-8"},
      {".css", "text/css; charset=utf-8"},
      {".svg", "image/svg+xml"},
      {".png", "image/png"},
      {".json", "application/json"},
      {".ico", "image/x-icon"},
  }};
  for (const auto& [extension, type] : kTypes) {
    if (path.size() >= extension.size() &&
        path.substr(path.size() - extension.size()) == extension) {
      return type;
    }
  }
  return "application/octet-stream";
}

}  // namespace df::gateway
