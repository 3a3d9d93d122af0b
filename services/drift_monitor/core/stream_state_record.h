// The stored form of one stream's durable state (stream_snapshot.h), the same in
// every StreamStateStore (a file, a Redis value), and the pure functions that write
// and read it: no I/O, so a fuzz target can call the parser on any bytes.
//
// Layout (integers little-endian, floats as their IEEE-754 bits):
//   header   "DFSS" | version u8 (1) | payload bytes u32 | CRC-32 of the payload u32
//   payload  stream id (u8 length + bytes)
//            layout check: blocks u16, scalar features u8, histogram bins u16
//            config: reference_size u32, window_size u32, alpha f64, correction u8,
//                    raise_after u32, clear_after u32, min_effect f64
//            flags u8 (bit 0 pinned, bit 1 has a reference)
//            scene: has_background u8, background luma/rg/bg/spread f32 x blocks,
//                   texture f32 x 4 x blocks, has_previous u8, previous luma f32 x
//                   blocks, previous linear RGB f32 x 3 x blocks
//            reference (if flagged): log_rg, log_bg f32 x blocks, frames u32,
//                   samples f64 x frames per feature, sums f64 per feature,
//                   histogram f64 x bins, uniformity f64
// The payload length in the header makes any truncation or extension visible before
// the checksum is computed; the CRC-32 catches every damaged byte inside.
//
// Usage:
//   std::string record = SerializeStreamStateRecord(snapshot);
//   absl::StatusOr<StreamSnapshot> back = ParseStreamStateRecord(record);
//   if (!back.ok()) report(back.status());   // DATA_LOSS saying what is wrong
//
// Thread-safety: pure functions. Failure: ParseStreamStateRecord returns DATA_LOSS
// naming the problem (too short, not a stream state record, unknown version, length
// mismatch, checksum mismatch, a field out of range, trailing bytes) and never
// aborts, whatever the bytes; a record longer than kMaxStreamStateRecordBytes is
// refused before it is read.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_STREAM_STATE_RECORD_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_STREAM_STATE_RECORD_H_

#include <cstddef>
#include <string>
#include <string_view>

#include "absl/status/statusor.h"
#include "services/drift_monitor/core/stream_snapshot.h"

namespace df::drift {

inline constexpr unsigned char kStreamStateRecordVersion = 1;
// The header's payload length and CRC-32 (bytes 5..12): they tell two records apart
// without reading the payload (the Redis store deletes a key only while it still
// holds the record it saved).
inline constexpr size_t kStreamStateFingerprintOffset = 4 + 1;
inline constexpr size_t kStreamStateFingerprintBytes = 4 + 4;
// A reference of kMaxWindowFrames frames is 8 MB of samples; this leaves room.
inline constexpr size_t kMaxStreamStateRecordBytes = size_t{16} << 20;

[[nodiscard]] std::string SerializeStreamStateRecord(const StreamSnapshot& snapshot);

[[nodiscard]] absl::StatusOr<StreamSnapshot> ParseStreamStateRecord(std::string_view record);

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_STREAM_STATE_RECORD_H_
