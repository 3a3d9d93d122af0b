// The four-zone terminal dashboard of factory-cli, as pure functions from the API's
// messages to text:
//   Zone 1  header: title, persona and scale, the three badges (green/red)
//   Zone 2  the levers in force
//   Zone 3  the four ledger cards, the data-gravity waterfall as a bar chart and
//           the transfer plans
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
std::string RenderWaterfall(const ::datafactory::factory::v1::Waterfall& waterfall,
                            const RenderOptions& options);
// One line per telemetry tick for `factory-cli watch`, plus any consequences and,
// at an epoch end, the waterfall.
std::string RenderTick(const ::datafactory::factory::v1::TelemetryTick& tick,
                       const RenderOptions& options);
std::string RenderScenarios(const ::datafactory::factory::v1::ListScenariosResponse& scenarios,
                            const RenderOptions& options);
std::string RenderAuditTrail(const ::datafactory::factory::v1::GetAuditTrailResponse& trail,
                             const RenderOptions& options);

}  // namespace df::factory_cli

#endif  // DATA_FACTORY_CLIENTS_FACTORY_CLI_DASHBOARD_RENDER_H_
