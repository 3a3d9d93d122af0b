// UTF-8 validity, as protobuf's `string` fields require it.
//
// The server reads frames with their text fields as bytes (see
// server/frame_wire.proto), so that one frame with a bad stream id or label is
// refused on its own instead of ending the whole Ingest call; this is the check
// those fields then go through.
//
// Usage:
//   if (!IsValidUtf8(label_value)) return InvalidArgument(...);
//
// Thread-safety: a pure function. Failure: none.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_UTF8_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_UTF8_H_

#include <string_view>

namespace df::drift {

// True if `text` is well-formed UTF-8 (RFC 3629): no overlong forms, no surrogates
// (U+D800..U+DFFF), nothing above U+10FFFF, no truncated sequence.
bool IsValidUtf8(std::string_view text);

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_UTF8_H_
