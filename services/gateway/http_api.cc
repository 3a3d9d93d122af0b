#include "services/gateway/http_api.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "services/gateway/http_status.h"
#include "services/gateway/message_codec.h"
#include "services/gateway/web_assets.h"

namespace df::gateway {
namespace {

constexpr char kJson[] = "application/json";
constexpr char kPagePolicy[] =
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob: mediastream:; "
    "object-src 'none'; base-uri 'none'; frame-ancestors 'none'";

// JSON unless the body says it is something else (curl -d sends JSON as a form).
bool IsJson(const httplib::Request& req) {
  const std::string type = req.get_header_value("Content-Type");
  return type.empty() || absl::StartsWithIgnoreCase(type, kJson) ||
         absl::StartsWithIgnoreCase(type, "application/x-www-form-urlencoded");
}

void ReplyJson(httplib::Response& res, int status, const std::string& json) {
  res.status = status;
  res.set_header("Cache-Control", "no-store");
  res.set_content(json, kJson);
}

const char* KindName(CallKind kind) {
  switch (kind) {
    case CallKind::kUnary:
      return "unary";
    case CallKind::kServerStreaming:
      return "server_streaming";
    case CallKind::kClientStreaming:
      return "client_streaming";
    case CallKind::kBidiStreaming:
      return "bidi_streaming";
  }
  return "unary";
}

// What one page's event stream reads from; owned by the stream's provider.
struct EventStream {
  std::string id;
  std::string http_path;
  std::shared_ptr<BackendStream> call;
  const google::protobuf::Descriptor* output = nullptr;
  bool opened = false;
  absl::Time last_write = absl::Now();
};

// The request of an HTTP request: its body (JSON, or binary for a bytes field) and
// its query fields; the query parameter `message_param` (when not empty) is the
// request as JSON instead of the body.
HttpMessage MessageOf(const httplib::Request& req, const std::string& message_param) {
  HttpMessage message;
  if (IsJson(req)) {
    message.json = req.body;
  } else {
    message.binary = req.body;
  }
  // The URL's query only (httplib also puts a form body's fields in req.params), parsed
  // and decoded by httplib's own (exported) query parser.
  httplib::Params query;
  const size_t mark = req.target.find('?');
  if (mark != std::string::npos)
    httplib::detail::parse_query_text(req.target.substr(mark + 1), query);
  for (const auto& [name, value] : query) {
    if (!message_param.empty() && name == message_param) {
      message.json = value;
    } else {
      message.fields.emplace_back(name, value);
    }
  }
  return message;
}

}  // namespace

void ReplyError(httplib::Response& res, const absl::Status& status, int http_status) {
  ReplyJson(res, http_status != 0 ? http_status : HttpStatusOf(status.code()), ErrorJson(status));
}

absl::StatusOr<const ApiMethod*> HttpApi::MethodOf(const std::string& path_under_api) const {
  const std::string path = absl::StrCat("/api/", path_under_api);
  if (const ApiMethod* method = catalog_.Find(path)) return method;
  return absl::NotFoundError(absl::StrCat("no API method at ", path, "; GET /api lists them"));
}

void HttpApi::Register(httplib::Server& server) {
  for (const WebAsset& asset : EmbeddedWebAssets()) {
    auto serve = [asset](const httplib::Request&, httplib::Response& res) {
      res.set_header("Cache-Control", "no-cache");
      res.set_header("X-Content-Type-Options", "nosniff");
      if (asset.content_type.starts_with("text/html")) {
        res.set_header("Content-Security-Policy", kPagePolicy);
      }
      res.set_content(asset.content.data(), asset.content.size(), std::string(asset.content_type));
    };
    server.Get(std::string(asset.path), serve);
    if (asset.path == "/index.html") server.Get("/", serve);
  }
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content("ok\n", "text/plain");
  });
  server.Get("/api", [this](const httplib::Request&, httplib::Response& res) { Catalogue(res); });
  server.Post(
      R"(/api/(.+)/([0-9a-f]{32}))",
      [this](const httplib::Request& req, httplib::Response& res) { WriteToStream(req, res); });
  server.Delete(
      R"(/api/(.+)/([0-9a-f]{32}))",
      [this](const httplib::Request& req, httplib::Response& res) { CloseStream(req, res); });
  server.Post(R"(/api/(.+))",
              [this](const httplib::Request& req, httplib::Response& res) { Unary(req, res); });
  server.Get(R"(/api/(.+))",
             [this](const httplib::Request& req, httplib::Response& res) { OpenStream(req, res); });
}

void HttpApi::Catalogue(httplib::Response& res) const {
  std::string json = R"({"methods":[)";
  const char* separator = "";
  for (const ApiMethod& m : catalog_.methods()) {
    absl::StrAppend(&json, separator, R"({"path":)", JsonString(m.http_path), R"(,"grpc":)",
                    JsonString(m.grpc_path), R"(,"kind":")", KindName(m.kind), R"(","input":)",
                    JsonString(m.input->full_name()), R"(,"output":)",
                    JsonString(m.output->full_name()), "}");
    separator = ",";
  }
  json += "]}";
  ReplyJson(res, 200, json);
}

namespace {

// 413 when the body is over its bound (JSON and binary bodies have their own).
bool RefuseLargeBody(const httplib::Request& req, const HttpApiOptions& options,
                     httplib::Response& res) {
  const bool json = IsJson(req);
  const size_t limit = json ? options.max_json_bytes : options.max_frame_bytes;
  if (req.body.size() <= limit) return false;
  ReplyError(
      res,
      absl::ResourceExhaustedError(absl::StrCat(
          json ? "a JSON request body" : "a binary request body", " is at most ", limit, " bytes (",
          json ? "--max_request_kib" : "--max_frame_kib", "), got ", req.body.size())),
      413);
  return true;
}

}  // namespace

