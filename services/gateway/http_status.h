// The gRPC status -> HTTP status table of the gateway, and the JSON body of an
// error: {"code": 3, "status": "INVALID_ARGUMENT", "message": "<the backend's
// message, unchanged>"}. The same table answers the gateway's own refusals (a body
// that is not JSON, an unknown call id), so the page handles one error shape.
//
//   gRPC code             HTTP   gRPC code             HTTP
//   OK                    200    FAILED_PRECONDITION   400
//   CANCELLED             499    ABORTED               409
//   UNKNOWN               500    OUT_OF_RANGE          400
//   INVALID_ARGUMENT      400    UNIMPLEMENTED         501
//   DEADLINE_EXCEEDED     504    INTERNAL              500
//   NOT_FOUND             404    UNAVAILABLE           503
//   ALREADY_EXISTS        409    DATA_LOSS             500
//   PERMISSION_DENIED     403    UNAUTHENTICATED       401
//   RESOURCE_EXHAUSTED    429
//
// Usage:
//   res.status = HttpStatusOf(status.code());
//   res.set_content(ErrorJson(status), "application/json");
//   sink.write(SseEvent("message", json));
//
// Thread-safety: pure functions. Failure: a code outside the table maps to 500.
#ifndef DATA_FACTORY_SERVICES_GATEWAY_HTTP_STATUS_H_
#define DATA_FACTORY_SERVICES_GATEWAY_HTTP_STATUS_H_

#include <string>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace df::gateway {

int HttpStatusOf(absl::StatusCode code);

// {"code":N,"status":"NAME","message":"..."}; also for OK (the end of a stream).
std::string ErrorJson(const absl::Status& status);

// `text` as a JSON string literal, quotes included (UTF-8 passed through).
std::string JsonString(absl::string_view text);

// One Server-Sent Event: "event: <name>\ndata: <data>\n\n". `data` must be one line
// (protobuf's JSON printer writes one); a newline in it would end the field early,
// so every line becomes its own data: field, as the SSE format joins them.
std::string SseEvent(absl::string_view name, absl::string_view data);

}  // namespace df::gateway

#endif  // DATA_FACTORY_SERVICES_GATEWAY_HTTP_STATUS_H_
