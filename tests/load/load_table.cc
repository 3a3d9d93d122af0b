#include "tests/load/load_table.h"

#include <algorithm>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"

namespace df::load {
namespace {

constexpr double kMiB = 1 << 20;

std::string Row(const std::string& name, const std::string& value) {
  return absl::StrFormat("  %-22s %s\n", name, value);
}

std::string Calls(const CallOutcomes& o) {
  std::string errors =
      o.error_count() == 0 ? "none" : absl::StrJoin(o.errors(), ", ", absl::PairFormatter(" x "));
  return absl::StrCat(o.calls(), " (refused ", o.refused(), ", errors: ", errors, ")");
}

std::string ServerRows(const PhaseUsage& u, double units, const std::string& unit) {
  std::string rows = Row("server", u.server);
  if (!u.server_measured) return rows + Row("server CPU, RSS", "not measured (no pid)");
  const std::string per_unit =
      units > 0 ? absl::StrFormat(" = %.2f ms per %s", 1e3 * u.server_cpu_seconds / units, unit)
                : "";
  rows += Row("server CPU", absl::StrFormat("%.1f s%s", u.server_cpu_seconds, per_unit));
  rows += Row("server RSS", absl::StrFormat("peak %.0f MiB, at end %.0f MiB",
                                            static_cast<double>(u.server_peak_rss_bytes) / kMiB,
                                            static_cast<double>(u.server_end_rss_bytes) / kMiB));
  return rows;
}

}  // namespace

std::string CameraTable(const CameraLoadOptions& o, const CameraLoadResult& r,
                        const PhaseUsage& u) {
  const std::string sharing =
      o.cameras_per_call == 1
          ? absl::StrCat("one Ingest call per camera (", r.calls_planned, " calls)")
          : absl::StrCat(o.cameras_per_call, " cameras per Ingest call (", r.calls_planned,
                         " calls)");
  const std::vector<double>& l = r.latency_ms;
  const double window_s = absl::ToDoubleSeconds(r.steady_window);
  std::string t = "cameras -> drift-monitor Ingest\n";
  t += Row("load", absl::StrFormat("%d cameras x %g fps for %s, starts over %s, %s", o.cameras,
                                   o.frames_per_second, absl::FormatDuration(o.duration),
                                   absl::FormatDuration(o.ramp), sharing));
  t += Row("calls", Calls(r.outcomes));
  t += Row("frames", absl::StrFormat("planned %d, sent %d, answered %d, rejected %d",
                                     r.frames_planned, r.frames_sent, r.frames_answered, [&] {
                                       int64_t n = 0;
                                       for (const auto& [reason, c] : r.frame_errors) n += c;
                                       return n;
                                     }()));
  t +=
      Row("frames lost", absl::StrFormat("%d written on refused calls, %d due after the call ended",
                                         r.frames_on_refused_calls, r.frames_not_sent));
  t += Row("reply latency",
           absl::StrFormat("p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", Percentile(l, 0.5),
                           Percentile(l, 0.9), Percentile(l, 0.99), l.empty() ? 0.0 : l.back()));
  t += Row(
      "achieved rate",
      window_s > 0
          ? absl::StrFormat("%.1f fps answered of %g offered (all cameras "
                            "sending, %.0f s)",
                            static_cast<double>(r.answered_in_steady_window) / window_s,
                            o.cameras * o.frames_per_second, window_s)
          : absl::StrFormat("%.1f fps answered over %.0f s",
                            static_cast<double>(r.frames_answered) / absl::ToDoubleSeconds(r.wall),
                            absl::ToDoubleSeconds(r.wall)));
  t += ServerRows(u, static_cast<double>(r.frames_answered), "frame");
  t += Row("load program CPU", absl::StrFormat("%.1f s (same machine)", u.own_cpu_seconds));
  return t;
}

std::string TelemetryTable(const TelemetryLoadOptions& o, const TelemetryLoadResult& r,
                           const PhaseUsage& u) {
  std::vector<double> fast, slow, coalesced;
  int64_t messages = 0;
  for (const TelemetryRunTally& run : r.runs) {
    if (run.refused) continue;
    (run.slow ? slow : fast).push_back(static_cast<double>(run.messages));
    if (run.slow) coalesced.push_back(static_cast<double>(run.coalesced_ticks));
    messages += run.messages;
  }
  for (std::vector<double>* v : {&fast, &slow, &coalesced}) std::sort(v->begin(), v->end());
  auto per_run = [](const std::vector<double>& v) {
    return v.empty() ? std::string("none admitted")
                     : absl::StrFormat("p50 %.0f, min %.0f (%d runs)", Percentile(v, 0.5),
                                       v.front(), v.size());
  };
  std::string t = "telemetry runs -> factory-sim StreamTelemetry\n";
  t += Row("load", absl::StrFormat("%d runs of %s, a tick every %d ms, for %s, starts over %s; "
                                   "%g %% slow readers (a read every %s)",
                                   o.runs, o.scenario, o.tick_interval_ms,
                                   absl::FormatDuration(o.duration), absl::FormatDuration(o.ramp),
                                   100 * o.slow_fraction, absl::FormatDuration(o.slow_read_delay)));
  t += Row("calls", Calls(r.outcomes));
  t += Row("messages per run", absl::StrCat("fast readers: ", per_run(fast)));
  t += Row("", absl::StrCat("slow readers: ", per_run(slow)));
  t += Row("coalesced ticks", coalesced.empty()
                                  ? std::string("no slow reader admitted")
                                  : absl::StrFormat("per slow run p50 %.0f, min %.0f",
                                                    Percentile(coalesced, 0.5), coalesced.front()));
  t += ServerRows(u, static_cast<double>(messages), "message");
  t += Row("load program CPU", absl::StrFormat("%.1f s (same machine)", u.own_cpu_seconds));
  return t;
}

std::string VerdictLines(const std::string& heading, const std::vector<Verdict>& verdicts) {
  std::string t = heading + "\n";
  for (const Verdict& v : verdicts) {
    absl::StrAppend(
        &t, absl::StrFormat("  %s  %-48s %s\n", v.pass ? "PASS" : "FAIL", v.what, v.detail));
  }
  return t;
}

}  // namespace df::load
