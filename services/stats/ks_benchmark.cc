// Per-frame cost of the rolling K-S detector versus recomputing the test from scratch.
//
// One "update" = one new observation enters the current window (the oldest leaves) and a
// drift decision is taken at alpha = 0.01 by comparing the statistic with the critical one.
//   BM_RollingUpdateAndDecision   RollingKs::Add + KsDecision::Reject (O(log n))
//   BM_BatchRecomputeAndDecision  slide a copy of the window, KsStatistic (sorts), compare
//   BM_BatchTestWithPValue        KsTwoSample on the window (what a scipy call computes)
// Data: --ks_data_dir=DIR reads DIR/reference_N.txt and DIR/stream_N.txt (one number per
// line, written by bench/run_ks_benchmark.py so scipy times the same data); without it,
// normal(0, 1) values quantised to 1/64 (ties, like 8-bit features).
// bench/run_ks_benchmark.py runs this and scipy in one go and prints the ratios.
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <fstream>
#include <random>
#include <string>
#include <vector>

#include "benchmark/benchmark.h"
#include "services/stats/ks_test.h"
#include "services/stats/rolling_ks.h"

namespace {

constexpr double kAlpha = 0.01;
std::string g_data_dir;  // NOLINT: set once in main

struct Data {
  std::vector<double> reference;  // n values
  std::vector<double> stream;     // values fed after the reference (window fill + updates)
};

std::vector<double> ReadNumbers(const std::string& path) {
  std::vector<double> xs;
  std::ifstream in(path);
  double x = 0;
  while (in >> x) xs.push_back(x);
  return xs;
}

Data LoadData(int64_t n) {
  Data d;
  if (!g_data_dir.empty()) {
    const std::string suffix = std::to_string(n) + ".txt";
    d.reference = ReadNumbers(g_data_dir + "/reference_" + suffix);
    d.stream = ReadNumbers(g_data_dir + "/stream_" + suffix);
    if (static_cast<int64_t>(d.reference.size()) == n &&
        static_cast<int64_t>(d.stream.size()) >= 2 * n) {
      return d;
    }
    std::fprintf(stderr, "ks_benchmark: bad data files for n=%ld in %s\n", static_cast<long>(n),
                 g_data_dir.c_str());
    std::exit(2);
  }
  std::mt19937_64 rng(42);
  std::normal_distribution<double> normal;
  auto draw = [&](double shift) { return std::round((normal(rng) + shift) * 64) / 64; };
  for (int64_t i = 0; i < n; ++i) d.reference.push_back(draw(0));
  for (int64_t i = 0; i < 4 * n; ++i) d.stream.push_back(draw(i > 2 * n ? 0.1 : 0));
  return d;
}

void BM_RollingUpdateAndDecision(benchmark::State& state) {
  const int64_t n = state.range(0);
  const Data data = LoadData(n);
  df::stats::RollingKs ks(n, n);
  df::stats::KsDecision decision(kAlpha);
  for (double x : data.reference) ks.Add(x);
  size_t next = 0;
  for (; next < static_cast<size_t>(n); ++next) ks.Add(data.stream[next]);
  decision.Reject(ks);  // computes and caches the critical statistic outside the timing
  int64_t rejections = 0;
  for (auto _ : state) {
    ks.Add(data.stream[next]);
    if (++next == data.stream.size()) next = static_cast<size_t>(n);
    rejections += decision.Reject(ks);
  }
  benchmark::DoNotOptimize(rejections);
  state.SetItemsProcessed(state.iterations());
}

void BM_BatchRecomputeAndDecision(benchmark::State& state) {
  const int64_t n = state.range(0);
  const Data data = LoadData(n);
  std::deque<double> window(data.stream.begin(), data.stream.begin() + n);
  const double critical = df::stats::KsCriticalStatistic(n, n, kAlpha);
  size_t next = static_cast<size_t>(n);
  int64_t rejections = 0;
  std::vector<double> current;
  for (auto _ : state) {
    window.pop_front();
    window.push_back(data.stream[next]);
    if (++next == data.stream.size()) next = static_cast<size_t>(n);
    current.assign(window.begin(), window.end());
    rejections += df::stats::KsStatistic(data.reference, current) >= critical;
  }
  benchmark::DoNotOptimize(rejections);
  state.SetItemsProcessed(state.iterations());
}

void BM_BatchTestWithPValue(benchmark::State& state) {
  const int64_t n = state.range(0);
  const Data data = LoadData(n);
  std::deque<double> window(data.stream.begin(), data.stream.begin() + n);
  size_t next = static_cast<size_t>(n);
  int64_t rejections = 0;
  std::vector<double> current;
  for (auto _ : state) {
    window.pop_front();
    window.push_back(data.stream[next]);
    if (++next == data.stream.size()) next = static_cast<size_t>(n);
    current.assign(window.begin(), window.end());
    rejections += df::stats::KsTwoSample(data.reference, current)->pvalue <= kAlpha;
  }
  benchmark::DoNotOptimize(rejections);
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(BM_RollingUpdateAndDecision)->Arg(1000)->Arg(10000);
BENCHMARK(BM_BatchRecomputeAndDecision)->Arg(1000)->Arg(10000);
BENCHMARK(BM_BatchTestWithPValue)->Arg(1000)->Arg(10000);

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  for (int i = 1; i < argc; ++i) {
    if (std::strncmp(argv[i], "--ks_data_dir=", 14) == 0) g_data_dir = argv[i] + 14;
  }
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}
