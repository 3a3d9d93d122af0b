#include "services/factory_sim/model/consequence.h"

namespace df::factory {

std::string_view SeverityName(Severity severity) {
  switch (severity) {
    case Severity::kInfo:
      return "info";
    case Severity::kWarning:
      return "warning";
    case Severity::kAlert:
      return "alert";
  }
  return "info";
}

}  // namespace df::factory
