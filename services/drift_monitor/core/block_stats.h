// BlockStats: a frame's colour in linear light, block by block.
//
// Cameras apply white-balance gains per channel in linear light, before the sRGB
// transfer curve. To see a gain change as the camera made it, every 8-bit pixel is
// linearised (the sRGB curve inverted, by a 256-entry table) and the frame is cut
// into a grid of kBlockCols x kBlockRows blocks. Per block this keeps the sums of
// linear R, G and B over its *usable* pixels (no channel clipped at >= kClippedLevel,
// none below kDarkLevel, where quantisation and noise dominate ratios), their count,
// the mean linear luma of all its pixels and the spread of its 8-bit levels (a block
// of one flat colour, as packet loss leaves, has none). Frame-wide it keeps the
// fractions of clipped and dark pixels and the mean chroma (max - min channel, 8-bit
// levels: about 0 for a greyscale night-mode frame).
//
// The detector (stream_detector.h) compares these blocks with a per-stream reference
// and background (scene_model.h); nothing here knows about streams.
//
// Usage:
//   BlockStats blocks = MeasureBlocks(bgr);       // 8-bit BGR, any size >= 1x1
//   if (blocks.usable[b] > 0) double r = blocks.linear[b][kRed] / blocks.usable[b];
//
// Thread-safety: pure function. Failure: none; a block without pixels (an image
// smaller than the grid) has pixels == 0.
#ifndef DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_BLOCK_STATS_H_
#define DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_BLOCK_STATS_H_

#include <array>
#include <cstdint>
#include <opencv2/core.hpp>

namespace df::drift {

inline constexpr int kBlockCols = 8;
inline constexpr int kBlockRows = 6;
inline constexpr int kBlocks = kBlockCols * kBlockRows;
// 8-bit levels: a pixel with any channel at or above kClippedLevel is clipped, one
// with any channel below kDarkLevel is too dark for a colour ratio.
inline constexpr int kClippedLevel = 250;
inline constexpr int kDarkLevel = 12;

enum LinearChannel : int { kRed = 0, kGreen = 1, kBlue = 2 };

struct BlockStats {
  // Per block: sums of linear-light R, G, B (each 0..1 per pixel) over usable pixels.
  std::array<std::array<float, 3>, kBlocks> linear{};
  std::array<uint32_t, kBlocks> usable{};  // usable pixels
  std::array<uint32_t, kBlocks> pixels{};  // all pixels
  std::array<float, kBlocks> luma{};       // mean linear luma (Rec. 709) of all pixels, 0..1
  std::array<float, kBlocks> spread{};     // std of the 8-bit levels, mean of B, G, R
  std::array<float, kBlocks> level{};      // mean 8-bit level of B, G, R (all pixels)
  // Mean linear G of each quarter of the block (top-left, top-right, bottom-left,
  // bottom-right): its texture at a coarse scale. Light falling on a surface keeps
  // the ratios between the quarters; an object that replaces it does not.
  std::array<std::array<float, 4>, kBlocks> quarter{};
  float clipped_fraction = 0;  // pixels with a channel >= kClippedLevel
  float dark_fraction = 0;     // pixels whose brightest channel < kDarkLevel
  float chroma = 0;            // mean (max - min) channel level, 8-bit levels
};

// sRGB transfer curve inverted: 8-bit level -> linear light 0..1.
float SrgbLevelToLinear(int level);

BlockStats MeasureBlocks(const cv::Mat& bgr);

}  // namespace df::drift

#endif  // DATA_FACTORY_SERVICES_DRIFT_MONITOR_CORE_BLOCK_STATS_H_
