// The feeding-tax arithmetic of a report in one line, for the audit trail beside a student's
// rationale and for explaining Act II.
//
// Usage:
//   std::string math = FeedingTaxMath(*Evaluate(levers));
//   // "demand 16,621 img/s x 115 KB = 1.92 GB/s; supply 250 MB/s (cloud_disk); efficiency =
//   //  min(1, 250 MB/s / 1.92 GB/s) = 13.0 %; GPU idle 87.0 %; epoch = max(IO 9.86 min,
//   //  network 0 s, GPU 77.1 s) = 9.86 min"
//
// Thread-safety: a pure function. Failure: none (the report comes from validated levers).
#ifndef DF_SERVICES_FACTORY_SIM_MODEL_FEEDING_TAX_MATH_H_
#define DF_SERVICES_FACTORY_SIM_MODEL_FEEDING_TAX_MATH_H_

#include <string>

#include "services/factory_sim/model/report.h"

namespace df::factory {

std::string FeedingTaxMath(const Report& report);

}  // namespace df::factory

#endif  // DF_SERVICES_FACTORY_SIM_MODEL_FEEDING_TAX_MATH_H_
