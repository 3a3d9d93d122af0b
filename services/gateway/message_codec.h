// Converting between what the page sends or reads (JSON, query fields, a binary
// body) and gRPC wire bytes, for any message type, with protobuf's JSON mapping.
//
// Requests: `json` (empty means {}) is parsed into the message; `fields` are
// "path=value" pairs from the URL query, a path naming a field ("sequence"), a
// nested field ("selection.scenario") or a map entry ("labels.city"); `binary`, a
// non-JSON body (a JPEG frame), goes into the message's only top-level `bytes`
// field (Frame.encoded). Unknown fields and bad values are INVALID_ARGUMENT with the
// parser's message naming the field.
// Responses: JSON with the field names of the .proto (preserve_proto_field_names),
// fields at their default value included (a badge's "ok": false is sent), enums by
// name, 64-bit integers as strings (the JSON mapping), one line.
//
// Usage:
//   HttpMessage in;
//   in.fields = {{"stream_id", "cam-1"}, {"sequence", "7"}, {"labels.city", "lyon"}};
//   in.binary = jpeg_bytes;
//   absl::StatusOr<std::string> wire = EncodeRequest(*Frame::descriptor(), in);
//   absl::StatusOr<std::string> json = DecodeResponse(*DriftReport::descriptor(), reply);
//
// Thread-safety: pure functions over descriptors of the generated pool (any thread).
// Failure: INVALID_ARGUMENT for bad input; INTERNAL when response bytes do not parse.
#ifndef DATA_FACTORY_SERVICES_GATEWAY_MESSAGE_CODEC_H_
#define DATA_FACTORY_SERVICES_GATEWAY_MESSAGE_CODEC_H_

#include <google/protobuf/descriptor.h>

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace df::gateway {

struct HttpMessage {
  std::string json;                                         // empty: {}
  std::vector<std::pair<std::string, std::string>> fields;  // path -> value
  std::optional<std::string> binary;                        // a non-JSON body
};

[[nodiscard]] absl::StatusOr<std::string> EncodeRequest(const google::protobuf::Descriptor& type,
                                                        const HttpMessage& message);

[[nodiscard]] absl::StatusOr<std::string> DecodeResponse(const google::protobuf::Descriptor& type,
                                                         absl::string_view wire_bytes);

// The only top-level non-repeated `bytes` field of `type`, or null when it has none
// or several.
const google::protobuf::FieldDescriptor* SoleBytesField(const google::protobuf::Descriptor& type);

}  // namespace df::gateway

#endif  // DATA_FACTORY_SERVICES_GATEWAY_MESSAGE_CODEC_H_
