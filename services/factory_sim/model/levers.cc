#include "services/factory_sim/model/levers.h"

#include <array>
#include <cmath>
#include <cstdint>
#include <span>
#include <string>
#include <type_traits>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/strip.h"
#include "services/units/units_format.h"

namespace df::factory {
namespace {

// Abseil here has its own string_view type; these bridge std::string_view to it.
absl::string_view Av(std::string_view text) { return absl::string_view(text.data(), text.size()); }
std::string_view Strip(std::string_view text) {
  const absl::string_view stripped = absl::StripAsciiWhitespace(Av(text));
  return std::string_view(stripped.data(), stripped.size());
}
bool ParseDouble(std::string_view text, double* out) { return absl::SimpleAtod(Av(text), out); }

// How a lever's value is written (and read back by LeverValue).
enum class ValueKind {
  kChoice,    // one of the lever's names
  kBytes,     // bytes, or a number with a decimal unit: "1PB", "140 GB"
  kBitRate,   // bits/s, or a number with a unit: "10Gbps"
  kFraction,  // a fraction, or a percentage: "30%"
  kNumber,    // a plain number
  kInteger,   // a whole number
};

// An accepted name of an enum lever and its enum value.
struct Choice {
  std::string_view name;
  int value;
};

template <typename Enum>
constexpr Choice Named(std::string_view name, Enum value) {
  return {name, static_cast<int>(value)};
}

// The first name of each value is its canonical one; later names are aliases.
constexpr std::array kPersonas = {
    Named("cloud_titan", Persona::kCloudTitan), Named("edge_guardian", Persona::kEdgeGuardian),
    Named("mobile_nomad", Persona::kMobileNomad), Named("tiny_pioneer", Persona::kTinyPioneer)};
constexpr std::array kTiers = {
    Named("local_nvme", StorageTier::kLocalNvme),
    Named("cloud_disk", StorageTier::kCloudDisk),
    Named("object_store", StorageTier::kObjectStore),
    Named("object_store_infrequent", StorageTier::kObjectStoreInfrequent),
    Named("glacier_instant", StorageTier::kGlacierInstant),
    Named("glacier_flexible", StorageTier::kGlacierFlexible),
    Named("glacier_deep_archive", StorageTier::kGlacierDeepArchive),
    Named("nvme", StorageTier::kLocalNvme),
    Named("disk", StorageTier::kCloudDisk),
    Named("ebs", StorageTier::kCloudDisk),
    Named("s3", StorageTier::kObjectStore),
    Named("s3_ia", StorageTier::kObjectStoreInfrequent),
    Named("glacier", StorageTier::kGlacierFlexible),
    Named("deep_archive", StorageTier::kGlacierDeepArchive)};
constexpr std::array kMethods = {Named("fiber", TransferMethod::kFiber),
                                 Named("shipped_device", TransferMethod::kShippedDevice),
                                 Named("move_compute", TransferMethod::kMoveCompute),
                                 Named("snowball", TransferMethod::kShippedDevice)};
constexpr std::array kPricing = {Named("flat", PricingModel::kFlat),
                                 Named("tiered", PricingModel::kTiered)};
constexpr std::array kGpus = {Named("v100", GpuType::kV100), Named("a100", GpuType::kA100),
                              Named("h100", GpuType::kH100)};

// Reads and writes one member of Levers as a double (an enum as its value).
struct Field {
  double (*get)(const Levers&);
  void (*set)(Levers&, double);
};

template <auto kMember>
constexpr Field FieldOf() {
  using T = std::remove_cvref_t<decltype(std::declval<Levers&>().*kMember)>;
  return {[](const Levers& levers) {
            if constexpr (std::is_enum_v<T>) {
              return static_cast<double>(static_cast<int>(levers.*kMember));
            } else {
              return static_cast<double>(levers.*kMember);
            }
          },
          [](Levers& levers, double value) {
            if constexpr (std::is_enum_v<T>) {
              levers.*kMember = static_cast<T>(static_cast<int>(value));
            } else {
              levers.*kMember = static_cast<T>(value);
            }
          }};
}

// One lever: everything parsing, validation, LeverValue, LeverNames and LeverHelp know.
struct LeverSpec {
  std::string_view name;
  std::array<std::string_view, 2> aliases = {};  // "" when unused
  ValueKind kind = ValueKind::kNumber;
  std::span<const Choice> choices = {};  // kChoice only
  double lo = 0;                         // the range lo .. hi, inclusive, except lo when lo_open
  double hi = 0;
  bool lo_open = false;
  std::string_view unit = {};  // printed after the range: "miles"
  std::string_view help;       // what the lever is, and examples of its values
  Field field;
};

constexpr std::array<LeverSpec, 14> kLevers = {{
    {.name = "persona",
     .kind = ValueKind::kChoice,
     .choices = kPersonas,
     .help = "who trains, on what data (fixes the workload)",
     .field = FieldOf<&Levers::persona>()},
    {.name = "dataset_bytes",
     .aliases = {"dataset", "dataset_size"},
     .kind = ValueKind::kBytes,
     .lo = 1e6,
     .hi = 1e18,
     .help = "size of the raw dataset, e.g. 1PB, 140GB or 1.4e11 (units B KB MB GB TB PB EB)",
     .field = FieldOf<&Levers::dataset_bytes>()},
    {.name = "storage_tier",
     .aliases = {"tier"},
     .kind = ValueKind::kChoice,
     .choices = kTiers,
     .help = "where the training data is read from",
     .field = FieldOf<&Levers::storage_tier>()},
    {.name = "transfer_method",
     .aliases = {"transfer", "method"},
     .kind = ValueKind::kChoice,
     .choices = kMethods,
     .help = "how remote data reaches the GPUs",
     .field = FieldOf<&Levers::transfer_method>()},
    {.name = "link_rate_bits_per_s",
     .aliases = {"link_rate"},
     .kind = ValueKind::kBitRate,
     .lo = 1e6,
     .hi = 4e11,
     .help = "nominal fiber rate, e.g. 10Gbps or 1e10 (units bps Kbps Mbps Gbps Tbps)",
     .field = FieldOf<&Levers::link_rate_bits_per_s>()},
    {.name = "link_efficiency",
     .aliases = {"efficiency"},
     .kind = ValueKind::kFraction,
     .lo = 0,
     .hi = 1,
     .lo_open = true,
     .help = "sustained share of the nominal link rate, as a fraction or a percentage (80%)",
     .field = FieldOf<&Levers::link_efficiency>()},
    {.name = "distance_miles",
     .aliases = {"distance"},
     .kind = ValueKind::kNumber,
     .lo = 0,
     .hi = 25'000,
     .unit = "miles",
     .help = "from the data to the cluster (0: the data sits beside the cluster)",
     .field = FieldOf<&Levers::distance_miles>()},
    {.name = "deadline_days",
     .aliases = {"deadline"},
     .kind = ValueKind::kNumber,
     .lo = 0,
     .hi = 3650,
     .lo_open = true,
     .unit = "days",
     .help = "when the data must be next to the GPUs",
     .field = FieldOf<&Levers::deadline_days>()},
    {.name = "dedup_fraction",
     .aliases = {"dedup"},
     .kind = ValueKind::kFraction,
     .lo = 0,
     .hi = 0.5,
     .help = "share of the stored bytes the scrubber removes, as a fraction or a percentage (30%)",
     .field = FieldOf<&Levers::dedup_fraction>()},
    {.name = "drift_alpha",
     .aliases = {"alpha"},
     .kind = ValueKind::kNumber,
     .lo = 0,
     .hi = 0.5,
     .lo_open = true,
     .help = "Act III: family-wise significance level of the K-S drift check (Bonferroni over "
             "its 4 tests; below 1e-12 computed as 1e-12), e.g. 0.01 or 1e-6",
     .field = FieldOf<&Levers::drift_alpha>()},
    {.name = "pricing_model",
     .aliases = {"pricing"},
     .kind = ValueKind::kChoice,
     .choices = kPricing,
     .help = "internet egress prices: $0.09/GB flat or AWS's 2024 tiers",
     .field = FieldOf<&Levers::pricing_model>()},
    {.name = "gpu_type",
     .aliases = {"gpu"},
     .kind = ValueKind::kChoice,
     .choices = kGpus,
     .help = "the GPUs training ResNet-50",
     .field = FieldOf<&Levers::gpu_type>()},
    {.name = "gpu_count",
     .aliases = {"gpus"},
     .kind = ValueKind::kInteger,
     .lo = 1,
     .hi = 4096,
     .help = "how many GPUs, a whole number",
     .field = FieldOf<&Levers::gpu_count>()},
    {.name = "firmware_severity",
     .aliases = {"severity"},
     .kind = ValueKind::kFraction,
     .lo = 0,
     .hi = 0.2,
     .help = "Act III: how much the firmware update moved the white balance in one city (red x "
             "(1 + s), blue / (1 + s)), as a fraction or a percentage (2%)",
     .field = FieldOf<&Levers::firmware_severity>()},
}};

const LeverSpec* FindLever(std::string_view lower_name) {
  for (const LeverSpec& lever : kLevers) {
    if (lever.name == lower_name || lever.aliases[0] == lower_name ||
        (!lever.aliases[1].empty() && lever.aliases[1] == lower_name)) {
      return &lever;
    }
  }
  return nullptr;
}

const Choice* FindChoice(std::span<const Choice> choices, int value) {
  for (const Choice& choice : choices) {
    if (choice.value == value) {
      return &choice;
    }
  }
  return nullptr;
}

template <typename Enum>
std::string_view NameOf(std::span<const Choice> choices, Enum value) {
  const Choice* choice = FindChoice(choices, static_cast<int>(value));
  return choice == nullptr ? "unknown" : choice->name;
}

std::string AcceptedNames(std::span<const Choice> choices) {
  return absl::StrJoin(choices, " | ", [](std::string* out, const Choice& choice) {
    absl::StrAppend(out, Av(choice.name));
  });
}

// A range bound as a reader writes it: 1e6, 25000, 0.5.
std::string Bound(double value) {
  return absl::StrReplaceAll(absl::StrFormat("%g", value), {{"e+0", "e"}, {"e+", "e"}});
}

// "1e6 .. 1e18 bytes (1 MB .. 1 EB)", "(0, 3650] days".
std::string RangeText(const LeverSpec& lever) {
  std::string text = lever.lo_open ? absl::StrCat("(", Bound(lever.lo), ", ", Bound(lever.hi), "]")
                                   : absl::StrCat(Bound(lever.lo), " .. ", Bound(lever.hi));
  if (lever.kind == ValueKind::kBytes) {
    absl::StrAppend(&text, " bytes (", units::FormatBytes(lever.lo), " .. ",
                    units::FormatBytes(lever.hi), ")");
  } else if (lever.kind == ValueKind::kBitRate) {
    absl::StrAppend(&text, " bits/s (", units::FormatBitsPerS(lever.lo), " .. ",
                    units::FormatBitsPerS(lever.hi), ")");
  } else if (!lever.unit.empty()) {
    absl::StrAppend(&text, " ", Av(lever.unit));
  }
  return text;
}

// The accepted names or the range, then what the lever is.
std::string ValuesText(const LeverSpec& lever) {
  return absl::StrCat(
      lever.kind == ValueKind::kChoice ? AcceptedNames(lever.choices) : RangeText(lever), "; ",
      Av(lever.help));
}

using UnitTable = std::span<const std::pair<std::string_view, double>>;

constexpr std::array<std::pair<std::string_view, double>, 7> kByteUnits = {{
    {"eb", 1e18},
    {"pb", 1e15},
    {"tb", 1e12},
    {"gb", 1e9},
    {"mb", 1e6},
    {"kb", 1e3},
    {"b", 1},
}};

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

bool ParseChoice(std::span<const Choice> choices, std::string_view text, double* value) {
  for (const Choice& choice : choices) {
    if (choice.name == text) {
      *value = choice.value;
      return true;
    }
  }
  return false;
}

// `text` is lower case and stripped.
bool ParseValue(const LeverSpec& lever, std::string_view text, double* value) {
  switch (lever.kind) {
    case ValueKind::kChoice:
      return ParseChoice(lever.choices, text, value);
    case ValueKind::kBytes:
      return ParseWithUnit(text, kByteUnits, value);
    case ValueKind::kBitRate:
      return ParseWithUnit(text, kBitRateUnits, value);
    case ValueKind::kFraction:
      return ParseFraction(text, value);
    case ValueKind::kNumber:
      return ParseDouble(text, value);
    case ValueKind::kInteger: {
      int count = 0;
      if (!absl::SimpleAtoi(Av(text), &count)) {
        return false;
      }
      *value = count;
      return true;
    }
  }
  return false;
}

// " [alias, alias]" or "".
std::string AliasesText(const LeverSpec& lever) {
  std::string aliases;
  for (std::string_view alias : lever.aliases) {
    if (!alias.empty()) absl::StrAppend(&aliases, aliases.empty() ? " [" : ", ", Av(alias));
  }
  return aliases.empty() ? aliases : absl::StrCat(aliases, "]");
}

absl::Status UnknownLever(std::string_view name) {
  return absl::InvalidArgumentError(absl::StrCat(
      "unknown lever \"", Av(name), "\"; levers [short names]: ", LeverNamesWithAliases()));
}

// Parses one setting into `levers` (unchanged on error); no range check.
absl::Status ParseSetting(std::string_view name, std::string_view value, Levers& levers) {
  const std::string lower_name = absl::AsciiStrToLower(Av(Strip(name)));
  const LeverSpec* lever = FindLever(lower_name);
  if (lever == nullptr) {
    return UnknownLever(name);
  }
  double parsed = 0;
  if (!ParseValue(*lever, absl::AsciiStrToLower(Av(Strip(value))), &parsed)) {
    return absl::InvalidArgumentError(absl::StrCat("lever ", Av(lever->name), ": cannot parse \"",
                                                   Av(value), "\"; expected ", ValuesText(*lever)));
  }
  lever->field.set(levers, parsed);
  return absl::OkStatus();
}

absl::Status ParseSetting(std::string_view setting, Levers& levers) {
  const size_t eq = setting.find('=');
  if (eq == std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrCat(
        "lever setting \"", Av(setting), "\" must be name=value, e.g. storage_tier=nvme"));
  }
  return ParseSetting(setting.substr(0, eq), setting.substr(eq + 1), levers);
}

absl::Status ValidateLever(const LeverSpec& lever, const Levers& levers) {
  const double value = lever.field.get(levers);
  if (lever.kind == ValueKind::kChoice) {
    if (FindChoice(lever.choices, static_cast<int>(value)) == nullptr) {
      return absl::InvalidArgumentError(
          absl::StrCat("lever ", Av(lever.name), " is not one of ", AcceptedNames(lever.choices)));
    }
    return absl::OkStatus();
  }
  const bool in_range = std::isfinite(value) && value >= lever.lo && value <= lever.hi &&
                        !(lever.lo_open && value == lever.lo);
  if (!in_range) {
    return absl::InvalidArgumentError(absl::StrCat(
        "lever ", Av(lever.name), " = ", value, " is out of range; allowed: ", RangeText(lever)));
  }
  return absl::OkStatus();
}

absl::StatusOr<Levers> Validated(const Levers& levers) {
  if (absl::Status status = ValidateLevers(levers); !status.ok()) {
    return status;
  }
  return levers;
}

}  // namespace

