// Formatting numbers of the API for people (decimal units, as the services use).

const PREFIXES = ['', 'k', 'M', 'G', 'T', 'P', 'E'];

export function decimal(value, unit) {
  let v = Math.abs(value);
  let i = 0;
  while (v >= 1000 && i < PREFIXES.length - 1) {
    v /= 1000;
    i += 1;
  }
  const digits = v >= 100 || v === 0 ? 0 : v >= 10 ? 1 : 2;
  return `${value < 0 ? '-' : ''}${v.toFixed(digits)} ${PREFIXES[i]}${unit}`;
}

export const bytes = (b) => decimal(b, 'B');
export const rate = (bps) => decimal(bps, 'B/s');
export const percent = (ratio, digits = 0) => `${(100 * ratio).toFixed(digits)} %`;
export const dollars = (d) =>
  `$${d.toLocaleString('en-US', {maximumFractionDigits: d < 100 ? 2 : 0})}`;

export function seconds(s) {
  if (s < 120) return `${s.toFixed(s < 10 ? 2 : 0)} s`;
  if (s < 7200) return `${(s / 60).toFixed(1)} min`;
  if (s < 172800) return `${(s / 3600).toFixed(1)} h`;
  return `${(s / 86400).toFixed(1)} days`;
}

export function number(x, digits = 3) {
  if (x === 0) return '0';
  if (Math.abs(x) < 1e-3 || Math.abs(x) >= 1e6) return x.toExponential(2);
  return Number(x.toPrecision(digits)).toString();
}

// "STORAGE_TIER_LOCAL_NVME" -> "local_nvme", the spelling of the lever settings.
export function enumValue(name, prefix) {
  return name.startsWith(prefix) ? name.slice(prefix.length).toLowerCase() : name.toLowerCase();
}

// "local_nvme" -> "local nvme"
export const words = (s) => String(s).replace(/_/g, ' ');
