// df-load: proof under load (issue 11). Drives the real services over real gRPC on
// loopback and prints one table: N cameras streaming JPEG frames into
// drift-monitor's Ingest at a fixed rate, then M factory-sim telemetry runs, some
// reading slowly; frames sent and answered, refusals, call errors by status code,
// reply latency percentiles, the rate achieved, the servers' CPU and RSS from /proc
// and the load program's own CPU; then issue 11's targets, PASS or FAIL.
//
//   B=build/release
//   $B/tests/load/df-load --drift_monitor=$B/services/drift_monitor/drift-monitor
//       --factory_sim=$B/services/factory_sim/factory-sim      (one line)
//
// It lives in tests/ rather than clients/: it is a measuring instrument for the
// services (it starts them itself, on 127.0.0.1 with free ports, as the tests do),
// built with the tests, not a client a user deploys. Each server is given by its
// binary (started with its default flags plus --drift_monitor_args /
// --factory_sim_args, and stopped at the end) or by --drift_target / --factory_target
// with an optional --drift_pid / --factory_pid to read its CPU and RSS.
//
// Exit status: 0 the table was printed (targets missed or not: a benchmark); 1 a
// frame written on an admitted call went unanswered or a call ended with an error
// (refusals apart), or a server could not be started or reached; 2 a bad command
// line; 3 with --enforce, a target was missed.
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iterator>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "absl/flags/flag.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "clients/common/channel_flags.h"
#include "services/common/command_line.h"
#include "tests/load/camera_load.h"
#include "tests/load/load_table.h"
#include "tests/load/load_targets.h"
#include "tests/load/process_stats.h"
#include "tests/load/sample_jpegs.h"
#include "tests/load/spawned_service.h"
#include "tests/load/telemetry_load.h"

ABSL_FLAG(std::string, drift_monitor, "", "drift-monitor binary to start (or --drift_target)");
ABSL_FLAG(std::string, drift_monitor_args, "",
          "Flags for the drift-monitor started, space-separated (default: none)");
ABSL_FLAG(std::string, drift_target, "", "A running drift-monitor's HOST:PORT");
ABSL_FLAG(int, drift_pid, 0, "Its process id, to read its CPU and RSS (0 = not measured)");
ABSL_FLAG(std::string, factory_sim, "", "factory-sim binary to start (or --factory_target)");
ABSL_FLAG(std::string, factory_sim_args, "",
          "Flags for the factory-sim started, space-separated (default: none)");
ABSL_FLAG(std::string, factory_target, "", "A running factory-sim's HOST:PORT");
ABSL_FLAG(int, factory_pid, 0, "Its process id, to read its CPU and RSS (0 = not measured)");

ABSL_FLAG(int, cameras, 1000, "Concurrent camera streams (0 = no camera phase)");
ABSL_FLAG(int, cameras_per_call, 1, "Cameras sharing one Ingest call (1 = a call per camera)");
ABSL_FLAG(double, fps, 0.5, "Frames per second per camera");
ABSL_FLAG(absl::Duration, duration, absl::Seconds(60), "How long each camera and run lasts");
ABSL_FLAG(absl::Duration, ramp, absl::Seconds(5), "Call starts are spread over this");
ABSL_FLAG(int, channels, 16, "gRPC connections the calls are spread over (1..1024)");
ABSL_FLAG(std::string, video, ".cache/sample-data/vtest.avi", "Video the frames come from");
ABSL_FLAG(int, frame_width, 640, "Frame width, pixels");
ABSL_FLAG(int, frame_height, 480, "Frame height, pixels");
ABSL_FLAG(int, jpeg_quality, 90, "JPEG quality of the frames (1..100)");
ABSL_FLAG(int, telemetry_runs, 200, "Concurrent telemetry runs (0 = no telemetry phase)");
ABSL_FLAG(double, slow_readers, 0.2, "Fraction of the runs that read slowly, 0..1");
ABSL_FLAG(absl::Duration, slow_read_delay, absl::Seconds(1), "A slow reader's pause per read");
ABSL_FLAG(int, tick_interval_ms, 200, "The telemetry runs' pace, ms per tick (1..60000)");
ABSL_FLAG(bool, enforce, false, "Exit 3 when a target is missed");
ABSL_FLAG(std::string, log_dir, "",
          "Where started servers write their logs (default: a new folder under /tmp, removed "
          "after a run without integrity failure)");

