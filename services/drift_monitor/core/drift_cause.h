// What a frame looks like to the detector, and why a stream is flagged.
//
// Every judged frame gets a FrameCondition: kNormal frames feed the white-balance
// windows; any other condition keeps the frame out of them and is counted by its
// label (drift_monitor_frames_excluded_total{reason}). A stream's DriftCause says
// why it is flagged: kWhiteBalance is the white-balance drift the service exists to
// find (a uniform per-channel gain change, the `drift` verdict); the others are
// nuisances with their own alarms, raised when frames of one condition persist:
//   image_quality  black, flat-block (packet loss), frozen, overexposed frames,
//                  or frames with too few usable blocks
//   night_mode     frames without colour (an infrared night mode is greyscale)
//   scene_change   the structure no longer matches the background (camera moved,
//                  a cut to another view); the reference is learnt again
//   illumination   a large part of the view changed colour and brightness together
//                  while the rest did not (a porch light, a shop sign)
// The label strings are part of the API (DriftReport.cause, metric labels).
//
// Usage:
//   FrameCondition c = assessment.condition;
//   if (c != FrameCondition::kNormal) count(FrameConditionLabel(c));
//   DriftCause cause = ConditionCause(c);
//
// Thread-safety: constants and pure functions. Failure: none.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_DRIFT_CAUSE_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_DRIFT_CAUSE_H_

#include <array>
#include <string_view>

namespace df::drift {

enum class DriftCause : int {
  kNone = 0,
  kWhiteBalance,
  kSceneChange,
  kIllumination,
  kNightMode,
  kImageQuality,
};
inline constexpr int kNumDriftCauses = 6;
inline constexpr std::array<std::string_view, kNumDriftCauses> kDriftCauseLabels = {
    "none", "white_balance", "scene_change", "illumination", "night_mode", "image_quality"};
// The nuisance causes, each with its own alarm, in the order a report names the
// first one active.
inline constexpr std::array<DriftCause, 4> kNuisanceCauses = {
    DriftCause::kSceneChange, DriftCause::kNightMode, DriftCause::kIllumination,
    DriftCause::kImageQuality};

enum class FrameCondition : int {
  kNormal = 0,
  kBlackFrame,     // (nearly) every pixel black
  kOverexposed,    // most pixels clipped
  kFrozen,         // identical to the previous frame
  kFlatBlock,      // blocks of one flat colour where the background has texture
  kTooFewBlocks,   // too few blocks with usable (unclipped, not dark) pixels
  kNoColour,       // greyscale (night mode)
  kSceneMismatch,  // most blocks differ from the background
  kLocalLight,     // a large part changed colour and brightness coherently
};
inline constexpr int kNumFrameConditions = 9;
inline constexpr std::array<std::string_view, kNumFrameConditions> kFrameConditionLabels = {
    "normal",         "black_frame", "overexposed",    "frozen",     "flat_block",
    "too_few_blocks", "no_colour",   "scene_mismatch", "local_light"};

inline std::string_view DriftCauseLabel(DriftCause c) {
  return kDriftCauseLabels[static_cast<size_t>(c)];
}
inline std::string_view FrameConditionLabel(FrameCondition c) {
  return kFrameConditionLabels[static_cast<size_t>(c)];
}

// The nuisance a frame condition is evidence of (kNone for kNormal).
inline DriftCause ConditionCause(FrameCondition c) {
  switch (c) {
    case FrameCondition::kNormal:
      return DriftCause::kNone;
    case FrameCondition::kNoColour:
      return DriftCause::kNightMode;
    case FrameCondition::kSceneMismatch:
      return DriftCause::kSceneChange;
    case FrameCondition::kLocalLight:
      return DriftCause::kIllumination;
    default:
      return DriftCause::kImageQuality;
  }
}

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_DRIFT_CAUSE_H_
