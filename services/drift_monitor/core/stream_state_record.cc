#include "services/drift_monitor/core/stream_state_record.h"

#include <bit>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "services/common/storage/checksum.h"
#include "services/drift_monitor/core/frame_validation.h"

namespace df::drift {
namespace {

constexpr std::string_view kMagic = "DFSS";
// magic, version, then the fingerprint: payload bytes, CRC-32
constexpr size_t kHeaderBytes = kStreamStateFingerprintOffset + kStreamStateFingerprintBytes;
static_assert(kStreamStateFingerprintOffset == kMagic.size() + 1);
constexpr uint8_t kPinned = 1;
constexpr uint8_t kHasReference = 2;

// An unsigned integer of T's size, for the little-endian byte order.
template <typename T>
using Bits =
    std::conditional_t<sizeof(T) == 1, uint8_t,
                       std::conditional_t<sizeof(T) == 2, uint16_t,
                                          std::conditional_t<sizeof(T) == 4, uint32_t, uint64_t>>>;

template <typename T>
void PutScalar(std::string& out, T value) {
  auto bits = std::bit_cast<Bits<T>>(value);
  for (size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>((bits >> (8 * i)) & 0xff));
}

// The payload's fields are listed once, in Visit() below, for both directions: a
// Writer appends each field, a Reader fills it (and stops at the first problem).
class Writer {
 public:
  template <typename T>
  bool Scalar(T& value) {
    PutScalar(out_, value);
    return true;
  }
  bool Flag(bool& value) {
    uint8_t byte = value ? 1 : 0;
    return Scalar(byte);
  }
  void Section(const char*) {}
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class Reader {
 public:
  explicit Reader(std::string_view bytes) : bytes_(bytes) {}
  template <typename T>
  bool Scalar(T& value) {
    if (bytes_.size() < sizeof(T)) return Fail("the record ends inside it");
    Bits<T> bits = 0;
    for (size_t i = 0; i < sizeof(T); ++i) {
      bits |=
          static_cast<Bits<T>>(static_cast<Bits<T>>(static_cast<uint8_t>(bytes_[i])) << (8 * i));
    }
    bytes_.remove_prefix(sizeof(T));
    value = std::bit_cast<T>(bits);
    return true;
  }
  bool Flag(bool& value) {
    uint8_t byte = 0;
    if (!Scalar(byte)) return false;
    if (byte > 1) return Fail(absl::StrCat("a flag is ", byte, ", not 0 or 1"));
    value = byte == 1;
    return true;
  }
  bool Take(size_t n, std::string_view& out) {
    if (bytes_.size() < n) return Fail("the record ends inside it");
    out = bytes_.substr(0, n);
    bytes_.remove_prefix(n);
    return true;
  }
  void Section(const char* section) { section_ = section; }
  bool Fail(absl::string_view why) {
    if (error_.empty()) error_ = absl::StrCat(section_, ": ", why);
    return false;
  }
  size_t remaining() const { return bytes_.size(); }
  const std::string& error() const { return error_; }

 private:
  std::string_view bytes_;
  const char* section_ = "payload";
  std::string error_;
};

template <typename Io, typename T, size_t N>
bool Array(Io& io, std::array<T, N>& values) {
  for (T& v : values) {
    if constexpr (std::is_arithmetic_v<T>) {
      if (!io.Scalar(v)) return false;
    } else if (!Array(io, v)) {
      return false;
    }
  }
  return true;
}

template <typename Io>
bool VisitScene(Io& io, SceneMemory& m) {
  io.Section("scene background");
  return io.Flag(m.has_background) && Array(io, m.bg_log_luma) && Array(io, m.bg_log_rg) &&
         Array(io, m.bg_log_bg) && Array(io, m.bg_spread) && Array(io, m.bg_texture) &&
         io.Flag(m.has_previous) && Array(io, m.previous_luma) && Array(io, m.previous_linear);
}

template <typename Io>
bool VisitConfig(Io& io, DetectorConfig& c, uint8_t& correction) {
  io.Section("config");
  return io.Scalar(c.reference_size) && io.Scalar(c.window_size) && io.Scalar(c.alpha) &&
         io.Scalar(correction) && io.Scalar(c.raise_after) && io.Scalar(c.clear_after) &&
         io.Scalar(c.min_effect);
}

// The sizes the arrays were written with; a build with other sizes cannot read them.
template <typename Io>
bool VisitLayout(Io& io, uint16_t& blocks, uint8_t& features, uint16_t& bins) {
  io.Section("layout");
  return io.Scalar(blocks) && io.Scalar(features) && io.Scalar(bins);
}

template <typename Io>
bool VisitReferenceTail(Io& io, LearntReference& r) {
  io.Section("reference");
  return Array(io, r.sums) && Array(io, r.histogram) && io.Scalar(r.uniformity);
}

absl::Status Damaged(absl::string_view why) {
  return absl::DataLossError(absl::StrCat("stream state record: ", why));
}

uint32_t ReadU32(std::string_view bytes) {
  uint32_t v = 0;
  for (size_t i = 0; i < 4; ++i)
    v |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])) << (8 * i);
  return v;
}

