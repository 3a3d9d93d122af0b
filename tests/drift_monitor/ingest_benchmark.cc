// Drift-monitor throughput and memory, with ratios against baselines measured in
// the same run:
//   BM_BareDecodeFeatures/scale/threads: cv::imdecode + ExtractFeatures of the same
//     768x576 JPEG frames (vtest.avi), no gRPC — the OpenCV baseline;
//   BM_BareServiceDecodeFeatures/scale/threads: the service's own DecodeImage
//     (libjpeg-turbo straight to BGR, same pixels) + ExtractFeatures, no gRPC — the
//     same work as the service, so gRPC / this is the cost of gRPC and the pipeline;
//   BM_GrpcIngest/scale/streams: the real service on loopback (2 workers), frames
//     sent through one Ingest call per stream by an in-process callback-API client,
//     every report read back.
// After the runs: frames/s ratios gRPC / bare, and heap bytes per idle and per active
// stream (glibc mallinfo2, default windows, metrics included).
//
//   DF_SAMPLE_VIDEO=vtest.avi drift_ingest_benchmark [--benchmark_min_time=2]
#include <benchmark/benchmark.h>
#include <malloc.h>

#include <chrono>
#include <cstdio>
#include <map>
#include <memory>
#include <opencv2/imgcodecs.hpp>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/synchronization/mutex.h"
#include "services/drift_monitor/core/image_decoder.h"
#include "services/drift_monitor/core/image_features.h"
#include "tests/drift_monitor/drift_test_server.h"

namespace df::drift::testing {
namespace {

constexpr int kWorkers = 2;
constexpr int kFramesPerCall = 200;

const std::vector<std::string>& Jpegs() {
  static const std::vector<std::string>* jpegs = [] {
    auto* out = new std::vector<std::string>();
    for (const cv::Mat& f : SampleFrames()) out->push_back(EncodeJpeg(f));
    return out;
  }();
  return *jpegs;
}

void BM_BareDecodeFeatures(benchmark::State& state) {
  const std::vector<std::string>& jpegs = Jpegs();
  const int flag = ImreadColorFlag(static_cast<int>(state.range(0)));
  size_t i = static_cast<size_t>(state.thread_index()) * 97;
  for (auto _ : state) {
    const std::string& j = jpegs[i++ % jpegs.size()];
    const cv::Mat buf(1, static_cast<int>(j.size()), CV_8UC1, const_cast<char*>(j.data()));
    benchmark::DoNotOptimize(ExtractFeatures(cv::imdecode(buf, flag)));
  }
  state.SetItemsProcessed(state.iterations());
}
// Both bare baselines: scales 1/1, 1/2, 1/4 on 1 and 2 threads.
void BareRuns(benchmark::internal::Benchmark* b) {
  b->ArgNames({"scale"})->Arg(1)->Arg(2)->Arg(4)->Threads(1)->Threads(2)->UseRealTime();
}
BENCHMARK(BM_BareDecodeFeatures)->Apply(BareRuns);

void BM_BareServiceDecodeFeatures(benchmark::State& state) {
  const std::vector<std::string>& jpegs = Jpegs();
  DecodeOptions options;
  options.jpeg_scale = static_cast<int>(state.range(0));
  ImageInput input;
  input.kind = ImageInput::Kind::kEncoded;
  size_t i = static_cast<size_t>(state.thread_index()) * 97;
  for (auto _ : state) {
    input.encoded = jpegs[i++ % jpegs.size()];
    RejectionOr<cv::Mat> bgr = DecodeImage(input, options);
    if (!bgr.ok()) {
      state.SkipWithError("DecodeImage failed");
      break;
    }
    benchmark::DoNotOptimize(ExtractFeatures(*bgr));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_BareServiceDecodeFeatures)->Apply(BareRuns);

// One Ingest call through the callback API: the next frame is written as soon as
// the previous write completes and reports are read as they come, with no client
// threads of its own (a sync client with a writer thread adds wake-ups per frame
// on the 2 cores the server shares with it).
class IngestCall final : public grpc::ClientBidiReactor<pb::Frame, pb::DriftReport> {
 public:
  IngestCall(pb::DriftMonitor::Stub& stub, const std::vector<pb::Frame>& frames) : frames_(frames) {
    context_.set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(120));
    stub.async()->Ingest(&context_, this);
    StartRead(&report_);
    if (frames_.empty()) {
      StartWritesDone();
    } else {
      StartWrite(&frames_[0]);
    }
    StartCall();
  }
  void OnWriteDone(bool ok) override {
    if (ok && ++next_ < frames_.size()) {
      StartWrite(&frames_[next_]);
    } else {
      StartWritesDone();
    }
  }
  void OnReadDone(bool ok) override {
    if (!ok) return;
    ++reports_;
    StartRead(&report_);
  }
  void OnDone(const grpc::Status& status) override {
    absl::MutexLock lock(&mu_);
    status_ = status;
    done_ = true;
  }
  // Blocks until the call is over; true when every frame got its report.
  bool Await() {
    absl::MutexLock lock(&mu_);
    mu_.Await(absl::Condition(&done_));
    return status_.ok() && reports_ == frames_.size();
  }

 private:
  const std::vector<pb::Frame>& frames_;
  grpc::ClientContext context_;
  pb::DriftReport report_;
  size_t next_ = 0;
  size_t reports_ = 0;  // read callbacks are serialised by gRPC
  absl::Mutex mu_;
  bool done_ ABSL_GUARDED_BY(mu_) = false;
  grpc::Status status_ ABSL_GUARDED_BY(mu_);
};

void BM_GrpcIngest(benchmark::State& state) {
  const int scale = static_cast<int>(state.range(0));
  const int streams = static_cast<int>(state.range(1));
  DriftTestServer server(RegistryOptions{}, scale, kWorkers);
  const std::vector<std::string>& jpegs = Jpegs();
  std::vector<std::vector<pb::Frame>> calls(streams);
  for (int s = 0; s < streams; ++s) {
    for (int i = 0; i < kFramesPerCall; ++i) {
      calls[s].push_back(
          MakeFrame("bench-" + std::to_string(s), i, jpegs[(s * 97 + i) % jpegs.size()]));
    }
  }
  int64_t frames = 0;
  for (auto _ : state) {
    std::vector<std::unique_ptr<IngestCall>> ingest;
    ingest.reserve(static_cast<size_t>(streams));
    for (int s = 0; s < streams; ++s) {
      ingest.push_back(std::make_unique<IngestCall>(server.stub(), calls[s]));
    }
    bool ok = true;
    for (auto& call : ingest) ok = call->Await() && ok;
    if (!ok) state.SkipWithError("Ingest call failed");
    frames += int64_t{streams} * kFramesPerCall;
  }
  state.SetItemsProcessed(frames);
}
BENCHMARK(BM_GrpcIngest)
    ->ArgNames({"scale", "streams"})
    ->Args({1, 1})
    ->Args({1, 8})
    ->Args({2, 1})
    ->Args({2, 8})
    ->Args({4, 1})
    ->Args({4, 8})
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

// Records frames/s per run for the ratio table.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      auto it = r.counters.find("items_per_second");
      if (it != r.counters.end()) rate[r.benchmark_name()] = it->second.value;
    }
  }
  std::map<std::string, double> rate;
};

