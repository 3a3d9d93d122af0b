// SceneModel and WhiteBalanceReference: what one fixed camera normally sees.
//
// Both work on the per-block linear-light statistics of block_stats.h, as colour
// ratios in log space: a camera's white-balance gain multiplies every pixel's
// channel by the same factor in linear light, so it adds the same constant to every
// block's log(R/G) and log(B/G), whatever the block shows. Content does not: a
// passer-by, a parked car or a lamp changes some blocks and leaves the others.
//
// SceneModel is a slowly updated background (per block: log luma, log colour
// ratios, texture spread; exponential averages) and judges each frame against it:
// black, overexposed, frozen, flat-block (packet loss) or too-few-usable-blocks
// frames are image-quality failures; a frame without colour is night mode; a frame
// whose block structure mostly differs from the background is a scene mismatch; a
// frame where a large part changed colour *and* brightness in one direction while
// the rest did not is a local light. Blocks that differ from the background (people,
// vehicles) are marked `changed` and left out of the gain estimate.
//
// WhiteBalanceReference holds the per-block median colour ratios of the reference
// frames and estimates a frame's gains against it: the median over unchanged usable
// blocks of the per-block log-ratio difference (gain_r = exp(median), R relative to
// G; gain_b likewise), and the spatial uniformity, the fraction of those blocks
// that agree with the median within kAgreementLog. A firmware change moves the
// median and keeps the uniformity; a local change does neither.
//
// Usage:
//   BlockColour colour = ColourOf(blocks);
//   SceneVerdict scene = model.Assess(blocks, colour);
//   model.Learn(blocks, colour, scene);
//   if (scene.condition == FrameCondition::kNormal && reference.ready())
//     GainEstimate g = reference.Estimate(colour, scene.changed);
//
// Thread-safety: not thread-safe; one owner (the stream's detector). Failure: none.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_SCENE_MODEL_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_SCENE_MODEL_H_

#include <array>
#include <bitset>
#include <cstdint>
#include <span>
#include <vector>

#include "services/drift_monitor/core/block_stats.h"
#include "services/drift_monitor/core/drift_cause.h"

namespace df::drift {

// Thresholds of the frame judgement (log units are natural logarithms).
struct SceneThresholds {
  float black_luma = 0.002f;          // mean linear luma below this: a black frame
  float black_fraction = 0.95f;       // or this fraction of dark pixels
  float overexposed_fraction = 0.6f;  // clipped pixels
  float flat_spread = 0.75f;          // 8-bit std below which a block is flat
  float textured_spread = 2.5f;       // background std above which it is textured
  int flat_blocks = 2;                // newly flat blocks that make a frame corrupt
  int min_usable_blocks = 8;          // blocks with usable pixels a frame needs
  float no_colour_chroma = 1.5f;      // mean max-min level below which it is greyscale
  float changed_luma_log = 0.35f;     // |block luma change - median change| (~42 %)
  float changed_colour_log = 0.25f;   // block colour change beyond the median change
  float scene_fraction = 0.5f;        // changed blocks that make a scene mismatch
  float light_colour_log = 0.06f;     // block colour change that counts for a light
  float light_fraction = 0.2f;        // blocks lit (colour change + brighter)
  float light_coherence = 0.6f;       // |mean shift| / mean |shift| of those blocks
  float light_brighter_log = 0.05f;   // their luma rise beyond the median
  float light_texture_log = 0.15f;    // largest change of the block's quarter pattern
};

// A frame's blocks as log colour ratios; NaN where the block is unusable (fewer
// than a quarter of its pixels unclipped and not dark).
struct BlockColour {
  std::array<float, kBlocks> log_rg{};
  std::array<float, kBlocks> log_bg{};
  std::array<float, kBlocks> log_luma{};
  // log(quarter / mean of the quarters) of linear G: the block's coarse texture.
  std::array<std::array<float, 4>, kBlocks> texture{};
};
BlockColour ColourOf(const BlockStats& blocks);

using BlockMask = std::bitset<kBlocks>;

struct SceneVerdict {
  FrameCondition condition = FrameCondition::kNormal;
  float changed_fraction = 0;  // blocks unlike the background (0..1)
  BlockMask changed;           // those blocks
};

// What a SceneModel has learnt from the frames so far: the background (per block,
// exponential averages; NaN colour ratios until the block was usable) and the
// previous frame (for the frozen check). A plain value, so a stream can be saved.
struct SceneMemory {
  bool has_background = false;
  std::array<float, kBlocks> bg_log_luma{};
  std::array<float, kBlocks> bg_log_rg{};  // NaN until the block was usable
  std::array<float, kBlocks> bg_log_bg{};
  std::array<float, kBlocks> bg_spread{};
  std::array<std::array<float, 4>, kBlocks> bg_texture{};
  bool has_previous = false;
  std::array<float, kBlocks> previous_luma{};
  std::array<std::array<float, 3>, kBlocks> previous_linear{};
};

class SceneModel {
 public:
  explicit SceneModel(const SceneThresholds& thresholds = {}) : t_(thresholds) {}