absl::StatusOr<StreamSnapshot> ParsePayload(std::string_view payload) {
  Reader in(payload);
  StreamSnapshot out;
  DetectorSnapshot& d = out.detector;
  uint8_t id_bytes = 0;
  std::string_view id;
  in.Section("stream id");
  if (!in.Scalar(id_bytes) || !in.Take(id_bytes, id)) return Damaged(in.error());
  absl::StatusOr<StreamId> stream_id = StreamId::Parse(id);
  if (!stream_id.ok()) return Damaged(stream_id.status().message());
  out.stream_id = stream_id->value();
  uint16_t blocks = 0, bins = 0;
  uint8_t features = 0;
  if (!VisitLayout(in, blocks, features, bins)) return Damaged(in.error());
  if (blocks != kBlocks || features != kNumScalarFeatures || bins != kHistogramBins) {
    return Damaged(absl::StrCat("written for ", blocks, " blocks, ", features, " features and ",
                                bins, " histogram bins; this build has ", kBlocks, ", ",
                                kNumScalarFeatures, " and ", kHistogramBins));
  }
  uint8_t correction = 0;
  if (!VisitConfig(in, d.config, correction)) return Damaged(in.error());
  if (correction > static_cast<uint8_t>(df::stats::Correction::kBenjaminiHochberg)) {
    return Damaged(absl::StrCat("config: correction ", correction, " is unknown"));
  }
  d.config.correction = static_cast<df::stats::Correction>(correction);
  if (absl::Status s = ValidateDetectorConfig(d.config); !s.ok()) {
    return Damaged(absl::StrCat("config: ", s.message()));
  }
  uint8_t flags = 0;
  in.Section("flags");
  if (!in.Scalar(flags)) return Damaged(in.error());
  if ((flags & ~(kPinned | kHasReference)) != 0) {
    return Damaged(absl::StrCat("flags: unknown bits in ", flags));
  }
  d.pinned = (flags & kPinned) != 0;
  if (!VisitScene(in, d.scene)) return Damaged(in.error());
  if ((flags & kHasReference) != 0) {
    LearntReference& r = d.reference.emplace();
    uint32_t frames = 0;
    in.Section("reference");
    if (!Array(in, r.log_rg) || !Array(in, r.log_bg) || !in.Scalar(frames)) {
      return Damaged(in.error());
    }
    if (frames > kMaxWindowFrames ||
        size_t{frames} * sizeof(double) * kNumScalarFeatures > in.remaining()) {
      return Damaged(absl::StrCat("reference: ", frames, " frames do not fit the record"));
    }
    for (std::vector<double>& sample : r.samples) {
      sample.resize(frames);
      for (double& x : sample) in.Scalar(x);  // fits: checked above
    }
    if (!VisitReferenceTail(in, r)) return Damaged(in.error());
  }
  if (in.remaining() != 0) {
    return Damaged(absl::StrCat(in.remaining(), " bytes follow the last field"));
  }
  return out;
}

}  // namespace

std::string SerializeStreamStateRecord(const StreamSnapshot& snapshot) {
  // Visit takes mutable references for both directions; the writer only reads them.
  StreamSnapshot s = snapshot;
  DetectorSnapshot& d = s.detector;
  Writer w;
  std::string& out = w.out();
  out.push_back(static_cast<char>(s.stream_id.size()));
  out += s.stream_id;
  uint16_t blocks = kBlocks, bins = kHistogramBins;
  uint8_t features = kNumScalarFeatures;
  VisitLayout(w, blocks, features, bins);
  auto correction = static_cast<uint8_t>(d.config.correction);
  VisitConfig(w, d.config, correction);
  uint8_t flags = (d.pinned ? kPinned : 0) | (d.reference.has_value() ? kHasReference : 0);
  w.Scalar(flags);
  VisitScene(w, d.scene);
  if (d.reference.has_value()) {
    LearntReference& r = *d.reference;
    uint32_t frames = r.frames();
    Array(w, r.log_rg);
    Array(w, r.log_bg);
    w.Scalar(frames);
    for (std::vector<double>& sample : r.samples) {
      for (double& x : sample) w.Scalar(x);
    }
    VisitReferenceTail(w, r);
  }
  std::string record(kMagic);
  record.push_back(static_cast<char>(kStreamStateRecordVersion));
  PutScalar(record, static_cast<uint32_t>(out.size()));
  PutScalar(record, df::storage::Crc32(out));
  record += out;
  return record;
}

absl::StatusOr<StreamSnapshot> ParseStreamStateRecord(std::string_view record) {
  if (record.size() > kMaxStreamStateRecordBytes) {
    return Damaged(absl::StrCat(record.size(), " bytes, more than the largest record (",
                                kMaxStreamStateRecordBytes, ")"));
  }
  if (record.size() < kHeaderBytes) {
    return Damaged(
        absl::StrCat(record.size(), " bytes, shorter than its ", kHeaderBytes, "-byte header"));
  }
  if (record.substr(0, kMagic.size()) != kMagic) {
    return Damaged("does not start with DFSS (not a stream state record)");
  }
  const auto version = static_cast<uint8_t>(record[4]);
  if (version != kStreamStateRecordVersion) {
    return Damaged(absl::StrCat("format version ", version, " is unknown (this build reads ",
                                kStreamStateRecordVersion, ")"));
  }
  const uint32_t payload_bytes = ReadU32(record.substr(5));
  const std::string_view payload = record.substr(kHeaderBytes);
  if (payload.size() != payload_bytes) {
    return Damaged(absl::StrCat("the header announces ", payload_bytes, " payload bytes, ",
                                payload.size(), " follow (truncated or extended)"));
  }
  if (df::storage::Crc32(payload) != ReadU32(record.substr(9))) {
    return Damaged("checksum mismatch (the stored bytes were damaged)");
  }
  return ParsePayload(payload);
}

}  // namespace df::drift
