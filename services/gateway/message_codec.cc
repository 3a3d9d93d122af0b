#include "services/gateway/message_codec.h"

#include <google/protobuf/message.h>
#include <google/protobuf/struct.pb.h>
#include <google/protobuf/util/json_util.h>

#include <memory>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"

namespace df::gateway {
namespace {

namespace pb = google::protobuf;

absl::Status FromProtobuf(const pb::util::Status& status, absl::string_view context) {
  if (status.ok()) return absl::OkStatus();
  return absl::Status(static_cast<absl::StatusCode>(status.code()),
                      absl::StrCat(context, std::string(status.message())));
}

std::unique_ptr<pb::Message> NewMessage(const pb::Descriptor& type) {
  const pb::Message* prototype = pb::MessageFactory::generated_factory()->GetPrototype(&type);
  return std::unique_ptr<pb::Message>(prototype->New());
}

const pb::FieldDescriptor* FieldNamed(const pb::Descriptor& type, absl::string_view name) {
  const pb::FieldDescriptor* field = type.FindFieldByName(std::string(name));
  return field != nullptr ? field : type.FindFieldByCamelcaseName(std::string(name));
}

// Adds one "a.b.c=value" query field to `root` as JSON would spell it: nested
// objects for messages and maps; a bool field gets a JSON bool, anything else a
// string (the JSON parser takes numbers and enum names as strings).
absl::Status AddField(const pb::Descriptor& type, absl::string_view path, absl::string_view value,
                      pb::Struct* root) {
  const std::vector<absl::string_view> parts = absl::StrSplit(path, '.');
  const pb::Descriptor* current = &type;
  pb::Struct* object = root;
  for (size_t i = 0; i < parts.size(); ++i) {
    const bool last = i + 1 == parts.size();
    const pb::FieldDescriptor* field =
        current == nullptr ? nullptr : FieldNamed(*current, parts[i]);
    if (current != nullptr && field == nullptr) {
      return absl::InvalidArgumentError(absl::StrCat("query field '", path, "': ", type.name(),
                                                     " has no field '", parts[i], "'"));
    }
    pb::Value& slot = (*object->mutable_fields())[std::string(parts[i])];
    if (last) {
      const bool is_bool = field != nullptr && field->type() == pb::FieldDescriptor::TYPE_BOOL;
      if (is_bool && (value == "true" || value == "false")) {
        slot.set_bool_value(value == "true");
      } else if (field != nullptr && field->is_repeated() && !field->is_map()) {
        slot.mutable_list_value()->add_values()->set_string_value(std::string(value));
      } else {
        slot.set_string_value(std::string(value));
      }
      return absl::OkStatus();
    }
    if (field != nullptr && field->type() != pb::FieldDescriptor::TYPE_MESSAGE) {
      return absl::InvalidArgumentError(
          absl::StrCat("query field '", path, "': '", parts[i], "' is not a message or map"));
    }
    // Inside a map the next part is a key: nothing more to check below it.
    current = field != nullptr && !field->is_map() ? field->message_type() : nullptr;
    object = slot.mutable_struct_value();
  }
  return absl::OkStatus();
}

absl::Status ParseJsonInto(absl::string_view json, pb::Message* message,
                           absl::string_view context) {
  pb::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  return FromProtobuf(
      pb::util::JsonStringToMessage(pb::StringPiece(json.data(), json.size()), message, options),
      context);
}

}  // namespace

const pb::FieldDescriptor* SoleBytesField(const pb::Descriptor& type) {
  const pb::FieldDescriptor* found = nullptr;
  for (int i = 0; i < type.field_count(); ++i) {
    const pb::FieldDescriptor* field = type.field(i);
    if (field->type() != pb::FieldDescriptor::TYPE_BYTES || field->is_repeated()) continue;
    if (found != nullptr) return nullptr;
    found = field;
  }
  return found;
}

absl::StatusOr<std::string> EncodeRequest(const pb::Descriptor& type, const HttpMessage& message) {
  std::unique_ptr<pb::Message> request = NewMessage(type);
  if (!message.json.empty()) {
    if (absl::Status s = ParseJsonInto(message.json, request.get(), "request body: "); !s.ok()) {
      return s;
    }
  }
  if (!message.fields.empty()) {
    pb::Struct fields;
    for (const auto& [path, value] : message.fields) {
      if (absl::Status s = AddField(type, path, value, &fields); !s.ok()) return s;
    }
    std::string json;
    if (absl::Status s = FromProtobuf(pb::util::MessageToJsonString(fields, &json), ""); !s.ok()) {
      return s;
    }
    std::unique_ptr<pb::Message> from_query = NewMessage(type);
    if (absl::Status s = ParseJsonInto(json, from_query.get(), "query fields: "); !s.ok()) {
      return s;
    }
    request->MergeFrom(*from_query);
  }
  if (message.binary.has_value()) {
    const pb::FieldDescriptor* field = SoleBytesField(type);
    if (field == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat(type.name(), " has no single bytes field to take a binary body; send JSON"));
    }
    request->GetReflection()->SetString(request.get(), field, *message.binary);
  }
  return request->SerializeAsString();
}

absl::StatusOr<std::string> DecodeResponse(const pb::Descriptor& type,
                                           absl::string_view wire_bytes) {
  std::unique_ptr<pb::Message> response = NewMessage(type);
  if (!response->ParseFromArray(wire_bytes.data(), static_cast<int>(wire_bytes.size()))) {
    return absl::InternalError(absl::StrCat("the backend's ", type.full_name(), " did not parse (",
                                            wire_bytes.size(), " bytes)"));
  }
  pb::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  if (absl::Status s =
          FromProtobuf(pb::util::MessageToJsonString(*response, &json, options), "response: ");
      !s.ok()) {
    return s;
  }
  return json;
}

}  // namespace df::gateway