  [[nodiscard]] SceneVerdict Assess(const BlockStats& blocks, const BlockColour& colour) const;
  // Updates the background from a judged frame (quality failures and night-mode
  // frames are ignored; the first usable frame initialises it) and remembers the
  // frame for the frozen check.
  void Learn(const BlockStats& blocks, const BlockColour& colour, const SceneVerdict& verdict);
  // The background starts over from `blocks` (after a confirmed scene change).
  void Restart(const BlockStats& blocks, const BlockColour& colour);
  void Clear();
  bool has_background() const { return memory_.has_background; }
  // What the model has learnt, to save; Restore puts it back (thresholds apart).
  const SceneMemory& memory() const { return memory_; }
  void Restore(const SceneMemory& memory) { memory_ = memory; }

 private:
  void Blend(const BlockStats& blocks, const BlockColour& colour, float weight);
  bool Frozen(const BlockStats& blocks) const;
  FrameCondition ChangedBlocks(const BlockStats& blocks, const BlockColour& colour,
                               SceneVerdict& out) const;

  SceneThresholds t_;
  SceneMemory memory_;
};

struct GainEstimate {
  bool valid = false;     // enough unchanged usable blocks in the frame and reference
  double gain_r = 1.0;    // R gain relative to G against the reference, linear light
  double gain_b = 1.0;    // B gain relative to G
  double uniformity = 0;  // fraction of the blocks agreeing with the median (0..1)
  int blocks = 0;         // blocks that took part
};

// One frame's colour as the reference keeps it (learning frames, the window).
struct StoredColour {
  std::array<float, kBlocks> log_rg{};
  std::array<float, kBlocks> log_bg{};
  BlockMask changed;
};

class WhiteBalanceReference {
 public:
  // Blocks agreeing with the median within this (log units, ~3 %) count as uniform.
  static constexpr float kAgreementLog = 0.03f;

  bool ready() const { return ready_; }
  // Per block, the median of the frames' unchanged usable values; a block usable
  // in fewer than a quarter of them is left out. Replaces the current reference.
  void Build(std::span<const StoredColour> frames);
  void Clear() { ready_ = false; }
  // Per block, the reference's log(R/G) and log(B/G) (NaN: not in the reference),
  // to save; Restore makes a ready reference of them again, unless it holds fewer
  // blocks than Build requires (false; then it is not ready).
  const std::array<float, kBlocks>& log_rg() const { return log_rg_; }
  const std::array<float, kBlocks>& log_bg() const { return log_bg_; }
  [[nodiscard]] bool Restore(const std::array<float, kBlocks>& log_rg,
                             const std::array<float, kBlocks>& log_bg);
  [[nodiscard]] GainEstimate Estimate(const StoredColour& frame) const;

 private:
  bool ready_ = false;
  std::array<float, kBlocks> log_rg_{};  // NaN: block not in the reference
  std::array<float, kBlocks> log_bg_{};
};

StoredColour Store(const BlockColour& colour, const BlockMask& changed);

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_SCENE_MODEL_H_
