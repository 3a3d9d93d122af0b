#include "services/factory_sim/model/levers.h"

#include <array>
#include <cmath>
#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"

namespace df::factory {
namespace {

// Abseil here has its own string_view type; these bridge std::string_view to it.
absl::string_view Av(std::string_view text) { return absl::string_view(text.data(), text.size()); }
std::string_view Strip(std::string_view text) {
  const absl::string_view stripped = absl::StripAsciiWhitespace(Av(text));
  return std::string_view(stripped.data(), stripped.size());
}
bool ParseDouble(std::string_view text, double* out) { return absl::SimpleAtod(Av(text), out); }
// Round-trips through ParseDouble.
std::string Number(double value) { return absl::StrFormat("%.15g", value); }

template <typename Enum>
struct EnumName {
  std::string_view name;
  Enum value;
};

constexpr std::array<EnumName<Persona>, 4> kPersonas = {{
    {"cloud_titan", Persona::kCloudTitan},
    {"edge_guardian", Persona::kEdgeGuardian},
    {"mobile_nomad", Persona::kMobileNomad},
    {"tiny_pioneer", Persona::kTinyPioneer},
}};
// The first entry for each value is its canonical name; later ones are aliases.
constexpr std::array<EnumName<StorageTier>, 13> kTiers = {{
    {"local_nvme", StorageTier::kLocalNvme},
    {"cloud_disk", StorageTier::kCloudDisk},
    {"object_store", StorageTier::kObjectStore},
    {"object_store_infrequent", StorageTier::kObjectStoreInfrequent},
    {"glacier_instant", StorageTier::kGlacierInstant},
    {"glacier_flexible", StorageTier::kGlacierFlexible},
    {"glacier_deep_archive", StorageTier::kGlacierDeepArchive},
    {"nvme", StorageTier::kLocalNvme},
    {"disk", StorageTier::kCloudDisk},
    {"ebs", StorageTier::kCloudDisk},
    {"s3", StorageTier::kObjectStore},
    {"s3_ia", StorageTier::kObjectStoreInfrequent},
    {"glacier", StorageTier::kGlacierFlexible},
}};
constexpr std::array<EnumName<StorageTier>, 1> kTierExtraAliases = {{
    {"deep_archive", StorageTier::kGlacierDeepArchive},
}};
constexpr std::array<EnumName<TransferMethod>, 4> kMethods = {{
    {"fiber", TransferMethod::kFiber},
    {"shipped_device", TransferMethod::kShippedDevice},
    {"move_compute", TransferMethod::kMoveCompute},
    {"snowball", TransferMethod::kShippedDevice},
}};
constexpr std::array<EnumName<PricingModel>, 2> kPricing = {{
    {"flat", PricingModel::kFlat},
    {"tiered", PricingModel::kTiered},
}};
constexpr std::array<EnumName<GpuType>, 3> kGpus = {{
    {"v100", GpuType::kV100},
    {"a100", GpuType::kA100},
    {"h100", GpuType::kH100},
}};

template <typename Enum, size_t N>
std::string_view NameOf(const std::array<EnumName<Enum>, N>& table, Enum value) {
  for (const auto& entry : table) {
    if (entry.value == value) {
      return entry.name;
    }
  }
  return "unknown";
}

template <typename Enum, size_t N>
std::string AcceptedNames(const std::array<EnumName<Enum>, N>& table) {
  std::string names;
  for (const auto& entry : table) {
    absl::StrAppend(&names, names.empty() ? "" : " | ", Av(entry.name));
  }
  return names;
}

template <typename Enum, size_t N>
bool ParseEnum(const std::array<EnumName<Enum>, N>& table, std::string_view text, Enum* out) {
  for (const auto& entry : table) {
    if (entry.name == text) {
      *out = entry.value;
      return true;
    }
  }
  return false;
}

absl::Status OutOfRange(std::string_view lever, double value, std::string_view range) {
  return absl::InvalidArgumentError(
      absl::StrCat("lever ", Av(lever), " = ", value, " is out of range; allowed: ", Av(range)));
}

bool InRange(double value, double lo, double hi) {
  return std::isfinite(value) && value >= lo && value <= hi;
}

using UnitTable = absl::Span<const std::pair<std::string_view, double>>;

// Bytes: "1PB" -> 1e15; "140 GB" -> 1.4e11; plain numbers are bytes.
constexpr std::array<std::pair<std::string_view, double>, 7> kByteUnits = {{
    {"eb", 1e18},
    {"pb", 1e15},
    {"tb", 1e12},
    {"gb", 1e9},
    {"mb", 1e6},
    {"kb", 1e3},
    {"b", 1},
}};

// Bit rates: "10gbps" -> 1e10; plain numbers are bits/s.
constexpr std::array<std::pair<std::string_view, double>, 5> kBitRateUnits = {{
    {"tbps", 1e12},
    {"gbps", 1e9},
    {"mbps", 1e6},
    {"kbps", 1e3},
    {"bps", 1},
}};

// A number with an optional unit suffix from `units` (lower case, longest suffixes
// before their tails, e.g. "gb" before "b"); the value is scaled to the base unit.
bool ParseWithUnit(std::string_view text, UnitTable units, double* value) {
  for (const auto& [suffix, scale] : units) {
    if (text.ends_with(suffix)) {
      double number = 0;
      if (!ParseDouble(Strip(text.substr(0, text.size() - suffix.size())), &number)) {
        return false;
      }
      *value = number * scale;
      return true;
    }
  }
  return ParseDouble(text, value);
}

// "30%" -> 0.3; "0.3" -> 0.3.
bool ParseFraction(std::string_view text, double* fraction) {
  if (text.ends_with('%')) {
    double percent = 0;
    if (!ParseDouble(Strip(text.substr(0, text.size() - 1)), &percent)) {
      return false;
    }
    *fraction = percent / 100.0;
    return true;
  }
  return ParseDouble(text, fraction);
}

absl::Status BadValue(std::string_view lever, std::string_view value, std::string_view expected) {
  return absl::InvalidArgumentError(absl::StrCat("lever ", Av(lever), ": cannot parse \"",
                                                 Av(value), "\"; expected ", Av(expected)));
}

std::string_view Canonical(std::string_view name) {
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 13> kAliases = {{
      {"dataset", "dataset_bytes"},
      {"dataset_size", "dataset_bytes"},
      {"tier", "storage_tier"},
      {"transfer", "transfer_method"},
      {"method", "transfer_method"},
      {"link_rate", "link_rate_bits_per_s"},
      {"efficiency", "link_efficiency"},
      {"distance", "distance_miles"},
      {"deadline", "deadline_days"},
      {"dedup", "dedup_fraction"},
      {"alpha", "drift_alpha"},
      {"pricing", "pricing_model"},
      {"gpu", "gpu_type"},
  }};
  for (const auto& [alias, canonical] : kAliases) {
    if (alias == name) {
      return canonical;
    }
  }
  if (name == "gpus") {
    return "gpu_count";
  }
  return name;
}

}  // namespace

std::string_view PersonaName(Persona persona) { return NameOf(kPersonas, persona); }
std::string_view StorageTierName(StorageTier tier) { return NameOf(kTiers, tier); }
std::string_view TransferMethodName(TransferMethod method) { return NameOf(kMethods, method); }
std::string_view PricingModelName(PricingModel pricing) { return NameOf(kPricing, pricing); }
std::string_view GpuTypeName(GpuType gpu) { return NameOf(kGpus, gpu); }

const std::vector<std::string>& LeverNames() {
  static const std::vector<std::string>* const kNames =
      new std::vector<std::string>{"persona",         "dataset_bytes",        "storage_tier",
                                   "transfer_method", "link_rate_bits_per_s", "link_efficiency",
                                   "distance_miles",  "deadline_days",        "dedup_fraction",
                                   "drift_alpha",     "pricing_model",        "gpu_type",
                                   "gpu_count"};
  return *kNames;
}

absl::Status ValidateLevers(const Levers& levers) {
  if (!InRange(levers.dataset_bytes, 1e6, 1e18)) {
    return OutOfRange("dataset_bytes", levers.dataset_bytes, "1e6 .. 1e18 bytes (1 MB .. 1 EB)");
  }
  if (!InRange(levers.link_rate_bits_per_s, 1e6, 4e11)) {
    return OutOfRange("link_rate_bits_per_s", levers.link_rate_bits_per_s,
                      "1e6 .. 4e11 bits/s (1 Mbps .. 400 Gbps)");
  }
  if (!InRange(levers.link_efficiency, 0.0, 1.0) || levers.link_efficiency == 0.0) {
    return OutOfRange("link_efficiency", levers.link_efficiency, "(0, 1]");
  }
  if (!InRange(levers.distance_miles, 0.0, 25'000.0)) {
    return OutOfRange("distance_miles", levers.distance_miles, "0 .. 25000 miles");
  }
  if (!InRange(levers.deadline_days, 0.0, 3650.0) || levers.deadline_days == 0.0) {
    return OutOfRange("deadline_days", levers.deadline_days, "(0, 3650] days");
  }
  if (!InRange(levers.dedup_fraction, 0.0, 0.5)) {
    return OutOfRange("dedup_fraction", levers.dedup_fraction, "0 .. 0.5");
  }
  if (!InRange(levers.drift_alpha, 0.0, 0.5) || levers.drift_alpha == 0.0) {
    return OutOfRange("drift_alpha", levers.drift_alpha, "(0, 0.5]");
  }
  if (levers.gpu_count < 1 || levers.gpu_count > 4096) {
    return OutOfRange("gpu_count", levers.gpu_count, "1 .. 4096");
  }
  if (NameOf(kPersonas, levers.persona) == "unknown") {
    return absl::InvalidArgumentError(
        absl::StrCat("lever persona is not one of ", AcceptedNames(kPersonas)));
  }
  if (NameOf(kTiers, levers.storage_tier) == "unknown") {
    return absl::InvalidArgumentError("lever storage_tier is not a known tier");
  }
  if (NameOf(kMethods, levers.transfer_method) == "unknown") {
    return absl::InvalidArgumentError(
        absl::StrCat("lever transfer_method is not one of ", AcceptedNames(kMethods)));
  }
  if (NameOf(kPricing, levers.pricing_model) == "unknown") {
    return absl::InvalidArgumentError("lever pricing_model is not one of flat | tiered");
  }
  if (NameOf(kGpus, levers.gpu_type) == "unknown") {
    return absl::InvalidArgumentError("lever gpu_type is not one of v100 | a100 | h100");
  }
  return absl::OkStatus();
}

absl::StatusOr<Levers> ApplyLeverSetting(Levers levers, std::string_view name,
                                         std::string_view value) {
  const std::string lower_name = absl::AsciiStrToLower(Av(Strip(name)));
  const std::string text = absl::AsciiStrToLower(Av(Strip(value)));
  const std::string_view lever = Canonical(lower_name);
  if (lever == "persona") {
    if (!ParseEnum(kPersonas, text, &levers.persona)) {
      return BadValue(lever, value, AcceptedNames(kPersonas));
    }
  } else if (lever == "dataset_bytes") {
    if (!ParseWithUnit(text, kByteUnits, &levers.dataset_bytes)) {
      return BadValue(lever, value, "bytes, e.g. 1e15 or 1PB (units B KB MB GB TB PB EB)");
    }
  } else if (lever == "storage_tier") {
    if (!ParseEnum(kTiers, text, &levers.storage_tier) &&
        !ParseEnum(kTierExtraAliases, text, &levers.storage_tier)) {
      return BadValue(lever, value,
                      absl::StrCat(AcceptedNames(kTiers), " | ", AcceptedNames(kTierExtraAliases)));
    }
  } else if (lever == "transfer_method") {
    if (!ParseEnum(kMethods, text, &levers.transfer_method)) {
      return BadValue(lever, value, AcceptedNames(kMethods));
    }
  } else if (lever == "link_rate_bits_per_s") {
    if (!ParseWithUnit(text, kBitRateUnits, &levers.link_rate_bits_per_s)) {
      return BadValue(lever, value, "bits/s, e.g. 1e10 or 10Gbps");
    }
  } else if (lever == "link_efficiency") {
    if (!ParseFraction(text, &levers.link_efficiency)) {
      return BadValue(lever, value, "a fraction in (0, 1] or a percentage");
    }
  } else if (lever == "distance_miles") {
    if (!ParseDouble(text, &levers.distance_miles)) {
      return BadValue(lever, value, "miles, 0 .. 25000");
    }
  } else if (lever == "deadline_days") {
    if (!ParseDouble(text, &levers.deadline_days)) {
      return BadValue(lever, value, "days, (0, 3650]");
    }
  } else if (lever == "dedup_fraction") {
    if (!ParseFraction(text, &levers.dedup_fraction)) {
      return BadValue(lever, value, "a fraction 0 .. 0.5 or a percentage 0% .. 50%");
    }
  } else if (lever == "drift_alpha") {
    if (!ParseDouble(text, &levers.drift_alpha)) {
      return BadValue(lever, value, "a significance level in (0, 0.5]");
    }
  } else if (lever == "pricing_model") {
    if (!ParseEnum(kPricing, text, &levers.pricing_model)) {
      return BadValue(lever, value, AcceptedNames(kPricing));
    }
  } else if (lever == "gpu_type") {
    if (!ParseEnum(kGpus, text, &levers.gpu_type)) {
      return BadValue(lever, value, AcceptedNames(kGpus));
    }
  } else if (lever == "gpu_count") {
    int count = 0;
    if (!absl::SimpleAtoi(Av(text), &count)) {
      return BadValue(lever, value, "an integer 1 .. 4096");
    }
    levers.gpu_count = count;
  } else {
    return absl::InvalidArgumentError(absl::StrCat(
        "unknown lever \"", Av(name), "\"; levers: ", absl::StrJoin(LeverNames(), ", ")));
  }
  if (absl::Status status = ValidateLevers(levers); !status.ok()) {
    return status;
  }
  return levers;
}

absl::StatusOr<Levers> ApplyLeverSetting(Levers levers, std::string_view setting) {
  const size_t eq = setting.find('=');
  if (eq == std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "lever setting \"", Av(setting), "\" must be name=value, e.g. storage_tier=nvme"));
  }
  return ApplyLeverSetting(levers, setting.substr(0, eq), setting.substr(eq + 1));
}

