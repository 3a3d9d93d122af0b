#include "services/drift_monitor/core/scene_model.h"

#include <algorithm>
#include <cmath>
#include <limits>

namespace df::drift {
namespace {

constexpr float kNaN = std::numeric_limits<float>::quiet_NaN();
// Background weight of a normal frame (an exponential average over ~32 frames).
constexpr float kNormalWeight = 1.0f / 32;
// Blocks a gain estimate needs (of kBlocks).
constexpr int kMinGainBlocks = 8;

// Median of the first n values (reorders them); NaN when n == 0.
float Median(std::array<float, kBlocks>& values, int n) {
  if (n == 0) return kNaN;
  auto mid = values.begin() + n / 2;
  std::nth_element(values.begin(), mid, values.begin() + n);
  if (n % 2 == 1) return *mid;
  const float upper = *mid;
  const float lower = *std::max_element(values.begin(), mid);
  return 0.5f * (lower + upper);
}

float MedianOf(std::vector<float>& values) {
  if (values.empty()) return kNaN;
  auto mid = values.begin() + static_cast<std::ptrdiff_t>(values.size() / 2);
  std::nth_element(values.begin(), mid, values.end());
  if (values.size() % 2 == 1) return *mid;
  return 0.5f * (*mid + *std::max_element(values.begin(), mid));
}

bool Quality(FrameCondition c) {
  return ConditionCause(c) == DriftCause::kImageQuality || c == FrameCondition::kNoColour;
}

}  // namespace

BlockColour ColourOf(const BlockStats& blocks) {
  BlockColour out;
  for (size_t b = 0; b < kBlocks; ++b) {
    out.log_luma[b] = std::log(std::max(blocks.luma[b], 1e-4f));
    const auto& q = blocks.quarter[b];
    const float mean = std::max(1e-4f, 0.25f * (q[0] + q[1] + q[2] + q[3]));
    for (size_t i = 0; i < 4; ++i) out.texture[b][i] = std::log(std::max(q[i], 1e-4f) / mean);
    const uint32_t enough = std::max<uint32_t>(8, blocks.pixels[b] / 4);
    const auto& lin = blocks.linear[b];
    if (blocks.usable[b] < enough || lin[kGreen] <= 0 || lin[kRed] <= 0 || lin[kBlue] <= 0) {
      out.log_rg[b] = out.log_bg[b] = kNaN;
      continue;
    }
    out.log_rg[b] = std::log(lin[kRed] / lin[kGreen]);
    out.log_bg[b] = std::log(lin[kBlue] / lin[kGreen]);
  }
  return out;
}

StoredColour Store(const BlockColour& colour, const BlockMask& changed) {
  return StoredColour{colour.log_rg, colour.log_bg, changed};
}

bool SceneModel::Frozen(const BlockStats& blocks) const {
  return memory_.has_previous && blocks.luma == memory_.previous_luma &&
         blocks.linear == memory_.previous_linear;
}

SceneVerdict SceneModel::Assess(const BlockStats& blocks, const BlockColour& colour) const {
  SceneVerdict out;
  float luma = 0;
  int usable = 0, flat = 0;
  for (size_t b = 0; b < kBlocks; ++b) {
    luma += blocks.luma[b];
    usable += !std::isnan(colour.log_rg[b]);
    const bool flat_block = blocks.spread[b] < t_.flat_spread && blocks.level[b] >= kDarkLevel &&
                            blocks.level[b] < kClippedLevel;
    flat += flat_block && (!memory_.has_background || memory_.bg_spread[b] > t_.textured_spread);
  }
  luma /= kBlocks;
  if (luma < t_.black_luma || blocks.dark_fraction >= t_.black_fraction) {
    out.condition = FrameCondition::kBlackFrame;
  } else if (blocks.clipped_fraction >= t_.overexposed_fraction) {
    out.condition = FrameCondition::kOverexposed;
  } else if (Frozen(blocks)) {
    out.condition = FrameCondition::kFrozen;
  } else if (flat >= (memory_.has_background ? t_.flat_blocks : 2 * t_.flat_blocks)) {
    out.condition = FrameCondition::kFlatBlock;
  } else if (usable < t_.min_usable_blocks) {
    out.condition = FrameCondition::kTooFewBlocks;
  } else if (blocks.chroma < t_.no_colour_chroma) {
    out.condition = FrameCondition::kNoColour;
  } else if (memory_.has_background) {
    out.condition = ChangedBlocks(blocks, colour, out);
  }
  return out;
}

FrameCondition SceneModel::ChangedBlocks(const BlockStats& /*blocks*/, const BlockColour& colour,
                                         SceneVerdict& out) const {
  std::array<float, kBlocks> dl{}, dr{}, db{}, scratch{};
  std::array<bool, kBlocks> both{};
  int n_both = 0;
  for (size_t b = 0; b < kBlocks; ++b) {
    dl[b] = colour.log_luma[b] - memory_.bg_log_luma[b];
    both[b] = !std::isnan(colour.log_rg[b]) && !std::isnan(memory_.bg_log_rg[b]);
    if (both[b]) {
      dr[b] = colour.log_rg[b] - memory_.bg_log_rg[b];
      db[b] = colour.log_bg[b] - memory_.bg_log_bg[b];
      ++n_both;
    }
  }
  scratch = dl;
  const float med_l = Median(scratch, kBlocks);
  int k = 0;
  for (size_t b = 0; b < kBlocks; ++b) {
    if (both[b]) scratch[static_cast<size_t>(k++)] = dr[b];
  }
  const float med_r = k > 0 ? Median(scratch, k) : 0.0f;
  k = 0;
  for (size_t b = 0; b < kBlocks; ++b) {
    if (both[b]) scratch[static_cast<size_t>(k++)] = db[b];
  }
  const float med_b = k > 0 ? Median(scratch, k) : 0.0f;

  int lit = 0;
  float sum_r = 0, sum_b = 0, sum_len = 0;
  for (size_t b = 0; b < kBlocks; ++b) {
    const float luma_change = dl[b] - med_l;
    bool changed = std::abs(luma_change) > t_.changed_luma_log;
    if (both[b]) {
      const float vr = dr[b] - med_r, vb = db[b] - med_b;
      changed = changed || std::abs(vr) + std::abs(vb) > t_.changed_colour_log;
      const float len = std::hypot(vr, vb);
      float texture_change = 0;
      for (size_t i = 0; i < 4; ++i) {
        texture_change =
            std::max(texture_change, std::abs(colour.texture[b][i] - memory_.bg_texture[b][i]));
      }
      // Light on the same surface: colour and brightness change, texture stays.
      if (len > t_.light_colour_log && luma_change > t_.light_brighter_log &&
          texture_change < t_.light_texture_log) {
        ++lit;
        sum_r += vr;
        sum_b += vb;
        sum_len += len;
      }
    }
    out.changed[b] = changed;
  }
  out.changed_fraction = static_cast<float>(out.changed.count()) / kBlocks;
  if (out.changed_fraction >= t_.scene_fraction) return FrameCondition::kSceneMismatch;
  if (n_both > 0 && static_cast<float>(lit) >= t_.light_fraction * static_cast<float>(n_both) &&
      std::hypot(sum_r, sum_b) >= t_.light_coherence * sum_len) {
    return FrameCondition::kLocalLight;
  }
  return FrameCondition::kNormal;
}

void SceneModel::Blend(const BlockStats& blocks, const BlockColour& colour, float weight) {
  for (size_t b = 0; b < kBlocks; ++b) {
    memory_.bg_log_luma[b] += weight * (colour.log_luma[b] - memory_.bg_log_luma[b]);
    memory_.bg_spread[b] += weight * (blocks.spread[b] - memory_.bg_spread[b]);
    for (size_t i = 0; i < 4; ++i) {
      memory_.bg_texture[b][i] += weight * (colour.texture[b][i] - memory_.bg_texture[b][i]);
    }
    if (std::isnan(colour.log_rg[b])) continue;
    if (std::isnan(memory_.bg_log_rg[b])) {
      memory_.bg_log_rg[b] = colour.log_rg[b];
      memory_.bg_log_bg[b] = colour.log_bg[b];
    } else {
      memory_.bg_log_rg[b] += weight * (colour.log_rg[b] - memory_.bg_log_rg[b]);
      memory_.bg_log_bg[b] += weight * (colour.log_bg[b] - memory_.bg_log_bg[b]);
    }
  }
}

void SceneModel::Learn(const BlockStats& blocks, const BlockColour& colour,
                       const SceneVerdict& verdict) {
  memory_.has_previous = true;
  memory_.previous_luma = blocks.luma;
  memory_.previous_linear = blocks.linear;
  if (Quality(verdict.condition)) return;
  if (!memory_.has_background) {
    Restart(blocks, colour);
    return;
  }
  // A scene mismatch waits for confirmation (the detector calls Restart); a local
  // light is not learnt, so it stays `illumination` (and out of the white-balance
  // windows) for as long as it is on, rather than becoming background that the
  // reference does not know.
  if (verdict.condition == FrameCondition::kNormal) Blend(blocks, colour, kNormalWeight);
}

void SceneModel::Restart(const BlockStats& blocks, const BlockColour& colour) {
  memory_.has_background = true;
  memory_.bg_log_luma = colour.log_luma;
  memory_.bg_log_rg = colour.log_rg;
  memory_.bg_log_bg = colour.log_bg;
  memory_.bg_spread = blocks.spread;
  memory_.bg_texture = colour.texture;
}

void SceneModel::Clear() {
  memory_.has_background = false;
  memory_.has_previous = false;
}

bool WhiteBalanceReference::Restore(const std::array<float, kBlocks>& log_rg,
                                    const std::array<float, kBlocks>& log_bg) {
  int blocks = 0;
  for (size_t b = 0; b < kBlocks; ++b) {
    log_rg_[b] = log_rg[b];
    log_bg_[b] = log_bg[b];
    if (!std::isfinite(log_rg[b]) || !std::isfinite(log_bg[b])) {
      log_rg_[b] = log_bg_[b] = kNaN;  // as Build leaves a block out
      continue;
    }
    ++blocks;
  }
  ready_ = blocks >= kMinGainBlocks;
  return ready_;
}

void WhiteBalanceReference::Build(std::span<const StoredColour> frames) {
  const size_t needed = std::max<size_t>(3, frames.size() / 4);
  std::vector<float> rg, bg;
  rg.reserve(frames.size());
  bg.reserve(frames.size());
  int blocks = 0;
  for (size_t b = 0; b < kBlocks; ++b) {
    rg.clear();
    bg.clear();
    for (const StoredColour& f : frames) {
      if (f.changed[b] || std::isnan(f.log_rg[b])) continue;
      rg.push_back(f.log_rg[b]);
      bg.push_back(f.log_bg[b]);
    }
    if (rg.size() < needed) {
      log_rg_[b] = log_bg_[b] = kNaN;
      continue;
    }
    log_rg_[b] = MedianOf(rg);
    log_bg_[b] = MedianOf(bg);
    ++blocks;
  }
  ready_ = blocks >= kMinGainBlocks;
}

GainEstimate WhiteBalanceReference::Estimate(const StoredColour& frame) const {
  GainEstimate out;
  if (!ready_) return out;
  std::array<float, kBlocks> x{}, y{}, sx{}, sy{};
  int n = 0;
  for (size_t b = 0; b < kBlocks; ++b) {
    if (frame.changed[b] || std::isnan(frame.log_rg[b]) || std::isnan(log_rg_[b])) continue;
    x[static_cast<size_t>(n)] = frame.log_rg[b] - log_rg_[b];
    y[static_cast<size_t>(n)] = frame.log_bg[b] - log_bg_[b];
    ++n;
  }
  out.blocks = n;
  if (n < kMinGainBlocks) return out;
  sx = x;
  sy = y;
  const float mx = Median(sx, n), my = Median(sy, n);
  int agree = 0;
  for (size_t i = 0; i < static_cast<size_t>(n); ++i) {
    agree += std::abs(x[i] - mx) <= kAgreementLog && std::abs(y[i] - my) <= kAgreementLog;
  }
  out.valid = true;
  out.gain_r = std::exp(static_cast<double>(mx));
  out.gain_b = std::exp(static_cast<double>(my));
  out.uniformity = static_cast<double>(agree) / n;
  return out;
}

}  // namespace df::drift
