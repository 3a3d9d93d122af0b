// The page and every file it loads, compiled into the gateway (web/, embedded at
// build time by embed_web_assets.cmake), so the gateway needs nothing on disk or on
// the network at run time.
//
// Usage:
//   for (const WebAsset& asset : EmbeddedWebAssets()) { ... asset.path ... }
//   // asset.path: "/index.html", "/js/app.js"; asset.content_type: "text/html; ..."
//
// Thread-safety: immutable data. Failure: none.
#ifndef DATA_FACTORY_SERVICES_GATEWAY_WEB_ASSETS_H_
#define DATA_FACTORY_SERVICES_GATEWAY_WEB_ASSETS_H_

#include <string_view>
#include <vector>

namespace df::gateway {

struct WebAsset {
  std::string_view path;  // URL path, "/" + the file's path under web/
  std::string_view content;
  std::string_view content_type;
};

const std::vector<WebAsset>& EmbeddedWebAssets();

// The Content-Type for a file name by its extension (octet-stream when unknown).
std::string_view ContentTypeOf(std::string_view path);

}  // namespace df::gateway

#endif  // DATA_FACTORY_SERVICES_GATEWAY_WEB_ASSETS_H_
