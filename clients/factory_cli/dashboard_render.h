// The four-zone terminal dashboard of factory-cli, as pure functions from the API's
// messages to text:
//   Zone 1  header: title, persona and scale, the three badges (green/red)
//   Zone 2  the levers in force
//   Zone 3  the four ledger cards, the data-gravity waterfall as two timelines
//           (serial and overlapped) with a legend, the transfer plans (and what
//           they leave unpriced), energy, money (idle-GPU burn, storage per tier)
//           and the drift check's per-city results
//   Zone 4  the consequence log
//
// Usage:
//   std::cout << RenderDashboard(report, {.color = UseColor(isatty(1), getenv("NO_COLOR"))});
//
// Colour is ANSI escape codes, off unless asked for; with it off the text is plain
// ASCII-friendly UTF-8. Thread-safe; never fails (missing fields render as zero).
#ifndef DATA_FACTORY_CLIENTS_FACTORY_CLI_DASHBOARD_RENDER_H_
#define DATA_FACTORY_CLIENTS_FACTORY_CLI_DASHBOARD_RENDER_H_

#include <string>
#include <vector>

#include "datafactory/factory/v1/factory_sim.pb.h"

namespace df::factory_cli {

struct RenderOptions {
  bool color = false;
  int width = 80;  // columns
};

// The badge's text as the dashboard shows it ("No Drift" / "Drift Detected" for
// the drift alert).
std::string BadgeLabel(const ::datafactory::factory::v1::Badge& badge);

// Colour only on a terminal and when NO_COLOR is unset (https://no-color.org).
bool UseColor(bool stdout_is_tty, const char* no_color_env);

std::string RenderDashboard(const ::datafactory::factory::v1::Report& report,
                            const RenderOptions& options);
std::string RenderLevers(const ::datafactory::factory::v1::Levers& levers);

// One part of a waterfall timeline: its name, its glyph in text and its length.
struct WaterfallSegment {
  const char* name;
  char glyph;  // I disk IO, N network, G GPU math, S stall
  double seconds;
};
// The epoch without overlap: disk IO, network, GPU math end to end.
std::vector<WaterfallSegment> SerialTimeline(const ::datafactory::factory::v1::Waterfall& w);
// The epoch with prefetching: GPU math, then the exposed stall (IO and network run beside).
std::vector<WaterfallSegment> OverlappedTimeline(const ::datafactory::factory::v1::Waterfall& w);
// Both timelines on one time axis, with a legend naming each part's duration.
std::string RenderWaterfall(const ::datafactory::factory::v1::Waterfall& waterfall,
                            const RenderOptions& options);
std::string RenderMoney(const ::datafactory::factory::v1::Report& report,
                        const RenderOptions& options);
std::string RenderDrift(const ::datafactory::factory::v1::DriftCheck& drift,
                        const RenderOptions& options);
// One line per telemetry tick for `factory-cli watch`, plus any consequences and,
// at an epoch end, the waterfall.
std::string RenderTick(const ::datafactory::factory::v1::TelemetryTick& tick,
                       const RenderOptions& options);
std::string RenderScenarios(const ::datafactory::factory::v1::ListScenariosResponse& scenarios,
                            const RenderOptions& options);
std::string RenderAuditTrail(const ::datafactory::factory::v1::GetAuditTrailResponse& trail,
                             const RenderOptions& options);
// A rationale's grade: verdict, summary, each check worked out, the feeding-tax math.
std::string RenderGrade(const ::datafactory::factory::v1::RationaleGrade& grade,
                        const RenderOptions& options);
// The figure catalogue, or the figures whose id, description or source contains `filter`
// (case-insensitive): id, value, unit, estimate flag, description, source.
std::string RenderFigures(const ::datafactory::factory::v1::GetFigureCatalogueResponse& catalogue,
                          const std::string& filter, const RenderOptions& options);

}  // namespace df::factory_cli

#endif  // DATA_FACTORY_CLIENTS_FACTORY_CLI_DASHBOARD_RENDER_H_
