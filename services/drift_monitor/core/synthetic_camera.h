// SyntheticCamera: frame features of a synthetic fixed camera, for the detector's
// tests (no images: the block statistics are made directly).
//
// Usage:
//   SyntheticCamera camera(/*seed=*/11);
//   detector.Update(camera.Frame());            // unchanged white balance
//   detector.Update(camera.Frame(1.05));        // red gain +5 % in linear light
//
// Thread-safety: one thread (it owns a random generator). Failure: none.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_SYNTHETIC_CAMERA_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_SYNTHETIC_CAMERA_H_

#include <array>
#include <cstdint>
#include <random>

#include "services/drift_monitor/core/block_stats.h"
#include "services/drift_monitor/core/image_features.h"

namespace df::drift {

// A synthetic fixed camera: kBlocks blocks of distinct colours in linear light,
// each frame with 0.3 % per-block noise (as JPEG and sensor noise leave on real
// footage). Gains multiply R, G, B in linear light, as a camera applies them.
class SyntheticCamera {
 public:
  explicit SyntheticCamera(uint32_t seed) : rng_(seed) {
    std::uniform_real_distribution<double> colour(0.05, 0.6);
    for (auto& block : base_) {
      for (double& c : block) c = colour(rng_);
    }
  }
  // Multiplies block b's colour (R, G, B) by the given factors from now on.
  void Tint(int b, double r, double g, double bl) {
    base_[b][0] *= r;
    base_[b][1] *= g;
    base_[b][2] *= bl;
  }
  FrameFeatures Frame(double r_gain = 1, double g_gain = 1, double b_gain = 1) {
    std::normal_distribution<double> noise(0.0, 0.003);
    FrameFeatures f;
    for (int i = 0; i < kNumFrameFeatures; ++i) f.scalar[i] = 1.0 + noise(rng_);
    f.scalar[kWbGainR] = f.scalar[kWbGainB] = 1.0;
    f.histogram.fill(1.0f / kHistogramBinsPerChannel);
    BlockStats& s = f.blocks;
    constexpr uint32_t kPixels = 576;
    const double gain[3] = {r_gain, g_gain, b_gain};
    for (size_t b = 0; b < kBlocks; ++b) {
      double lin[3];
      for (int c = 0; c < 3; ++c) lin[c] = base_[b][c] * gain[c] * (1 + noise(rng_));
      for (int c = 0; c < 3; ++c) s.linear[b][c] = static_cast<float>(lin[c] * kPixels);
      s.usable[b] = s.pixels[b] = kPixels;
      s.luma[b] = static_cast<float>(0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]);
      for (size_t q = 0; q < 4; ++q) {
        s.quarter[b][q] =
            static_cast<float>(lin[1] * (0.7 + 0.2 * static_cast<double>((b + q) % 4)));
      }
      s.spread[b] = 8;
      s.level[b] = 100;
    }
    s.chroma = 20;
    return f;
  }
  // The same frame in greyscale (an infrared night mode).
  FrameFeatures Greyscale() {
    FrameFeatures f = Frame();
    for (size_t b = 0; b < kBlocks; ++b) {
      const float y = f.blocks.luma[b] * 576;
      f.blocks.linear[b] = {y, y, y};
    }
    f.blocks.chroma = 0.2f;
    return f;
  }

 private:
  std::mt19937 rng_;
  std::array<std::array<double, 3>, kBlocks> base_{};
};

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_SYNTHETIC_CAMERA_H_
