// Zone 2: the levers. Each control maps to one lever of the model and its
// "name=value" setting (docs/model.md, section 2); a change calls onChange(name,
// setting), and every report brings the controls back to the levers evaluated.
import {decimal, enumValue, number, words} from './format.js';
import {el, subscribe} from './views.js';

const TIERS = ['local_nvme', 'cloud_disk', 'object_store', 'object_store_infrequent',
  'glacier_instant', 'glacier_flexible', 'glacier_deep_archive'];
const TIER_LABELS = {local_nvme: 'Local NVMe', cloud_disk: 'Cloud disk (EBS)',
  object_store: 'Object store (S3)', object_store_infrequent: 'S3 Infrequent Access',
  glacier_instant: 'Glacier Instant Retrieval', glacier_flexible: 'Glacier Flexible Retrieval',
  glacier_deep_archive: 'Glacier Deep Archive'};
const ALPHA_MIN_LOG = -4;      // alpha 1e-4
const ALPHA_MAX_LOG = Math.log10(0.5);

// The levers: main ones first, the rest behind "More levers".
const LEVERS = [
  {name: 'storage_tier', label: 'Storage tier', kind: 'select',
    options: TIERS.map((t) => [t, TIER_LABELS[t]]), read: (l) => enumValue(l.storage_tier, 'STORAGE_TIER_')},
  {name: 'transfer_method', label: 'Transfer method', kind: 'radio',
    options: [['fiber', 'Fiber'], ['shipped_device', 'Snowball (shipped devices)'], ['move_compute', 'Move compute to the data']],
    read: (l) => enumValue(l.transfer_method, 'TRANSFER_METHOD_')},
  {name: 'dedup_fraction', label: 'Dedup', kind: 'range', min: 0, max: 50, step: 1,
    read: (l) => Math.round(100 * l.dedup_fraction), setting: (v) => `${v}%`, show: (v) => `${v} %`},
  {name: 'drift_alpha', label: 'K-S alpha (log scale)', kind: 'range', min: ALPHA_MIN_LOG,
    max: ALPHA_MAX_LOG, step: 0.01, read: (l) => Math.log10(l.drift_alpha),
    setting: (v) => number(10 ** Number(v), 2), show: (v) => number(10 ** Number(v), 2)},
  {name: 'persona', label: 'Persona', kind: 'select', more: true,
    options: [['cloud_titan', 'Cloud Titan'], ['edge_guardian', 'Edge Guardian'],
      ['mobile_nomad', 'Mobile Nomad'], ['tiny_pioneer', 'Tiny Pioneer']],
    read: (l) => enumValue(l.persona, 'PERSONA_')},
  {name: 'dataset_bytes', label: 'Dataset size (e.g. 1PB, 140GB)', kind: 'text', more: true,
    read: (l) => decimal(l.dataset_bytes, 'B').replace(' ', '')},
  {name: 'link_rate_bits_per_s', label: 'Link rate', kind: 'select', more: true,
    options: [['1e8', '100 Mbps'], ['1e9', '1 Gbps'], ['1e10', '10 Gbps'], ['1e11', '100 Gbps'], ['4e11', '400 Gbps']],
    read: (l) => l.link_rate_bits_per_s.toExponential().replace('+', '').replace('.0', '')},
  {name: 'link_efficiency', label: 'Link efficiency', kind: 'range', min: 10, max: 100, step: 5, more: true,
    read: (l) => Math.round(100 * l.link_efficiency), setting: (v) => `${v}%`, show: (v) => `${v} %`},
  {name: 'distance_miles', label: 'Distance (miles)', kind: 'number', min: 0, max: 25000, step: 100, more: true,
    read: (l) => l.distance_miles},
  {name: 'deadline_days', label: 'Deadline (days)', kind: 'number', min: 1, max: 3650, step: 1, more: true,
    read: (l) => l.deadline_days},
  {name: 'pricing_model', label: 'Egress pricing', kind: 'select', more: true,
    options: [['flat', 'Flat ($0.09/GB)'], ['tiered', 'AWS 2024 tiers']], read: (l) => enumValue(l.pricing_model, 'PRICING_MODEL_')},
  {name: 'gpu_type', label: 'GPU', kind: 'select', more: true,
    options: [['v100', 'V100'], ['a100', 'A100'], ['h100', 'H100']], read: (l) => enumValue(l.gpu_type, 'GPU_TYPE_')},
  {name: 'gpu_count', label: 'GPUs', kind: 'number', min: 1, max: 4096, step: 1, more: true,
    read: (l) => l.gpu_count},
  {name: 'firmware_severity', label: 'Firmware severity (Act III white-balance shift)', kind: 'range',
    min: 0, max: 20, step: 0.5, more: true,
    read: (l) => Math.round(200 * l.firmware_severity) / 2, setting: (v) => `${v}%`, show: (v) => `${v} %`},
];

function control(lever, onChange) {
  const id = `lever-${lever.name}`;
  const emit = (value) => onChange(lever.name, lever.setting ? lever.setting(value) : String(value));
  if (lever.kind === 'radio') {
    const set = el('fieldset', {class: 'lever radio', id}, el('legend', {text: lever.label}));
    for (const [value, label] of lever.options) {
      set.append(el('label', {}, el('input', {type: 'radio', name: id, value,
        onchange: (e) => emit(e.target.value)}), ` ${label}`));
    }
    return {node: set, set: (v) => { for (const r of set.querySelectorAll('input')) r.checked = r.value === v; }};
  }
  let input;
  if (lever.kind === 'select') {
    input = el('select', {id, name: lever.name},
      ...lever.options.map(([value, label]) => el('option', {value, text: label})));
  } else {
    input = el('input', {id, name: lever.name, type: lever.kind, min: lever.min, max: lever.max,
      step: lever.step});
  }
  const output = lever.show ? el('output', {for: id}) : null;
  const event = lever.kind === 'range' ? 'input' : 'change';
  input.addEventListener(event, () => {
    if (output) output.textContent = lever.show(input.value);
    emit(input.value);
  });
  const node = el('div', {class: `lever ${lever.kind}`}, el('label', {for: id, text: lever.label}), input, output);
  return {node, set: (v) => {
    if (document.activeElement === input) return;  // never move a control under the user
    input.value = v;
    if (output) output.textContent = lever.show(input.value);
  }};
}

// Builds the form; onScenario(name) and onChange(lever, setting) are the app's.
export function buildLevers(form, {onScenario, onChange}) {
  const scenario = el('select', {id: 'lever-scenario', name: 'scenario',
    onchange: (e) => onScenario(e.target.value)});
  form.append(el('div', {class: 'lever select'}, el('label', {for: 'lever-scenario', text: 'Scenario'}), scenario));
  const more = el('details', {class: 'more'}, el('summary', {text: 'More levers'}));
  const controls = LEVERS.map((lever) => {
    const c = control(lever, onChange);
    (lever.more ? more : form).append(c.node);
    return {lever, ...c};
  });
  form.append(more);
  form.addEventListener('submit', (e) => e.preventDefault());

  subscribe('scenarios', (scenarios) => {
    scenario.replaceChildren(...scenarios.map((s) => el('option', {value: s.name, text: s.title || words(s.name)})));
  });
  subscribe('report', (report) => {
    for (const c of controls) c.set(c.lever.read(report.levers));
  });
  return {selectScenario: (name) => { scenario.value = name; }};
}
