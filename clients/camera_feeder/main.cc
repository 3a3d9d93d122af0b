// camera-feeder: streams a video file, an image folder or a camera to the drift
// monitor, optionally simulating a firmware white-balance change, and prints the
// drift verdicts as they come back.
//
//   camera-feeder --video=vtest.avi --stream=door-1 --wb_shift_at=300 --wb_gains=1.07,1,1
//
// Exit status: 0 when every frame was sent and answered, 1 on a usage error, 2 when
// the source cannot be read, 3 when the server cannot be reached or the call fails.
#include <grpcpp/grpcpp.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <opencv2/imgcodecs.hpp>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/time/clock.h"
#include "clients/camera_feeder/frame_source.h"
#include "clients/camera_feeder/nuisance.h"
#include "clients/camera_feeder/white_balance.h"
#include "clients/common/channel_flags.h"
#include "datafactory/drift/v1/drift_monitor.grpc.pb.h"
#include "services/common/command_line.h"

ABSL_FLAG(std::string, target, "127.0.0.1:50061", "drift-monitor gRPC address");
ABSL_FLAG(std::string, stream, "camera-1", "Stream id ([A-Za-z0-9_.-]{1,64})");
ABSL_FLAG(std::string, video, "", "Video file to feed");
ABSL_FLAG(std::string, images, "", "Folder of .jpg/.png images to feed (name order)");
ABSL_FLAG(int, camera, -1, "Camera device index to feed");
ABSL_FLAG(double, fps, 0.0, "Frames per second (0 = as fast as the server takes them)");
ABSL_FLAG(bool, loop, false, "Start over at the end of the video or folder");
ABSL_FLAG(int64_t, max_frames, 0, "Stop after this many frames (0 = no limit)");
ABSL_FLAG(int64_t, wb_shift_at, -1, "Frame index from which --wb_gains apply (-1 = never)");
ABSL_FLAG(std::string, wb_gains, "1,1,1", "Simulated firmware white-balance gains R,G,B");
ABSL_FLAG(std::string, wb_space, "linear",
          "Where --wb_gains apply: linear (in linear light, as a camera does) or pixel "
          "(on the 8-bit values, which overstates the change)");
ABSL_FLAG(int64_t, exposure_at, -1, "Frame index from which --exposure_gain applies (-1 = never)");
ABSL_FLAG(double, exposure_gain, 1.2, "Simulated exposure change (linear light), (0, 10]");
ABSL_FLAG(int64_t, passer_by_at, -1,
          "Frame index at which a simulated passer-by starts crossing (40 frames; -1 = never)");
ABSL_FLAG(std::string, corrupt_at, "",
          "Frame indices (comma-separated) sent with a green band, as packet loss leaves it");
ABSL_FLAG(std::string, labels, "", "Frame labels, e.g. city=lyon,camera=door-3,firmware=2.1");
ABSL_FLAG(int, jpeg_quality, 90, "JPEG quality of the frames sent (1..100)");
ABSL_FLAG(int64_t, progress_every, 100, "Print progress every N answered frames (0 = never)");

namespace pb = ::datafactory::drift::v1;

namespace {

int Fail(int code, const std::string& message) {
  std::fprintf(stderr, "camera-feeder: %s\n", message.c_str());
  return code;
}

const pb::FeatureState* Feature(const pb::DriftReport& r, const std::string& name) {
  for (const auto& f : r.features()) {
    if (f.name() == name) return &f;
  }
  return nullptr;
}

}  // namespace

