// factory-cli: the terminal dashboard of the Data Factory simulator.
// See cli_args.h for the commands. Exit codes: 0 ok, 1 the server answered with
// an error (or is unreachable), 2 bad command line.
#include <google/protobuf/util/json_util.h>
#include <grpcpp/grpcpp.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/flags/flag.h"
#include "clients/common/channel_flags.h"
#include "clients/factory_cli/cli_args.h"
#include "clients/factory_cli/dashboard_render.h"
#include "clients/factory_cli/lab_render.h"
#include "clients/factory_cli/waterfall_png.h"
#include "datafactory/factory/v1/factory_sim.grpc.pb.h"
#include "services/common/command_line.h"

// Defaults come from CliArgs, where the checks and tests see them.
ABSL_FLAG(std::string, target, df::factory_cli::CliArgs{}.target,
          "factory-sim's gRPC address, host:port");
ABSL_FLAG(std::string, scenario, "", "scenario to start from: act1, act2, act3 (see 'scenarios')");
ABSL_FLAG(std::vector<std::string>, set, {},
          "lever settings name=value (evaluate, watch, rationale); repeat the flag or separate "
          "settings with commas");
ABSL_FLAG(std::string, session, "",
          "session id whose audit trail records the call (required by rationale, audit)");
ABSL_FLAG(std::string, text, "", "the rationale to record (rationale)");
ABSL_FLAG(std::string, png, "", "also draw the report into this PNG file (evaluate)");
ABSL_FLAG(bool, json, false, "print protobuf JSON instead of the dashboard");
ABSL_FLAG(bool, no_color, false,
          "plain text without colours (also --no-color; so is output that is not a terminal, "
          "or with NO_COLOR set)");
ABSL_FLAG(int, interval_ms, df::factory_cli::CliArgs{}.interval_ms,
          "watch: wall-clock milliseconds between ticks, 0..60000; 0 runs unpaced");
ABSL_FLAG(int, epochs, df::factory_cli::CliArgs{}.epochs, "watch: epochs to run, 1..1000");
ABSL_FLAG(std::optional<double>, sim_seconds_per_tick, std::nullopt,
          "watch: simulated seconds per tick, > 0 (unset: the server's default)");
ABSL_FLAG(int, change_after, df::factory_cli::CliArgs{}.change_after,
          "watch: ticks to read before sending the --change settings, 0..1000000");
ABSL_FLAG(std::vector<std::string>, change, {},
          "watch: lever settings to apply mid-run, name=value, repeatable like --set");
ABSL_FLAG(std::string, filter, "",
          "figures: show the figures whose id, description or source "
          "contains this text");
ABSL_FLAG(std::vector<std::string>, answer, {},
          "lab: answers to the act's predictions, in order (repeat the flag or separate with "
          "commas; no thousands separators), e.g. --answer 116 --answer 90000");

