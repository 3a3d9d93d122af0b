// Small SVG helpers for the page's charts (no chart library).

const NS = 'http://www.w3.org/2000/svg';

export function svg(tag, attrs = {}, ...children) {
  const node = document.createElementNS(NS, tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value !== undefined && value !== null) node.setAttribute(key, value);
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

// A tooltip-like title (hover) for an SVG element.
export const title = (text) => svg('title', {}, document.createTextNode(text));

// A line chart of `series` ([{label, cls, points: [[x, y], ...]}]) over x, with the
// y axis from 0 to `yMax` (or the data's maximum), labelled by `yFormat`; hovering
// (or focusing, then arrow keys) shows the values at a point in `readout`.
export function lineChart(container, series, {yMax, yFormat, xLabel, readout, description}) {
  const width = 560;
  const height = 180;
  const pad = {left: 64, right: 12, top: 10, bottom: 28};
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs, xMin + 1) : 1;
  const top = yMax ?? Math.max(1e-9, ...all.map((p) => p[1]));
  const px = (x) => pad.left + ((x - xMin) / (xMax - xMin)) * (width - pad.left - pad.right);
  const py = (y) => height - pad.bottom - (y / top) * (height - pad.top - pad.bottom);
  const root = svg('svg', {viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img',
    'aria-label': description});
  root.append(svg('line', {x1: pad.left, y1: py(0), x2: width - pad.right, y2: py(0), class: 'axis'}));
  for (const frac of [0, 0.5, 1]) {
    const y = py(top * frac);
    root.append(svg('line', {x1: pad.left, y1: y, x2: width - pad.right, y2: y, class: 'grid'}));
    const label = svg('text', {x: pad.left - 6, y: y + 4, class: 'tick', 'text-anchor': 'end'});
    label.textContent = yFormat(top * frac);
    root.append(label);
  }
  const xText = svg('text', {x: width - pad.right, y: height - 6, class: 'tick', 'text-anchor': 'end'});
  xText.textContent = xLabel;
  root.append(xText);
  for (const s of series) {
    if (!s.points.length) continue;
    const d = s.points.map((p, i) => `${i ? 'L' : 'M'}${px(p[0]).toFixed(1)},${py(p[1]).toFixed(1)}`).join('');
    root.append(svg('path', {d, class: `line ${s.cls}`}));
  }
  const cursor = svg('line', {y1: pad.top, y2: py(0), class: 'cursor', visibility: 'hidden'});
  root.append(cursor);
  const show = (index) => {
    const base = series[0].points;
    if (!base.length) return;
    const i = Math.max(0, Math.min(base.length - 1, index));
    cursor.setAttribute('x1', px(base[i][0]));
    cursor.setAttribute('x2', px(base[i][0]));
    cursor.setAttribute('visibility', 'visible');
    readout.textContent = series.map((s) => s.points[i] ? `${s.label}: ${s.format(s.points[i][1])}` : '')
      .filter(Boolean).join(' · ') + ` (at ${xLabel} ${base[i][0]})`;
    root.dataset.index = i;
  };
  root.addEventListener('mousemove', (event) => {
    const box = root.getBoundingClientRect();
    const x = xMin + ((event.clientX - box.left) / box.width * width - pad.left) /
      (width - pad.left - pad.right) * (xMax - xMin);
    const base = series[0].points;
    let best = 0;
    base.forEach((p, i) => { if (Math.abs(p[0] - x) < Math.abs(base[best][0] - x)) best = i; });
    show(best);
  });
  root.setAttribute('tabindex', '0');
  root.addEventListener('keydown', (event) => {
    const i = Number(root.dataset.index ?? series[0].points.length - 1);
    if (event.key === 'ArrowLeft') show(i - 1);
    else if (event.key === 'ArrowRight') show(i + 1);
    else return;
    event.preventDefault();
  });
  container.replaceChildren(root);
}