std::string_view PersonaName(Persona persona) { return NameOf(kPersonas, persona); }
std::string_view StorageTierName(StorageTier tier) { return NameOf(kTiers, tier); }
std::string_view TransferMethodName(TransferMethod method) { return NameOf(kMethods, method); }
std::string_view PricingModelName(PricingModel pricing) { return NameOf(kPricing, pricing); }
std::string_view GpuTypeName(GpuType gpu) { return NameOf(kGpus, gpu); }

const std::vector<std::string>& LeverNames() {
  static const std::vector<std::string>* const kNames = [] {
    auto* names = new std::vector<std::string>;
    for (const LeverSpec& lever : kLevers) {
      names->emplace_back(lever.name);
    }
    return names;
  }();
  return *kNames;
}

std::string LeverNamesWithAliases() {
  return absl::StrJoin(kLevers, ", ", [](std::string* out, const LeverSpec& lever) {
    absl::StrAppend(out, Av(lever.name), AliasesText(lever));
  });
}

const std::vector<std::string>& LeverHelp() {
  static const std::vector<std::string>* const kHelp = [] {
    auto* lines = new std::vector<std::string>;
    for (const LeverSpec& lever : kLevers) {
      lines->push_back(absl::StrCat(Av(lever.name), AliasesText(lever), ": ", ValuesText(lever)));
    }
    return lines;
  }();
  return *kHelp;
}

