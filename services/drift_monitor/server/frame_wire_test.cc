#include "services/drift_monitor/server/frame_wire.h"

#include <google/protobuf/descriptor.h>
#include <gtest/gtest.h>

#include <string>

namespace df::drift {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;

grpc::ByteBuffer Buffer(const std::string& bytes) {
  grpc::Slice slice(bytes);
  return grpc::ByteBuffer(&slice, 1);
}

// Two fields are the same on the wire: string and bytes are both length-delimited
// bytes, an enum is a varint like int32, a map is repeated key = 1 / value = 2 entries.
void ExpectSameOnTheWire(const Descriptor& api, const Descriptor& wire_form) {
  ASSERT_EQ(api.field_count(), wire_form.field_count()) << api.full_name();
  for (int i = 0; i < api.field_count(); ++i) {
    const FieldDescriptor& a = *api.field(i);
    const FieldDescriptor* w = wire_form.FindFieldByNumber(a.number());
    ASSERT_NE(w, nullptr) << a.full_name() << " has no field " << a.number() << " in "
                          << wire_form.full_name();
    EXPECT_EQ(a.name(), w->name()) << a.full_name();
    EXPECT_EQ(a.is_repeated(), w->is_repeated()) << a.full_name();
    EXPECT_EQ(a.containing_oneof() != nullptr, w->containing_oneof() != nullptr) << a.full_name();
    const auto kind = [](const FieldDescriptor& f) {
      switch (f.type()) {
        case FieldDescriptor::TYPE_STRING:
        case FieldDescriptor::TYPE_BYTES:
          return FieldDescriptor::TYPE_BYTES;
        case FieldDescriptor::TYPE_ENUM:
          return FieldDescriptor::TYPE_INT32;
        default:
          return f.type();
      }
    };
    EXPECT_EQ(kind(a), kind(*w)) << a.full_name();
    if (a.type() == FieldDescriptor::TYPE_MESSAGE && a.message_type() != w->message_type()) {
      ExpectSameOnTheWire(*a.message_type(), *w->message_type());
    }
  }
}

TEST(FrameWireTest, ReadsFramesTheWayTheApiWritesThem) {
  ExpectSameOnTheWire(*pb::Frame::descriptor(), *wire::FrameWire::descriptor());
}

TEST(FrameWireTest, ParsesAnApiFrameIntoViews) {
  pb::Frame frame;
  frame.set_stream_id("door-17");
  frame.set_sequence(42);
  (*frame.mutable_labels())["city"] = "Z\xC3\xBCrich";
  frame.mutable_capture_time()->set_seconds(1700000000);
  frame.mutable_capture_time()->set_nanos(500);
  pb::RawImage* raw = frame.mutable_raw();
  raw->set_format(pb::PIXEL_FORMAT_RGB8);
  raw->set_width(2);
  raw->set_height(1);
  raw->set_pixels("abcdef");

  wire::FrameWire parsed;
  ASSERT_TRUE(ParseFrameWire(Buffer(frame.SerializeAsString()), &parsed));
  EXPECT_EQ(parsed.sequence(), 42u);
  const FrameInput in = FrameInputFromWire(parsed);
  EXPECT_EQ(in.stream_id, "door-17");
  ASSERT_EQ(in.labels.size(), 1u);
  EXPECT_EQ(in.labels[0].first, "city");
  EXPECT_EQ(in.labels[0].second, "Z\xC3\xBCrich");
  ASSERT_EQ(in.image.kind, ImageInput::Kind::kRaw);
  EXPECT_EQ(in.image.format, PixelFormat::kRgb8);
  EXPECT_EQ(in.image.width, 2u);
  EXPECT_EQ(in.image.pixels, "abcdef");
  EXPECT_EQ(in.image.pixels.data(), parsed.raw().pixels().data());  // a view, not a copy
  ASSERT_TRUE(in.capture_time.has_value());
  EXPECT_EQ(*in.capture_time, absl::FromUnixSeconds(1700000000) + absl::Nanoseconds(500));
  EXPECT_EQ(ReportStreamId(parsed), "door-17");
}

TEST(FrameWireTest, AFrameWhoseTextIsNotUtf8StillParses) {
  wire::FrameWire bad;
  bad.set_stream_id("door-\xFF");
  bad.set_sequence(7);
  bad.set_encoded("jpeg bytes");
  const std::string bytes = bad.SerializeAsString();
  pb::Frame as_api;
  EXPECT_FALSE(as_api.ParseFromString(bytes));  // why Ingest reads FrameWire

  wire::FrameWire parsed;
  ASSERT_TRUE(ParseFrameWire(Buffer(bytes), &parsed));
  EXPECT_EQ(parsed.sequence(), 7u);
  EXPECT_EQ(FrameInputFromWire(parsed).stream_id, "door-\xFF");  // validation refuses it
  EXPECT_EQ(ReportStreamId(parsed), "");                         // never echoed into a string field
}

TEST(FrameWireTest, BytesThatAreNoFrameDoNotParse) {
  wire::FrameWire parsed;
  parsed.set_sequence(3);
  EXPECT_FALSE(ParseFrameWire(Buffer(std::string("\xFF\xFF\xFF\xFF", 4)), &parsed));
  EXPECT_EQ(parsed.sequence(), 0u);                                                // cleared
  EXPECT_FALSE(ParseFrameWire(Buffer(std::string("\x22\x10short", 7)), &parsed));  // truncated
  const Rejection rejection = MalformedFrameRejection();
  EXPECT_EQ(rejection.reason, FrameRejection::kMalformedFrame);
  EXPECT_EQ(rejection.status.code(), absl::StatusCode::kInvalidArgument);
}

TEST(FrameWireTest, ARepeatedLabelKeepsItsLastValueAsAMapWould) {
  wire::FrameWire frame;
  for (const auto& [k, v] :
       {std::pair{"city", "lyon"}, std::pair{"camera", "c1"}, std::pair{"city", "porto"}}) {
    wire::LabelWire* label = frame.add_labels();
    label->set_key(k);
    label->set_value(v);
  }
  pb::Frame as_api;
  ASSERT_TRUE(as_api.ParseFromString(frame.SerializeAsString()));
  ASSERT_EQ(as_api.labels().at("city"), "porto");

  const FrameInput in = FrameInputFromWire(frame);
  ASSERT_EQ(in.labels.size(), 2u);
  EXPECT_EQ(in.labels[0], (FrameLabel{"camera", "c1"}));
  EXPECT_EQ(in.labels[1], (FrameLabel{"city", "porto"}));
}

TEST(FrameWireTest, AReportSerialisesToOneMessage) {
  pb::DriftReport report;
  report.set_stream_id("door-17");
  report.set_sequence(9);
  grpc::ByteBuffer buffer = SerializeReport(report);
  std::vector<grpc::Slice> slices;
  ASSERT_TRUE(buffer.Dump(&slices).ok());
  std::string bytes;
  for (const grpc::Slice& s : slices)
    bytes.append(reinterpret_cast<const char*>(s.begin()), s.size());
  pb::DriftReport back;
  ASSERT_TRUE(back.ParseFromString(bytes));
  EXPECT_EQ(back.stream_id(), "door-17");
  EXPECT_EQ(back.sequence(), 9u);
}

}  // namespace
}  // namespace df::drift