int main(int argc, char** argv) {
  df::cli::CommandLineSpec command_line;
  command_line.program = "camera-feeder";
  command_line.usage =
      "feeds a video, an image folder or a camera to drift-monitor and prints its drift\n"
      "verdicts.\n\n"
      "usage: camera-feeder --video=FILE|--images=DIR|--camera=N [--stream=ID] "
      "[--target=HOST:PORT]\n"
      "Exit status: 0 every frame sent and answered, 1 usage error, 2 the source cannot be "
      "read,\n3 the server cannot be reached or the call fails.";
  command_line.help_folders = {"clients/camera_feeder/", "clients/common/"};
  command_line.usage_exit_code = 1;
  const std::vector<std::string> positional =
      df::cli::ParseCommandLineOrExit({argv, argv + argc}, command_line);
  if (!positional.empty()) {  // e.g. `--loop false`: a boolean takes no separate value
    return df::cli::UsageError(absl::StrCat("unexpected argument '", positional[0], "'"));
  }

  const std::string video = absl::GetFlag(FLAGS_video);
  const std::string images = absl::GetFlag(FLAGS_images);
  const int camera = absl::GetFlag(FLAGS_camera);
  const int sources = !video.empty() + !images.empty() + (camera >= 0);
  if (sources != 1) return Fail(1, "give exactly one of --video, --images or --camera");
  absl::StatusOr<df::feeder::ChannelGains> gains =
      df::feeder::ParseChannelGains(absl::GetFlag(FLAGS_wb_gains));
  if (!gains.ok()) return Fail(1, std::string(gains.status().message()));
  absl::StatusOr<df::feeder::GainSpace> wb_space =
      df::feeder::ParseGainSpace(absl::GetFlag(FLAGS_wb_space));
  if (!wb_space.ok()) return Fail(1, std::string(wb_space.status().message()));
  df::feeder::NuisancePlan nuisances;
  nuisances.exposure_at = absl::GetFlag(FLAGS_exposure_at);
  nuisances.exposure_gain = absl::GetFlag(FLAGS_exposure_gain);
  if (!(nuisances.exposure_gain > 0 && nuisances.exposure_gain <= 10)) {
    return Fail(1, "--exposure_gain must be in (0, 10]");
  }
  nuisances.passer_at = absl::GetFlag(FLAGS_passer_by_at);
  absl::StatusOr<std::vector<int64_t>> corrupt_at =
      df::feeder::ParseFrameList(absl::GetFlag(FLAGS_corrupt_at));
  if (!corrupt_at.ok()) {
    return Fail(1, "--corrupt_at: " + std::string(corrupt_at.status().message()));
  }
  nuisances.corrupt_at = *std::move(corrupt_at);
  const int quality = absl::GetFlag(FLAGS_jpeg_quality);
  if (quality < 1 || quality > 100) return Fail(1, "--jpeg_quality must be in 1..100");
  const double fps = absl::GetFlag(FLAGS_fps);
  if (fps < 0) return Fail(1, "--fps must be >= 0");
  std::map<std::string, std::string> labels;
  for (absl::string_view kv : absl::StrSplit(absl::GetFlag(FLAGS_labels), ',', absl::SkipEmpty())) {
    std::pair<std::string, std::string> p = absl::StrSplit(kv, absl::MaxSplits('=', 1));
    if (p.first.empty()) return Fail(1, "--labels must be key=value pairs separated by commas");
    labels[p.first] = p.second;
  }

  absl::StatusOr<std::unique_ptr<df::feeder::FrameSource>> source =
      !video.empty()    ? df::feeder::FrameSource::OpenVideo(video)
      : !images.empty() ? df::feeder::FrameSource::OpenImages(images)
                        : df::feeder::FrameSource::OpenCamera(camera);
  if (!source.ok()) return Fail(2, std::string(source.status().message()));

  const std::string target = absl::GetFlag(FLAGS_target);
  absl::StatusOr<std::shared_ptr<grpc::Channel>> opened = df::client::ChannelFromFlags(target);
  if (!opened.ok()) return Fail(1, std::string(opened.status().message()));
  const std::shared_ptr<grpc::Channel>& channel = *opened;
  if (!channel->WaitForConnected(std::chrono::system_clock::now() + std::chrono::seconds(5))) {
    return Fail(3, "cannot reach the drift monitor at " + target + " within 5 s");
  }
  auto stub = pb::DriftMonitor::NewStub(channel);
  grpc::ClientContext context;
  auto call = stub->Ingest(&context);
  const std::string stream_id = absl::GetFlag(FLAGS_stream);
  std::printf("camera-feeder: %s -> %s as stream '%s'\n", (*source)->description().c_str(),
              target.c_str(), stream_id.c_str());
  std::fflush(stdout);

  std::atomic<int64_t> sent{0};
  std::atomic<bool> source_failed{false};
  std::thread writer([&] {
    const int64_t max_frames = absl::GetFlag(FLAGS_max_frames);
    const int64_t shift_at = absl::GetFlag(FLAGS_wb_shift_at);
    const bool loop = absl::GetFlag(FLAGS_loop);
    const absl::Duration period = fps > 0 ? absl::Seconds(1.0 / fps) : absl::ZeroDuration();
    absl::Time next_send = absl::Now();
    cv::Mat bgr;
    std::vector<uint8_t> jpeg;
    for (int64_t i = 0; max_frames == 0 || i < max_frames; ++i) {
      if (!(*source)->Next(&bgr)) {
        if (!loop || !(*source)->Rewind() || !(*source)->Next(&bgr)) {
          if (i == 0) source_failed = true;
          break;
        }
      }
      if (shift_at >= 0 && i >= shift_at) df::feeder::ApplyChannelGains(*gains, *wb_space, &bgr);
      df::feeder::ApplyNuisances(nuisances, i, &bgr);
      cv::imencode(".jpg", bgr, jpeg, {cv::IMWRITE_JPEG_QUALITY, quality});
      pb::Frame frame;
      frame.set_stream_id(stream_id);
      frame.set_sequence(static_cast<uint64_t>(i));
      const int64_t now_ns = absl::ToUnixNanos(absl::Now());
      frame.mutable_capture_time()->set_seconds(now_ns / 1'000'000'000);
      frame.mutable_capture_time()->set_nanos(static_cast<int32_t>(now_ns % 1'000'000'000));
      for (const auto& [k, v] : labels) (*frame.mutable_labels())[k] = v;
      frame.set_encoded(jpeg.data(), jpeg.size());
      if (period > absl::ZeroDuration()) {
        absl::SleepFor(next_send - absl::Now());
        next_send += period;
      }
      if (!call->Write(frame)) break;  // the call failed; Finish() tells why
      ++sent;
    }
    call->WritesDone();
  });

  pb::DriftReport report;
  int64_t answered = 0, errors = 0, drift_events = 0, first_drift = -1;
  bool drift = false;
  std::string cause = "none";
  const int64_t progress_every = absl::GetFlag(FLAGS_progress_every);
  while (call->Read(&report)) {
    ++answered;
    if (report.has_error()) {
      ++errors;
      std::printf("frame %llu: rejected (%s): %s\n",
                  static_cast<unsigned long long>(report.sequence()),
                  report.error().reason().c_str(), report.error().message().c_str());
    } else if (report.drift() != drift) {
      drift = report.drift();
      const pb::FeatureState* gr = Feature(report, "wb_gain_r");
      const pb::FeatureState* gb = Feature(report, "wb_gain_b");
      if (drift) {
        ++drift_events;
        if (first_drift < 0) first_drift = static_cast<int64_t>(report.sequence());
      }
      std::printf("frame %llu: DRIFT %s  (effect R %.2f%% D=%.2f, B %.2f%% D=%.2f)\n",
                  static_cast<unsigned long long>(report.sequence()), drift ? "RAISED" : "cleared",
                  gr ? 100 * gr->effect_size() : 0.0, gr ? gr->ks_statistic() : 0.0,
                  gb ? 100 * gb->effect_size() : 0.0, gb ? gb->ks_statistic() : 0.0);
    }
    if (!report.has_error() && report.cause() != cause && report.cause() != "white_balance") {
      cause = report.cause();
      std::printf("frame %llu: cause %s (this frame: %s)\n",
                  static_cast<unsigned long long>(report.sequence()), cause.c_str(),
                  report.frame_condition().c_str());
    }
    if (progress_every > 0 && answered % progress_every == 0) {
      std::printf("progress: sent %lld, answered %lld, errors %lld, drift %s\n",
                  static_cast<long long>(sent.load()), static_cast<long long>(answered),
                  static_cast<long long>(errors), drift ? "yes" : "no");
    }
    std::fflush(stdout);
  }
  writer.join();
  const grpc::Status status = call->Finish();
  std::printf(
      "summary: stream=%s frames_sent=%lld answered=%lld errors=%lld drift_events=%lld "
      "first_drift_frame=%lld drift_at_end=%d\n",
      stream_id.c_str(), static_cast<long long>(sent.load()), static_cast<long long>(answered),
      static_cast<long long>(errors), static_cast<long long>(drift_events),
      static_cast<long long>(first_drift), drift ? 1 : 0);
  if (source_failed) return Fail(2, "the source delivered no frames");
  if (!status.ok()) return Fail(3, "Ingest failed: " + status.error_message());
  if (answered != sent) return Fail(3, "the server answered fewer frames than were sent");
  return 0;
}
