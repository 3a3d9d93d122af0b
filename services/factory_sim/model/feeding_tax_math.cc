#include "services/factory_sim/model/feeding_tax_math.h"

#include "absl/strings/str_format.h"
#include "services/units/units_format.h"

namespace df::factory {

using units::FormatBytes;
using units::FormatBytesPerS;
using units::FormatCount;
using units::FormatDuration;

std::string FeedingTaxMath(const Report& r) {
  const FeedingTax& tax = r.feeding_tax;
  const double sample_bytes = r.workload.mean_sample_bytes;
  const double images_per_s = tax.demand_bytes_per_s / sample_bytes;
  const Waterfall& w = r.waterfall;
  return absl::StrFormat(
      "demand %s img/s x %s = %s; supply %s (%s%s); efficiency = min(1, %s / %s) = %.1f %%; "
      "GPU idle %.1f %%; epoch = max(IO %s, network %s, GPU %s) = %s",
      FormatCount(images_per_s), FormatBytes(sample_bytes), FormatBytesPerS(tax.demand_bytes_per_s),
      FormatBytesPerS(tax.supply_bytes_per_s), StorageTierName(r.levers.storage_tier),
      w.network_seconds > 0 ? " over fiber" : "", FormatBytesPerS(tax.supply_bytes_per_s),
      FormatBytesPerS(tax.demand_bytes_per_s), tax.efficiency * 100, tax.gpu_idle_fraction * 100,
      FormatDuration(w.disk_io_seconds), FormatDuration(w.network_seconds),
      FormatDuration(w.gpu_math_seconds), FormatDuration(w.epoch_overlapped_seconds));
}

}  // namespace df::factory
