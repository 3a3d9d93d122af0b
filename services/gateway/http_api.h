// HttpApi: the gateway's HTTP routes, over cpp-httplib. It holds no lab logic:
// every /api/ call is a gRPC call of the catalogue, its JSON transcoded with
// protobuf's JSON mapping (message_codec.h), its errors mapped by http_status.h.
//
//   GET  /, /index.html, /js/..., /css/...   the page (embedded, web_assets.h)
//   GET  /healthz                            200 "ok" while serving
//   GET  /api                                the catalogue: every method, its kind
//   POST /api/<pkg>/<Method>                 a unary call: the request as JSON (or a
//                                            binary body + query fields), 200 + JSON
//   GET  /api/<pkg>/<Method>?message=<json>  a streaming call as Server-Sent Events:
//                                            "open" {"call": id}, one "message" per
//                                            response, "end" {code,status,message}
//   POST /api/<pkg>/<Method>/<call>          one more request into that open call
//                                            (a LiveRun change, a JPEG frame): 202
//   DELETE /api/<pkg>/<Method>/<call>        cancels the call
//
// Bad input is refused before any gRPC call: a JSON body over --max_request_kib or
// a binary body over --max_frame_kib is 413; bad JSON or an unknown field is 400
// with the parser's message; an unknown method or call is 404; more open streams
// than --max_page_streams is 429.
//
// Usage:
//   HttpApi api(catalog, backends, streams, options);
//   httplib::Server server;
//   api.Register(server);
//
// Thread-safety: handlers run on the server's worker threads; the catalogue is
// immutable, Backends and PageStreams are thread-safe. Failure: every refusal is a
// JSON error body (http_status.h), never an exception out of a handler.
#ifndef DATA_FACTORY_SERVICES_GATEWAY_HTTP_API_H_
#define DATA_FACTORY_SERVICES_GATEWAY_HTTP_API_H_

#include <httplib.h>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/time/time.h"
#include "services/gateway/api_catalog.h"
#include "services/gateway/backend_channels.h"
#include "services/gateway/page_streams.h"

namespace df::gateway {

struct HttpApiOptions {
  size_t max_json_bytes = size_t{1} << 20;          // a JSON request body
  size_t max_frame_bytes = size_t{8} << 20;         // a binary request body (a camera frame)
  absl::Duration call_timeout = absl::Seconds(10);  // unary calls
  absl::Duration keep_alive = absl::Seconds(15);    // SSE comment when idle this long
  BackendStream::Limits stream_limits;
};

class HttpApi {
 public:
  HttpApi(const ApiCatalog& catalog, Backends& backends, PageStreams& streams,
          const HttpApiOptions& options)
      : catalog_(catalog), backends_(backends), streams_(streams), options_(options) {}

  void Register(httplib::Server& server);

 private:
  void Unary(const httplib::Request& req, httplib::Response& res);
  void OpenStream(const httplib::Request& req, httplib::Response& res);
  void WriteToStream(const httplib::Request& req, httplib::Response& res);
  void CloseStream(const httplib::Request& req, httplib::Response& res);
  void Catalogue(httplib::Response& res) const;

  // The method at /api/<match>, or the NOT_FOUND status naming what exists.
  absl::StatusOr<const ApiMethod*> MethodOf(const std::string& path_under_api) const;

  const ApiCatalog& catalog_;
  Backends& backends_;
  PageStreams& streams_;
  const HttpApiOptions options_;
};

// Replies with `status` as the JSON error body; `http_status` 0: from the table.
void ReplyError(httplib::Response& res, const absl::Status& status, int http_status = 0);

}  // namespace df::gateway

#endif  // DATA_FACTORY_SERVICES_GATEWAY_HTTP_API_H_