absl::StatusOr<Levers> ApplyLeverSettings(Levers levers, absl::Span<const std::string> settings) {
  for (const std::string& setting : settings) {
    absl::StatusOr<Levers> next = ApplyLeverSetting(levers, setting);
    if (!next.ok()) {
      return next.status();
    }
    levers = *std::move(next);
  }
  return levers;
}

absl::StatusOr<std::string> LeverValue(const Levers& levers, std::string_view name) {
  const std::string lower_name = absl::AsciiStrToLower(Av(name));
  const std::string_view lever = Canonical(lower_name);
  if (lever == "persona") {
    return std::string(PersonaName(levers.persona));
  }
  if (lever == "dataset_bytes") {
    return Number(levers.dataset_bytes);
  }
  if (lever == "storage_tier") {
    return std::string(StorageTierName(levers.storage_tier));
  }
  if (lever == "transfer_method") {
    return std::string(TransferMethodName(levers.transfer_method));
  }
  if (lever == "link_rate_bits_per_s") {
    return Number(levers.link_rate_bits_per_s);
  }
  if (lever == "link_efficiency") {
    return Number(levers.link_efficiency);
  }
  if (lever == "distance_miles") {
    return Number(levers.distance_miles);
  }
  if (lever == "deadline_days") {
    return Number(levers.deadline_days);
  }
  if (lever == "dedup_fraction") {
    return Number(levers.dedup_fraction);
  }
  if (lever == "drift_alpha") {
    return Number(levers.drift_alpha);
  }
  if (lever == "pricing_model") {
    return std::string(PricingModelName(levers.pricing_model));
  }
  if (lever == "gpu_type") {
    return std::string(GpuTypeName(levers.gpu_type));
  }
  if (lever == "gpu_count") {
    return absl::StrCat(levers.gpu_count);
  }
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown lever \"", Av(name), "\"; levers: ", absl::StrJoin(LeverNames(), ", ")));
}

}  // namespace df::factory