namespace {

// A server under load: started here, or given by its address.
struct Server {
  std::unique_ptr<df::load::SpawnedService> spawned;
  std::string target;
  pid_t pid = 0;
  df::load::ServerFlags flags = df::load::ServerFlags::kUnknown;
  std::string description;
};

absl::StatusOr<Server> OpenServer(const std::string& name, const std::string& binary,
                                  const std::string& args_text, const std::string& target, int pid,
                                  std::vector<std::string> fixed_args, const std::string& log_dir) {
  Server server;
  if (binary.empty()) {
    server.target = target;
    server.pid = pid;
    server.description =
        absl::StrCat(name, " ", target, pid > 0 ? absl::StrCat(" (pid ", pid, ")") : "",
                     ", not started here: flags unknown");
    return server;
  }
  std::vector<std::string> args = absl::StrSplit(args_text, ' ', absl::SkipEmpty());
  server.flags = args.empty() ? df::load::ServerFlags::kDefault : df::load::ServerFlags::kChanged;
  fixed_args.insert(fixed_args.end(), args.begin(), args.end());
  absl::StatusOr<std::unique_ptr<df::load::SpawnedService>> spawned =
      df::load::SpawnedService::Start(name, binary, fixed_args, log_dir);
  if (!spawned.ok()) return spawned.status();
  server.spawned = *std::move(spawned);
  server.target = server.spawned->grpc_target();
  server.pid = server.spawned->pid();
  server.description =
      absl::StrCat(name, " ", server.target, " (pid ", server.pid, ", ",
                   args.empty() ? "default flags" : absl::StrCat("flags: ", args_text), ")");
  return server;
}

absl::StatusOr<std::vector<std::shared_ptr<grpc::Channel>>> Channels(const std::string& target,
                                                                     int count) {
  std::vector<std::shared_ptr<grpc::Channel>> channels;
  grpc::ChannelArguments arguments;
  // Each channel its own connection (channels with equal arguments share one otherwise).
  arguments.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  for (int i = 0; i < count; ++i) {
    absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
        df::client::ChannelFromFlags(target, arguments);
    if (!channel.ok()) return channel.status();
    if (!(*channel)->WaitForConnected(std::chrono::system_clock::now() +
                                      std::chrono::seconds(10))) {
      return absl::UnavailableError(absl::StrCat("cannot connect to ", target, " within 10 s"));
    }
    channels.push_back(*std::move(channel));
  }
  return channels;
}

// Runs `phase` and measures the server's and this program's CPU and RSS over it.
df::load::PhaseUsage Measure(const Server& server, const std::function<void()>& phase) {
  df::load::PhaseUsage usage;
  usage.server = server.description;
  absl::StatusOr<df::load::ProcessStats> own_before = df::load::ReadProcessStats(::getpid());
  absl::StatusOr<df::load::ProcessStats> before =
      server.pid > 0 ? df::load::ReadProcessStats(server.pid)
                     : absl::StatusOr<df::load::ProcessStats>(absl::NotFoundError("no pid"));
  phase();
  absl::StatusOr<df::load::ProcessStats> own_after = df::load::ReadProcessStats(::getpid());
  if (own_before.ok() && own_after.ok()) {
    usage.own_cpu_seconds = own_after->cpu_seconds - own_before->cpu_seconds;
  }
  if (before.ok()) {
    absl::StatusOr<df::load::ProcessStats> after = df::load::ReadProcessStats(server.pid);
    if (after.ok()) {
      usage.server_measured = true;
      usage.server_cpu_seconds = after->cpu_seconds - before->cpu_seconds;
      usage.server_peak_rss_bytes = after->peak_rss_bytes;
      usage.server_end_rss_bytes = after->rss_bytes;
    }
  }
  return usage;
}

std::string LoadAverage() {
  std::ifstream in("/proc/loadavg");
  std::string text(std::istreambuf_iterator<char>(in), {});
  while (!text.empty() && text.back() == '\n') text.pop_back();
  return text;
}

int Fail(const std::string& message) {
  std::fprintf(stderr, "df-load: %s\n", message.c_str());
  return 1;
}

}  // namespace