absl::Status ValidateLevers(const Levers& levers) {
  for (const LeverSpec& lever : kLevers) {
    if (absl::Status status = ValidateLever(lever, levers); !status.ok()) {
      return status;
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<Levers> ApplyLeverSetting(Levers levers, std::string_view name,
                                         std::string_view value) {
  if (absl::Status parsed = ParseSetting(name, value, levers); !parsed.ok()) {
    return parsed;
  }
  return Validated(levers);
}

absl::StatusOr<Levers> ApplyLeverSetting(Levers levers, std::string_view setting) {
  if (absl::Status parsed = ParseSetting(setting, levers); !parsed.ok()) {
    return parsed;
  }
  return Validated(levers);
}

absl::StatusOr<Levers> ApplyLeverSettings(Levers levers, absl::Span<const std::string> settings) {
  for (const std::string& setting : settings) {
    if (absl::Status parsed = ParseSetting(setting, levers); !parsed.ok()) {
      // Report problems in order: levers already out of range before this setting first.
      if (absl::Status valid = ValidateLevers(levers); !valid.ok()) {
        return valid;
      }
      return parsed;
    }
  }
  return Validated(levers);
}

absl::StatusOr<std::string> LeverValue(const Levers& levers, std::string_view name) {
  const LeverSpec* lever = FindLever(absl::AsciiStrToLower(Av(name)));
  if (lever == nullptr) {
    return UnknownLever(name);
  }
  const double value = lever->field.get(levers);
  switch (lever->kind) {
    case ValueKind::kChoice: {
      const Choice* choice = FindChoice(lever->choices, static_cast<int>(value));
      return std::string(choice == nullptr ? "unknown" : choice->name);
    }
    case ValueKind::kInteger:
      return absl::StrCat(static_cast<int64_t>(value));
    default:
      return absl::StrFormat("%.15g", value);  // round-trips through ParseDouble
  }
}

}  // namespace df::factory