size_t HeapBytes() { return mallinfo2().uordblks; }

void ReportMemoryPerStream() {
  constexpr int kStreams = 200;
  auto prometheus = std::make_shared<prometheus::Registry>();
  DriftMetrics metrics(*prometheus);
  RegistryOptions options;
  options.max_streams = size_t{2} * kStreams;
  StreamRegistry registry(options);
  FrameFeatures features = *ExtractFeatures(SampleFrames()[0]);
  const size_t before = HeapBytes();
  for (int s = 0; s < kStreams; ++s) {
    (void)registry.GetOrCreate(*StreamId::Parse("idle-" + std::to_string(s)), absl::Now());
  }
  const size_t idle = HeapBytes();
  const DetectorConfig defaults;
  for (int s = 0; s < kStreams; ++s) {
    auto stream =
        *registry.GetOrCreate(*StreamId::Parse("active-" + std::to_string(s)), absl::Now());
    absl::MutexLock lock(&stream->mu);
    for (uint32_t i = 0; i < defaults.reference_size + defaults.window_size + 10; ++i) {
      features.scalar[kGainGOverR] = 1.0 + 0.001 * (i % 37);  // distinct values: worst case
      const FrameVerdict v = stream->detector->Update(features);
      metrics.FrameProcessed(*stream, "", v, 0.001);
    }
  }
  const size_t active = HeapBytes();
  std::printf(
      "memory: idle stream %.1f KiB, active stream %.1f KiB (reference %u + window %u "
      "frames, %d features, metrics series included; %d streams each)\n",
      static_cast<double>(idle - before) / 1024.0 / kStreams,
      static_cast<double>(active - idle) / 1024.0 / kStreams, defaults.reference_size,
      defaults.window_size, kNumScalarFeatures, kStreams);
}

}  // namespace
}  // namespace df::drift::testing

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  using df::drift::testing::Jpegs;
  if (Jpegs().empty()) return 1;
  df::drift::testing::RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  auto rate = [&](const std::string& name) {
    auto it = reporter.rate.find(name);
    return it == reporter.rate.end() ? 0.0 : it->second;
  };
  const auto bare = [&](const char* kind, int scale, int threads) {
    return rate(absl::StrCat("BM_", kind, "/scale:", scale, "/real_time/threads:", threads));
  };
  const double opencv1 = bare("BareDecodeFeatures", 1, 1);
  const double opencv1x2 = bare("BareDecodeFeatures", 1, 2);
  std::printf(
      "\nframes/s ratios, same run (the service has %d workers; the client runs in this "
      "process):\n  %-42s %9s %10s %10s %10s\n",
      df::drift::testing::kWorkers, "", "frames/s", "/OpenCV 1T", "/OpenCV 2T", "/same 2T");
  for (int scale : {1, 2, 4}) {
    const double same1x2 = bare("BareServiceDecodeFeatures", scale, 2);
    const auto row = [&](const std::string& name, double r, double same) {
      if (r == 0.0 || opencv1 == 0.0 || opencv1x2 == 0.0) return;
      std::printf("  %-42s %9.1f %9.2fx %9.2fx %9.2fx\n", name.c_str(), r, r / opencv1,
                  r / opencv1x2, same > 0 ? r / same : 0.0);
    };
    row(absl::StrCat("bare service decode, 1/", scale, ", 2 threads"), same1x2, same1x2);
    for (int streams : {1, 8}) {
      row(absl::StrCat("gRPC, 1/", scale, ", ", streams, " stream(s)"),
          rate(absl::StrCat("BM_GrpcIngest/scale:", scale, "/streams:", streams, "/real_time")),
          same1x2);
    }
  }
  std::printf(
      "  (OpenCV nT: cv::imdecode at full scale + features on n threads; same 2T: the "
      "service's decode at the same scale + features on 2 threads, no gRPC)\n");
  df::drift::testing::ReportMemoryPerStream();
  benchmark::Shutdown();
  return 0;
}
