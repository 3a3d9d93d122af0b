#include "services/drift_monitor/core/block_stats.h"

#include <algorithm>
#include <cmath>

namespace df::drift {
namespace {

const std::array<float, 256>& LinearTable() {
  static const std::array<float, 256> table = [] {
    std::array<float, 256> t{};
    for (int v = 0; v < 256; ++v) {
      const double c = v / 255.0;
      t[v] = static_cast<float>(c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4));
    }
    return t;
  }();
  return table;
}

// Running sums of one block (doubles: a full-scale 4K block has ~170,000 pixels).
struct BlockSums {
  std::array<double, 3> usable_linear{};  // R, G, B
  std::array<double, 3> all_linear{};     // R, G, B
  std::array<uint64_t, 3> level{};        // B, G, R
  std::array<uint64_t, 3> level_sq{};     // B, G, R
  std::array<double, 4> quarter{};        // linear G
  std::array<uint32_t, 4> quarter_pixels{};
  uint32_t usable = 0;
  uint32_t pixels = 0;
};

// Adds one half-row's three channel sums to a block's.
template <typename Sum, typename Part>
void AddToSums(std::array<Sum, 3>& sums, Part first, Part second, Part third) {
  sums[0] += first;
  sums[1] += second;
  sums[2] += third;
}

}  // namespace

float SrgbLevelToLinear(int level) { return LinearTable()[static_cast<size_t>(level & 0xff)]; }

BlockStats MeasureBlocks(const cv::Mat& bgr) {
  BlockStats out;
  if (bgr.empty() || bgr.type() != CV_8UC3) return out;
  const std::array<float, 256>& lin = LinearTable();
  std::array<BlockSums, kBlocks> sums{};
  // Block edges, and each block's middle column (its quarters).
  std::array<int, 2 * kBlockCols + 1> x_edge{};
  for (int e = 0; e <= 2 * kBlockCols; ++e) x_edge[e] = e * bgr.cols / (2 * kBlockCols);
  uint64_t clipped = 0, dark = 0, chroma = 0;
  for (int y = 0; y < bgr.rows; ++y) {
    const uint8_t* px = bgr.ptr<uint8_t>(y);
    const int by = y * kBlockRows / bgr.rows;
    const size_t lower = (2 * y * kBlockRows / bgr.rows) % 2;  // lower half of the block row
    for (int half = 0; half < 2 * kBlockCols; ++half) {
      const int block = by * kBlockCols + half / 2;
      BlockSums& s = sums[static_cast<size_t>(block)];
      double ur = 0, ug = 0, ub = 0, ar = 0, ag = 0, ab = 0;
      uint32_t usable = 0, sb = 0, sg = 0, sr = 0;
      uint64_t qb = 0, qg = 0, qr = 0;
      for (int x = x_edge[half]; x < x_edge[half + 1]; ++x, px += 3) {
        const uint8_t b = px[0], g = px[1], r = px[2];
        const uint8_t hi = std::max({b, g, r});
        const uint8_t lo = std::min({b, g, r});
        chroma += static_cast<uint32_t>(hi - lo);
        clipped += hi >= kClippedLevel;
        dark += hi < kDarkLevel;
        const float lr = lin[r], lg = lin[g], lb = lin[b];
        ar += lr;
        ag += lg;
        ab += lb;
        if (lo >= kDarkLevel && hi < kClippedLevel) {
          ur += lr;
          ug += lg;
          ub += lb;
          ++usable;
        }
        sb += b;
        sg += g;
        sr += r;
        qb += uint64_t{b} * b;
        qg += uint64_t{g} * g;
        qr += uint64_t{r} * r;
      }
      AddToSums(s.usable_linear, ur, ug, ub);
      AddToSums(s.all_linear, ar, ag, ab);
      AddToSums(s.level, sb, sg, sr);
      AddToSums(s.level_sq, qb, qg, qr);
      s.usable += usable;
      const auto n = static_cast<uint32_t>(x_edge[half + 1] - x_edge[half]);
      s.pixels += n;
      s.quarter[2 * lower + half % 2] += ag;
      s.quarter_pixels[2 * lower + half % 2] += n;
    }
  }
  for (size_t b = 0; b < sums.size(); ++b) {
    const BlockSums& s = sums[b];
    out.usable[b] = s.usable;
    out.pixels[b] = s.pixels;
    for (int c = 0; c < 3; ++c) out.linear[b][c] = static_cast<float>(s.usable_linear[c]);
    if (s.pixels == 0) continue;
    const double n = s.pixels;
    out.luma[b] = static_cast<float>(
        (0.2126 * s.all_linear[0] + 0.7152 * s.all_linear[1] + 0.0722 * s.all_linear[2]) / n);
    double variance = 0, level = 0;
    for (int c = 0; c < 3; ++c) {
      const double mean = static_cast<double>(s.level[c]) / n;
      variance += std::max(0.0, static_cast<double>(s.level_sq[c]) / n - mean * mean);
      level += mean;
    }
    out.spread[b] = static_cast<float>(std::sqrt(variance / 3));
    out.level[b] = static_cast<float>(level / 3);
    for (size_t q = 0; q < 4; ++q) {
      out.quarter[b][q] =
          s.quarter_pixels[q] == 0 ? 0.0f : static_cast<float>(s.quarter[q] / s.quarter_pixels[q]);
    }
  }
  const double total = static_cast<double>(bgr.rows) * bgr.cols;
  out.clipped_fraction = static_cast<float>(static_cast<double>(clipped) / total);
  out.dark_fraction = static_cast<float>(static_cast<double>(dark) / total);
  out.chroma = static_cast<float>(static_cast<double>(chroma) / total);
  return out;
}

}  // namespace df::drift