namespace {

namespace v1 = ::datafactory::factory::v1;
using df::factory_cli::CliArgs;
using df::factory_cli::RenderOptions;

constexpr int kExitServer = 1;
constexpr int kExitUsage = 2;

int Fail(const CliArgs& args, const grpc::Status& status) {
  if (status.error_code() == grpc::StatusCode::UNAVAILABLE ||
      status.error_code() == grpc::StatusCode::DEADLINE_EXCEEDED) {
    std::cerr << "factory-cli: cannot reach factory-sim at " << args.target << " ("
              << status.error_message() << ")\n";
  } else {
    std::cerr << "factory-cli: " << status.error_message() << "\n";
  }
  return kExitServer;
}

std::unique_ptr<grpc::ClientContext> Unary() {
  auto context = std::make_unique<grpc::ClientContext>();
  context->set_deadline(std::chrono::system_clock::now() + std::chrono::seconds(10));
  return context;
}

// Protobuf JSON with the protos' field names: indented, or on one line (JSON Lines,
// for a stream of ticks).
void PrintJson(const google::protobuf::Message& message, bool one_line = false) {
  std::string json;
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = !one_line;
  options.preserve_proto_field_names = true;
  if (const auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
      !status.ok()) {
    std::cerr << "factory-cli: cannot print JSON: " << status.ToString() << "\n";
    return;
  }
  std::cout << json << (json.empty() || json.back() != '\n' ? "\n" : "");
}

v1::LeverSelection Selection(const CliArgs& args) {
  v1::LeverSelection selection;
  if (!args.scenario.empty()) selection.set_scenario(args.scenario);
  for (const std::string& s : args.settings) selection.add_set(s);
  return selection;
}

int Scenarios(v1::FactorySim::Stub& stub, const CliArgs& args, const RenderOptions& o) {
  v1::ListScenariosResponse response;
  const grpc::Status status = stub.ListScenarios(Unary().get(), {}, &response);
  if (!status.ok()) return Fail(args, status);
  if (args.json) {
    PrintJson(response);
  } else {
    std::cout << df::factory_cli::RenderScenarios(response, o);
  }
  return 0;
}

// The session's latest graded rationale, for the PNG's Zone 4 (none without a session, or
// when the trail cannot be read: the picture then says so).
std::optional<v1::RationaleRecorded> LatestRationale(v1::FactorySim::Stub& stub,
                                                     const std::string& session) {
  std::optional<v1::RationaleRecorded> latest;
  if (session.empty()) return latest;
  v1::GetAuditTrailRequest request;
  request.set_session_id(session);
  request.set_page_size(1000);
  do {
    v1::GetAuditTrailResponse page;
    if (!stub.GetAuditTrail(Unary().get(), request, &page).ok()) return latest;
    for (const v1::AuditEntry& e : page.entries()) {
      if (e.has_rationale()) latest = e.rationale();
    }
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  return latest;
}

int Evaluate(v1::FactorySim::Stub& stub, const CliArgs& args, const RenderOptions& o) {
  v1::EvaluateRequest request;
  *request.mutable_selection() = Selection(args);
  request.set_session_id(args.session);
  v1::EvaluateResponse response;
  const grpc::Status status = stub.Evaluate(Unary().get(), request, &response);
  if (!status.ok()) return Fail(args, status);
  if (args.json) {
    PrintJson(response.report());
  } else {
    std::cout << df::factory_cli::RenderDashboard(response.report(), o);
  }
  if (!args.png_path.empty()) {
    const std::optional<v1::RationaleRecorded> rationale = LatestRationale(stub, args.session);
    const absl::Status written = df::factory_cli::WritePng(
        df::factory_cli::DrawReport(response.report(), rationale ? &*rationale : nullptr),
        args.png_path);
    if (!written.ok()) {
      std::cerr << "factory-cli: " << written.message() << "\n";
      return kExitUsage;
    }
    std::cerr << "factory-cli: wrote " << args.png_path << "\n";
  }
  return 0;
}

int Watch(v1::FactorySim::Stub& stub, const CliArgs& args, const RenderOptions& o) {
  grpc::ClientContext context;
  auto stream = stub.LiveRun(&context);
  v1::LiveRunRequest start;
  *start.mutable_start()->mutable_selection() = Selection(args);
  start.mutable_start()->mutable_pace()->set_tick_interval_ms(args.interval_ms);
  start.mutable_start()->mutable_pace()->set_epochs(args.epochs);
  start.mutable_start()->mutable_pace()->set_simulated_seconds_per_tick(
      args.sim_seconds_per_tick.value_or(0));  // 0: the server's default
  start.mutable_start()->set_session_id(args.session);
  stream->Write(start);
  if (args.changes.empty()) stream->WritesDone();
  v1::TelemetryTick tick;
  int read = 0;
  while (stream->Read(&tick)) {
    ++read;
    if (args.json) {
      PrintJson(tick, /*one_line=*/true);
    } else {
      std::cout << df::factory_cli::RenderTick(tick, o);
    }
    std::cout.flush();
    if (!args.changes.empty() && read == args.change_after) {
      v1::LiveRunRequest change;
      for (const std::string& s : args.changes) change.mutable_change()->add_set(s);
      stream->Write(change);
      stream->WritesDone();
    }
  }
  const grpc::Status status = stream->Finish();
  if (!status.ok()) return Fail(args, status);
  return 0;
}

int Rationale(v1::FactorySim::Stub& stub, const CliArgs& args, const RenderOptions& o) {
  v1::SubmitRationaleRequest request;
  request.set_session_id(args.session);
  request.set_text(args.text);
  if (!args.scenario.empty() || !args.settings.empty()) {
    *request.mutable_selection() = Selection(args);
  }
  v1::SubmitRationaleResponse response;
  const grpc::Status status = stub.SubmitRationale(Unary().get(), request, &response);
  if (!status.ok()) return Fail(args, status);
  if (args.json) {
    PrintJson(response);
  } else {
    v1::GetAuditTrailResponse one;
    *one.add_entries() = response.entry();
    std::cout << df::factory_cli::RenderAuditTrail(one, o);
  }
  return 0;
}

int Audit(v1::FactorySim::Stub& stub, const CliArgs& args, const RenderOptions& o) {
  v1::GetAuditTrailRequest request;
  request.set_session_id(args.session);
  v1::GetAuditTrailResponse response;  // every page, merged
  do {
    v1::GetAuditTrailResponse page;
    const grpc::Status status = stub.GetAuditTrail(Unary().get(), request, &page);
    if (!status.ok()) return Fail(args, status);
    for (auto& entry : *page.mutable_entries()) *response.add_entries() = std::move(entry);
    request.set_page_token(page.next_page_token());
  } while (!request.page_token().empty());
  if (args.json) {
    PrintJson(response);
  } else {
    std::cout << df::factory_cli::RenderAuditTrail(response, o);
  }
  return 0;
}

int Figures(v1::FactorySim::Stub& stub, const CliArgs& args, const RenderOptions& o) {
  v1::GetFigureCatalogueResponse response;
  const grpc::Status status = stub.GetFigureCatalogue(Unary().get(), {}, &response);
  if (!status.ok()) return Fail(args, status);
  if (args.json) {
    PrintJson(response);
  } else {
    std::cout << df::factory_cli::RenderFigures(response, args.filter, o);
  }
  return 0;
}

// Answers for the lab's predictions: the --answer values in order, then, only when stdin is a
// terminal, typed in. Without a terminal nothing is read, so a run in CI never waits.
class Answers {
 public:
  Answers(std::vector<std::string> given, bool terminal)
      : given_(std::move(given)), terminal_(terminal) {}

  std::optional<double> Next(bool quiet) {
    if (next_ < given_.size()) {
      const std::string& text = given_[next_++];
      if (!quiet) std::cout << "  your answer: " << text << " (--answer)\n";
      return df::factory_cli::ParseAnswer(text);  // checked by ValidateCliArgs
    }
    if (!terminal_) {
      if (!quiet) std::cout << "  (no answer: pass --answer; stdin is not a terminal)\n";
      return std::nullopt;
    }
    for (int attempt = 0; attempt < 3; ++attempt) {
      std::cout << "  your answer (empty to skip): " << std::flush;
      std::string line;
      if (!std::getline(std::cin, line)) {
        terminal_ = false;  // end of input: ask no more
        std::cout << "\n";
        return std::nullopt;
      }
      if (line.find_first_not_of(" \t") == std::string::npos) return std::nullopt;
      if (std::optional<double> answer = df::factory_cli::ParseAnswer(line)) return answer;
      std::cout << "  that does not start with a number\n";
    }
    return std::nullopt;
  }

 private:
  std::vector<std::string> given_;
  size_t next_ = 0;
  bool terminal_;
};

int Lab(v1::FactorySim::Stub& stub, const CliArgs& args, const RenderOptions& o) {
  v1::ListActsResponse acts;
  grpc::Status status = stub.ListActs(Unary().get(), {}, &acts);
  if (!status.ok()) return Fail(args, status);
  const v1::Act* act = nullptr;
  for (const v1::Act& a : acts.acts()) {
    if (a.id() == args.act) act = &a;
  }
  if (act == nullptr) {
    std::cerr << "factory-cli: factory-sim has no act '" << args.act << "'\n";
    return kExitServer;
  }
  // --json: JSON Lines, the act first, then each check and the rationale's entry.
  if (args.json) {
    PrintJson(*act, /*one_line=*/true);
  } else {
    std::cout << df::factory_cli::RenderActIntro(*act, o);
  }
  Answers answers(args.answers, isatty(STDIN_FILENO) == 1 && !args.json);
  int number = 0;
  for (const v1::Prediction& prediction : act->predictions()) {
    if (!args.json) std::cout << df::factory_cli::RenderQuestion(prediction, ++number, o);
    const std::optional<double> answer = answers.Next(args.json);
    if (!answer) continue;
    v1::CheckPredictionRequest request;
    request.set_act(act->id());
    request.set_prediction_id(prediction.id());
    request.set_answer(*answer);
    request.set_session_id(args.session);
    v1::CheckPredictionResponse check;
    status = stub.CheckPrediction(Unary().get(), request, &check);
    if (!status.ok()) return Fail(args, status);
    if (args.json) {
      PrintJson(check, /*one_line=*/true);
    } else {
      std::cout << df::factory_cli::RenderPredictionCheck(check, o);
    }
  }
  if (!args.json) std::cout << df::factory_cli::RenderReveal(*act, o);
  if (!args.text.empty()) {
    v1::SubmitRationaleRequest request;
    request.set_session_id(args.session);
    request.set_text(args.text);
    request.mutable_selection()->set_scenario(act->scenario_name());
    for (const std::string& s : args.settings) request.mutable_selection()->add_set(s);
    v1::SubmitRationaleResponse response;
    status = stub.SubmitRationale(Unary().get(), request, &response);
    if (!status.ok()) return Fail(args, status);
    if (args.json) {
      PrintJson(response, /*one_line=*/true);
    } else {
      std::cout << "Your rationale: \"" << args.text << "\"\n"
                << df::factory_cli::RenderGrade(response.entry().rationale().grade(), o);
    }
  }
  if (!args.json) std::cout << df::factory_cli::RenderReflection(*act, o);
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> argv_strings(argv, argv + argc);
  if (argv_strings.size() > 1 && argv_strings[1] == "help") argv_strings[1] = "--help";
  const std::vector<std::string> positional = df::cli::ParseCommandLineOrExit(
      std::move(argv_strings), {.program = "factory-cli",
                                .usage = df::factory_cli::Usage(),
                                .help_folders = {"clients/factory_cli/", "clients/common/"},
                                .usage_exit_code = kExitUsage,
                                .list_flags = {"set", "change", "answer"},
                                .aliases = {{"no-color", "no_color"}}});
  CliArgs flags;
  flags.target = absl::GetFlag(FLAGS_target);
  flags.scenario = absl::GetFlag(FLAGS_scenario);
  flags.settings = absl::GetFlag(FLAGS_set);
  flags.session = absl::GetFlag(FLAGS_session);
  flags.text = absl::GetFlag(FLAGS_text);
  flags.png_path = absl::GetFlag(FLAGS_png);
  flags.json = absl::GetFlag(FLAGS_json);
  flags.no_color = absl::GetFlag(FLAGS_no_color);
  flags.interval_ms = absl::GetFlag(FLAGS_interval_ms);
  flags.epochs = absl::GetFlag(FLAGS_epochs);
  flags.sim_seconds_per_tick = absl::GetFlag(FLAGS_sim_seconds_per_tick);
  flags.change_after = absl::GetFlag(FLAGS_change_after);
  flags.changes = absl::GetFlag(FLAGS_change);
  flags.filter = absl::GetFlag(FLAGS_filter);
  flags.answers = absl::GetFlag(FLAGS_answer);
  absl::StatusOr<CliArgs> args = df::factory_cli::ValidateCliArgs(positional, std::move(flags));
  if (!args.ok()) return df::cli::UsageError(args.status().message());
  RenderOptions options;
  options.color = !args->no_color &&
                  df::factory_cli::UseColor(isatty(STDOUT_FILENO) == 1, std::getenv("NO_COLOR"));
  absl::StatusOr<std::shared_ptr<grpc::Channel>> channel =
      df::client::ChannelFromFlags(args->target);
  if (!channel.ok()) return df::cli::UsageError(channel.status().message());
  auto stub = v1::FactorySim::NewStub(*channel);
  if (args->command == "scenarios") return Scenarios(*stub, *args, options);
  if (args->command == "evaluate") return Evaluate(*stub, *args, options);
  if (args->command == "watch") return Watch(*stub, *args, options);
  if (args->command == "rationale") return Rationale(*stub, *args, options);
  if (args->command == "figures") return Figures(*stub, *args, options);
  if (args->command == "lab") return Lab(*stub, *args, options);
  return Audit(*stub, *args, options);
}
