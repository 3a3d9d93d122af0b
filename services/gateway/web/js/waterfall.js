// Zone 3: the data gravity waterfall of one epoch, as two timelines: serial (disk
// IO, then network, then GPU math) and overlapped (all three at once, with
// prefetching; the GPU waits for the slowest, the stall). Bars show their value on
// hover or keyboard focus; the legend names each part with a pattern and a colour.
import {seconds} from './format.js';
import {svg, title} from './svg.js';
import {el, subscribe} from './views.js';

const PARTS = [
  {key: 'disk_io_seconds', label: 'Disk IO', cls: 'disk'},
  {key: 'network_seconds', label: 'Network', cls: 'net'},
  {key: 'gpu_math_seconds', label: 'GPU math', cls: 'gpu'},
  {key: 'stall_seconds', label: 'Stall (GPU waits)', cls: 'stall'},
];

function bar(x, y, w, part, value, readout) {
  const text = `${part.label}: ${seconds(value)}`;
  const rect = svg('rect', {x, y, width: Math.max(w, value > 0 ? 1 : 0), height: 22,
    class: `bar ${part.cls}`, tabindex: value > 0 ? 0 : null, 'aria-label': text,
    'data-part': part.cls, 'data-seconds': value}, title(text));
  const show = () => { readout.textContent = text; };
  rect.addEventListener('mouseenter', show);
  rect.addEventListener('focus', show);
  if (w > 70) {
    const label = svg('text', {x: x + 4, y: y + 15, class: 'bar-label'});
    label.textContent = seconds(value);
    return [rect, label];
  }
  return [rect];
}

export function renderWaterfall(container, readout, w) {
  const width = 640;
  const left = 90;
  const span = width - left - 10;
  const total = Math.max(w.epoch_serial_seconds, w.epoch_overlapped_seconds, 1e-9);
  const scale = (s) => (s / total) * span;
  const root = svg('svg', {viewBox: `0 0 ${width} 150`, class: 'chart', role: 'group',
    'aria-label': `Waterfall: serial epoch ${seconds(w.epoch_serial_seconds)}, overlapped ${seconds(w.epoch_overlapped_seconds)}`});
  const rowLabel = (y, text) => {
    const t = svg('text', {x: 0, y: y + 15, class: 'row-label'});
    t.textContent = text;
    return t;
  };
  root.append(rowLabel(8, 'Serial'));
  let x = left;
  for (const part of PARTS.slice(0, 3)) {
    const value = w[part.key] || 0;
    root.append(...bar(x, 8, scale(value), part, value, readout));
    x += scale(value);
  }
  root.append(rowLabel(44, 'Overlapped'));
  PARTS.slice(0, 3).forEach((part, i) => {
    const value = w[part.key] || 0;
    root.append(...bar(left, 44 + i * 24, scale(value), part, value, readout));
  });
  const stall = w.stall_seconds || 0;
  root.append(...bar(left + scale(w.gpu_math_seconds || 0), 44 + 2 * 24, scale(stall), PARTS[3], stall, readout));
  const end = (s, y, text) => {
    const t = svg('text', {x: Math.min(left + scale(s) + 4, width - 4), y, class: 'tick',
      'text-anchor': left + scale(s) + 4 > width - 90 ? 'end' : 'start'});
    t.textContent = text;
    return t;
  };
  root.append(end(w.epoch_serial_seconds, 40, `serial epoch ${seconds(w.epoch_serial_seconds)}`));
  root.append(end(w.epoch_overlapped_seconds, 138, `overlapped epoch ${seconds(w.epoch_overlapped_seconds)}`));
  const legend = el('ul', {class: 'legend', 'aria-label': 'Legend'},
    ...PARTS.map((p) => el('li', {}, el('span', {class: `swatch ${p.cls}`, 'aria-hidden': 'true'}),
      ` ${p.label}: ${seconds(w[p.key] || 0)}`)));
  container.replaceChildren(root, legend);
}

export function initWaterfall() {
  const container = document.getElementById('waterfall');
  const readout = document.getElementById('waterfall-readout');
  subscribe('report', (report) => renderWaterfall(container, readout, report.waterfall));
}