void HttpApi::Unary(const httplib::Request& req, httplib::Response& res) {
  absl::StatusOr<const ApiMethod*> method = MethodOf(req.matches[1]);
  if (!method.ok()) return ReplyError(res, method.status());
  if ((*method)->kind != CallKind::kUnary) {
    return ReplyError(res, absl::InvalidArgumentError(absl::StrCat(
                               (*method)->http_path,
                               " is a streaming call: open it with GET (Server-Sent Events), "
                               "then POST further requests to ",
                               (*method)->http_path, "/<call>")));
  }
  if (RefuseLargeBody(req, options_, res)) return;
  absl::StatusOr<std::string> request = EncodeRequest(*(*method)->input, MessageOf(req, ""));
  if (!request.ok()) return ReplyError(res, request.status());
  absl::StatusOr<std::string> reply = backends_.CallUnary((*method)->backend, (*method)->grpc_path,
                                                          *request, options_.call_timeout);
  if (!reply.ok()) return ReplyError(res, reply.status());
  absl::StatusOr<std::string> json = DecodeResponse(*(*method)->output, *reply);
  if (!json.ok()) return ReplyError(res, json.status());
  ReplyJson(res, 200, *json);
}

void HttpApi::OpenStream(const httplib::Request& req, httplib::Response& res) {
  absl::StatusOr<const ApiMethod*> method = MethodOf(req.matches[1]);
  if (!method.ok()) return ReplyError(res, method.status());
  const ApiMethod& m = **method;
  if (!m.streams_responses()) {
    return ReplyError(res, absl::InvalidArgumentError(absl::StrCat(
                               m.http_path, " answers once: POST its request as JSON")));
  }
  const HttpMessage message = MessageOf(req, "message");
  std::optional<std::string> first;
  const bool has_first = !message.json.empty() || !message.fields.empty();
  if (has_first || !m.takes_more_requests()) {
    absl::StatusOr<std::string> encoded = EncodeRequest(*m.input, message);
    if (!encoded.ok()) return ReplyError(res, encoded.status());
    first = *std::move(encoded);
  }
  grpc::GenericStub* stub = backends_.Stub(m.backend);
  if (stub == nullptr) {
    return ReplyError(res, absl::InternalError(absl::StrCat("no backend ", m.backend)));
  }
  absl::StatusOr<PageStreams::Opened> opened = streams_.Open([&] {
    return BackendStream::Start(*stub, m.grpc_path, first, !m.takes_more_requests(),
                                options_.stream_limits);
  });
  if (!opened.ok()) return ReplyError(res, opened.status());

  auto state = std::make_shared<EventStream>();
  state->id = opened->id;
  state->http_path = m.http_path;
  state->call = opened->call;
  state->output = m.output;
  res.set_header("Cache-Control", "no-store");
  res.set_header("X-Accel-Buffering", "no");
  const absl::Duration keep_alive = options_.keep_alive;
  res.set_chunked_content_provider(
      "text/event-stream",
      [state, keep_alive](size_t, httplib::DataSink& sink) {
        auto write = [&](const std::string& text) {
          state->last_write = absl::Now();
          return sink.write(text.data(), text.size());
        };
        if (!state->opened) {
          state->opened = true;
          return write(SseEvent("open", absl::StrCat(R"({"call":")", state->id, R"(","method":)",
                                                     JsonString(state->http_path), "}")));
        }
        const BackendStream::Next next = state->call->WaitNext(absl::Seconds(1));
        std::optional<absl::Status> end = next.end;
        if (next.message.has_value()) {
          absl::StatusOr<std::string> json = DecodeResponse(*state->output, *next.message);
          if (json.ok()) return write(SseEvent("message", *json));
          state->call->Cancel();
          end = json.status();
        }
        if (end.has_value()) {
          const bool ok = write(SseEvent("end", ErrorJson(*end)));
          sink.done();
          return ok;
        }
        if (absl::Now() - state->last_write >= keep_alive) return write(": keep-alive\n\n");
        return sink.is_writable();
      },
      [this, id = state->id](bool) { streams_.Close(id); });
}

void HttpApi::WriteToStream(const httplib::Request& req, httplib::Response& res) {
  absl::StatusOr<const ApiMethod*> method = MethodOf(req.matches[1]);
  if (!method.ok()) return ReplyError(res, method.status());
  if (!(*method)->takes_more_requests()) {
    return ReplyError(
        res, absl::InvalidArgumentError(absl::StrCat(
                 (*method)->http_path, " takes one request, given when it is opened (?message=)")));
  }
  std::shared_ptr<BackendStream> call = streams_.Find(req.matches[2]);
  if (call == nullptr) {
    return ReplyError(
        res, absl::NotFoundError(absl::StrCat("no open call ", std::string(req.matches[2]),
                                              " (it ended, or its event stream was closed)")));
  }
  if (RefuseLargeBody(req, options_, res)) return;
  absl::StatusOr<std::string> request = EncodeRequest(*(*method)->input, MessageOf(req, ""));
  if (!request.ok()) return ReplyError(res, request.status());
  if (absl::Status written = call->Write(*std::move(request)); !written.ok()) {
    return ReplyError(res, written);
  }
  ReplyJson(res, 202, "{}");
}

void HttpApi::CloseStream(const httplib::Request& req, httplib::Response& res) {
  if (streams_.Find(req.matches[2]) == nullptr) {
    return ReplyError(
        res, absl::NotFoundError(absl::StrCat("no open call ", std::string(req.matches[2]))));
  }
  streams_.Close(req.matches[2]);
  ReplyJson(res, 200, "{}");
}

}  // namespace df::gateway
