#include "services/gateway/message_codec.h"

#include <gtest/gtest.h>

#include "datafactory/drift/v1/drift_monitor.pb.h"
#include "datafactory/factory/v1/factory_sim.pb.h"

namespace df::gateway {
namespace {

namespace drift = datafactory::drift::v1;
namespace factory = datafactory::factory::v1;

TEST(EncodeRequest, JsonWithTheProtoFieldNames) {
  HttpMessage in;
  in.json = R"({"selection": {"scenario": "act2", "set": ["storage_tier=nvme"]},
               "session_id": "alice"})";
  absl::StatusOr<std::string> wire = EncodeRequest(*factory::EvaluateRequest::descriptor(), in);
  ASSERT_TRUE(wire.ok()) << wire.status();
  factory::EvaluateRequest request;
  ASSERT_TRUE(request.ParseFromString(*wire));
  EXPECT_EQ(request.selection().scenario(), "act2");
  ASSERT_EQ(request.selection().set_size(), 1);
  EXPECT_EQ(request.selection().set(0), "storage_tier=nvme");
  EXPECT_EQ(request.session_id(), "alice");
}

TEST(EncodeRequest, EmptyBodyIsTheEmptyMessage) {
  absl::StatusOr<std::string> wire =
      EncodeRequest(*factory::ListScenariosRequest::descriptor(), HttpMessage{});
  ASSERT_TRUE(wire.ok()) << wire.status();
  EXPECT_TRUE(wire->empty());
}

TEST(EncodeRequest, UnknownFieldsAndBadValuesNameTheField) {
  HttpMessage unknown;
  unknown.json = R"({"selection": {"scenario": "act2"}, "sesion_id": "x"})";
  absl::StatusOr<std::string> wire =
      EncodeRequest(*factory::EvaluateRequest::descriptor(), unknown);
  EXPECT_EQ(wire.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_NE(wire.status().message().find("sesion_id"), std::string::npos) << wire.status();

  HttpMessage bad_value;
  bad_value.json = R"({"page_size": "many"})";
  wire = EncodeRequest(*factory::GetAuditTrailRequest::descriptor(), bad_value);
  EXPECT_EQ(wire.status().code(), absl::StatusCode::kInvalidArgument);

  HttpMessage not_json;
  not_json.json = "{";
  wire = EncodeRequest(*factory::EvaluateRequest::descriptor(), not_json);
  EXPECT_EQ(wire.status().code(), absl::StatusCode::kInvalidArgument);
}

TEST(EncodeRequest, BinaryBodyFillsTheOneBytesFieldAndQueryFieldsTheRest) {
  HttpMessage in;
  in.binary = std::string("\xff\xd8\xff\x00jpeg", 8);
  in.fields = {{"stream_id", "cam-1"}, {"sequence", "42"}, {"labels.city", "lyon"}};
  absl::StatusOr<std::string> wire = EncodeRequest(*drift::Frame::descriptor(), in);
  ASSERT_TRUE(wire.ok()) << wire.status();
  drift::Frame frame;
  ASSERT_TRUE(frame.ParseFromString(*wire));
  EXPECT_EQ(frame.encoded(), *in.binary);
  EXPECT_EQ(frame.stream_id(), "cam-1");
  EXPECT_EQ(frame.sequence(), 42u);
  EXPECT_EQ(frame.labels().at("city"), "lyon");
}

TEST(EncodeRequest, QueryFieldsReachNestedMessagesBoolsAndRepeatedFields) {
  HttpMessage in;
  in.fields = {{"selection.scenario", "act1"}, {"selection.set", "dedup=30%"}};
  absl::StatusOr<std::string> wire = EncodeRequest(*factory::EvaluateRequest::descriptor(), in);
  ASSERT_TRUE(wire.ok()) << wire.status();
  factory::EvaluateRequest request;
  ASSERT_TRUE(request.ParseFromString(*wire));
  EXPECT_EQ(request.selection().scenario(), "act1");
  ASSERT_EQ(request.selection().set_size(), 1);
  EXPECT_EQ(request.selection().set(0), "dedup=30%");

  HttpMessage unknown;
  unknown.fields = {{"selection.nope", "1"}};
  EXPECT_EQ(EncodeRequest(*factory::EvaluateRequest::descriptor(), unknown).status().code(),
            absl::StatusCode::kInvalidArgument);
}

TEST(EncodeRequest, BinaryBodyForAMessageWithoutABytesFieldIsRefused) {
  HttpMessage in;
  in.binary = "abc";
  absl::StatusOr<std::string> wire = EncodeRequest(*factory::EvaluateRequest::descriptor(), in);
  EXPECT_EQ(wire.status().code(), absl::StatusCode::kInvalidArgument);
  EXPECT_EQ(SoleBytesField(*factory::EvaluateRequest::descriptor()), nullptr);
  ASSERT_NE(SoleBytesField(*drift::Frame::descriptor()), nullptr);
  EXPECT_EQ(SoleBytesField(*drift::Frame::descriptor())->name(), "encoded");
}

TEST(DecodeResponse, ProtoNamesDefaultsIncludedEnumsByName) {
  factory::Badge badge;
  badge.set_id("egress_under_100k");
  badge.set_ok(false);
  factory::Report report;
  *report.add_badges() = badge;
  report.mutable_levers()->set_storage_tier(factory::STORAGE_TIER_LOCAL_NVME);
  factory::EvaluateResponse response;
  *response.mutable_report() = report;
  absl::StatusOr<std::string> json =
      DecodeResponse(*factory::EvaluateResponse::descriptor(), response.SerializeAsString());
  ASSERT_TRUE(json.ok()) << json.status();
  EXPECT_NE(json->find(R"("ok":false)"), std::string::npos) << *json;
  EXPECT_NE(json->find(R"("storage_tier":"STORAGE_TIER_LOCAL_NVME")"), std::string::npos);
  EXPECT_NE(json->find(R"("persona_label":"")"), std::string::npos);
  EXPECT_EQ(json->find('\n'), std::string::npos);
}

TEST(DecodeResponse, BytesThatDoNotParseAreInternal) {
  absl::StatusOr<std::string> json =
      DecodeResponse(*factory::EvaluateResponse::descriptor(), "\xff\xff\xff");
  EXPECT_EQ(json.status().code(), absl::StatusCode::kInternal);
}

}  // namespace
}  // namespace df::gateway