int main(int argc, char** argv) {
  df::cli::CommandLineSpec spec;
  spec.program = "df-load";
  spec.usage =
      "drives drift-monitor with N cameras and factory-sim with M telemetry runs over real\n"
      "gRPC and prints frames sent/answered, refusals, latency, server CPU and RSS, and\n"
      "issue 11's targets.\n\n"
      "usage: df-load --drift_monitor=BINARY|--drift_target=HOST:PORT\n"
      "               --factory_sim=BINARY|--factory_target=HOST:PORT [flags]\n"
      "Exit status: 0 table printed; 1 unanswered frames, call errors or no server;\n"
      "2 usage error; 3 a target missed with --enforce.";
  spec.help_folders = {"tests/load/", "clients/common/"};
  if (!df::cli::ParseCommandLineOrExit({argv, argv + argc}, spec).empty()) {
    return df::cli::UsageError("no positional arguments are taken");
  }
  df::load::CameraLoadOptions cameras;
  cameras.cameras = absl::GetFlag(FLAGS_cameras);
  cameras.cameras_per_call = absl::GetFlag(FLAGS_cameras_per_call);
  cameras.frames_per_second = absl::GetFlag(FLAGS_fps);
  cameras.duration = absl::GetFlag(FLAGS_duration);
  cameras.ramp = absl::GetFlag(FLAGS_ramp);
  df::load::TelemetryLoadOptions telemetry;
  telemetry.runs = absl::GetFlag(FLAGS_telemetry_runs);
  telemetry.slow_fraction = absl::GetFlag(FLAGS_slow_readers);
  telemetry.slow_read_delay = absl::GetFlag(FLAGS_slow_read_delay);
  telemetry.tick_interval_ms = absl::GetFlag(FLAGS_tick_interval_ms);
  telemetry.duration = cameras.duration;
  telemetry.ramp = cameras.ramp;
  const int channel_count = absl::GetFlag(FLAGS_channels);
  if (channel_count < 1 || channel_count > 1024) {
    return df::cli::UsageError("--channels must be in 1..1024");
  }
  const bool camera_phase = cameras.cameras > 0;
  const bool telemetry_phase = telemetry.runs > 0;
  if (absl::Status s = df::load::ValidateCameraLoadOptions(cameras); camera_phase && !s.ok()) {
    return df::cli::UsageError(s.message());
  }
  if (absl::Status s = df::load::ValidateTelemetryLoadOptions(telemetry);
      telemetry_phase && !s.ok()) {
    return df::cli::UsageError(s.message());
  }
  if (camera_phase &&
      absl::GetFlag(FLAGS_drift_monitor).empty() == absl::GetFlag(FLAGS_drift_target).empty()) {
    return df::cli::UsageError("give one of --drift_monitor and --drift_target (or --cameras=0)");
  }
  if (telemetry_phase &&
      absl::GetFlag(FLAGS_factory_sim).empty() == absl::GetFlag(FLAGS_factory_target).empty()) {
    return df::cli::UsageError(
        "give one of --factory_sim and --factory_target (or --telemetry_runs=0)");
  }
  df::load::SampleJpegOptions sample;
  sample.width = absl::GetFlag(FLAGS_frame_width);
  sample.height = absl::GetFlag(FLAGS_frame_height);
  sample.quality = absl::GetFlag(FLAGS_jpeg_quality);
  if (sample.width < 16 || sample.height < 16 || sample.quality < 1 || sample.quality > 100) {
    return df::cli::UsageError("--frame_width/height must be >= 16, --jpeg_quality 1..100");
  }

  std::string log_dir = absl::GetFlag(FLAGS_log_dir);
  const bool own_log_dir = log_dir.empty();
  if (own_log_dir) {
    std::string pattern = (std::filesystem::temp_directory_path() / "df-load-XXXXXX").string();
    if (::mkdtemp(pattern.data()) == nullptr) return Fail("cannot create a folder under /tmp");
    log_dir = pattern;
  }
  std::printf("df-load: %u cores, load average %s\n", std::thread::hardware_concurrency(),
              LoadAverage().c_str());
  bool integrity = true;
  bool targets_met = true;

  if (camera_phase) {
    absl::StatusOr<std::vector<std::string>> jpegs =
        df::load::SampleJpegs(absl::GetFlag(FLAGS_video), sample);
    if (!jpegs.ok()) return Fail(std::string(jpegs.status().message()));
    absl::StatusOr<Server> server =
        OpenServer("drift-monitor", absl::GetFlag(FLAGS_drift_monitor),
                   absl::GetFlag(FLAGS_drift_monitor_args), absl::GetFlag(FLAGS_drift_target),
                   absl::GetFlag(FLAGS_drift_pid), {}, log_dir);
    if (!server.ok()) return Fail(std::string(server.status().message()));
    absl::StatusOr<std::vector<std::shared_ptr<grpc::Channel>>> channels =
        Channels(server->target, channel_count);
    if (!channels.ok()) return Fail(std::string(channels.status().message()));
    size_t jpeg_bytes = 0;
    for (const std::string& j : *jpegs) jpeg_bytes += j.size();
    std::printf("df-load: %zu frames of %dx%d, JPEG q%d, %zu KiB on average; %d connections\n",
                jpegs->size(), sample.width, sample.height, sample.quality,
                jpeg_bytes / jpegs->size() / 1024, channel_count);
    std::fflush(stdout);
    absl::StatusOr<df::load::CameraLoadResult> result;
    const df::load::PhaseUsage usage =
        Measure(*server, [&] { result = df::load::RunCameraLoad(*channels, *jpegs, cameras); });
    if (!result.ok()) return Fail(std::string(result.status().message()));
    const std::vector<df::load::Verdict> checks = df::load::CameraIntegrity(*result);
    const std::vector<df::load::Verdict> targets =
        df::load::CameraTargets(cameras, *result, server->flags);
    std::printf(
        "\n%s%s%s", df::load::CameraTable(cameras, *result, usage).c_str(),
        df::load::VerdictLines("integrity (always enforced)", checks).c_str(),
        df::load::VerdictLines("targets (issue 11; enforced with --enforce)", targets).c_str());
    std::fflush(stdout);
    integrity = integrity && df::load::AllPass(checks);
    targets_met = targets_met && df::load::AllPass(targets);
  }

  if (telemetry_phase) {
    absl::StatusOr<Server> server = OpenServer(
        "factory-sim", absl::GetFlag(FLAGS_factory_sim), absl::GetFlag(FLAGS_factory_sim_args),
        absl::GetFlag(FLAGS_factory_target), absl::GetFlag(FLAGS_factory_pid),
        {"--audit_dir=" + log_dir + "/audit"}, log_dir);
    if (!server.ok()) return Fail(std::string(server.status().message()));
    absl::StatusOr<std::vector<std::shared_ptr<grpc::Channel>>> channels =
        Channels(server->target, channel_count);
    if (!channels.ok()) return Fail(std::string(channels.status().message()));
    absl::StatusOr<df::load::TelemetryLoadResult> result;
    const df::load::PhaseUsage usage =
        Measure(*server, [&] { result = df::load::RunTelemetryLoad(*channels, telemetry); });
    if (!result.ok()) return Fail(std::string(result.status().message()));
    const std::vector<df::load::Verdict> checks = df::load::TelemetryIntegrity(*result);
    std::printf("\n%s%s", df::load::TelemetryTable(telemetry, *result, usage).c_str(),
                df::load::VerdictLines("integrity (always enforced)", checks).c_str());
    integrity = integrity && df::load::AllPass(checks);
  }

  std::printf("\ndf-load: load average at the end %s\n", LoadAverage().c_str());
  if (own_log_dir && integrity) {
    std::error_code ignored;
    std::filesystem::remove_all(log_dir, ignored);
  } else {
    std::printf("df-load: server logs in %s\n", log_dir.c_str());
  }
  if (!integrity) return 1;
  if (!targets_met && absl::GetFlag(FLAGS_enforce)) return 3;
  return 0;
}
