// Act III in the model: the report's K-S check per city (DriftCheck.cities), a
// table of each test (n, D, p, the critical D and the verdict) and, per city, the
// reference and window ECDFs of its decisive test with D marked as the vertical
// gap between them. Not evaluated (every persona but the Tiny Pioneer): a note.
import {number} from './format.js';
import {svg} from './svg.js';
import {el, subscribe} from './views.js';

const FEATURE_WORDS = {wb_gain_log_g_over_r: 'ln G/R gain', wb_gain_log_g_over_b: 'ln G/B gain'};

// A step path of an ECDF: 0 left of the smallest value, (i + 1) / n at value i.
export function stepPath(values, px, py, xMin, xMax) {
  let d = `M${px(xMin).toFixed(1)},${py(0).toFixed(1)}`;
  values.forEach((v, i) => {
    d += `H${px(v).toFixed(1)}V${py((i + 1) / values.length).toFixed(1)}`;
  });
  return `${d}H${px(xMax).toFixed(1)}`;
}

function text(attrs, content) {
  const node = svg('text', attrs);
  node.textContent = content;
  return node;
}

// The two ECDFs of `city`'s decisive test with D drawn at ecdf.d_at.
export function ecdfChart(city) {
  const {ecdf} = city;
  const test = city.tests[city.decisive_test] || {};
  const width = 420;
  const height = 200;
  const pad = {left: 40, right: 12, top: 12, bottom: 34};
  const all = [...ecdf.reference, ...ecdf.current];
  const xMin = Math.min(...all);
  const xMax = Math.max(...all, xMin + 1e-9);
  const px = (x) => pad.left + ((x - xMin) / (xMax - xMin)) * (width - pad.left - pad.right);
  const py = (y) => height - pad.bottom - y * (height - pad.top - pad.bottom);
  const d = Math.abs(ecdf.reference_cdf_at_d - ecdf.current_cdf_at_d);
  const root = svg('svg', {viewBox: `0 0 ${width} ${height}`, class: 'chart ecdf', role: 'img',
    'data-city': city.city, 'data-d': d,
    'aria-label': `${city.city}: ECDFs of the ${FEATURE_WORDS[test.feature] || test.feature}, reference ` +
      `(${ecdf.reference.length} frames, solid) and window (${ecdf.current.length} frames, dashed); ` +
      `D = ${number(d)} at ${number(ecdf.d_at)}`});
  for (const y of [0, 0.5, 1]) {
    root.append(svg('line', {x1: pad.left, x2: width - pad.right, y1: py(y), y2: py(y), class: 'grid'}),
      text({x: pad.left - 4, y: py(y) + 4, class: 'tick', 'text-anchor': 'end'}, String(y)));
  }
  root.append(
    text({x: pad.left, y: height - 18, class: 'tick'}, number(xMin)),
    text({x: width - pad.right, y: height - 18, class: 'tick', 'text-anchor': 'end'}, number(xMax)),
    text({x: (pad.left + width) / 2, y: height - 4, class: 'tick', 'text-anchor': 'middle'},
      FEATURE_WORDS[test.feature] || test.feature),
    svg('path', {d: stepPath(ecdf.reference, px, py, xMin, xMax), class: 'line reference'}),
    svg('path', {d: stepPath(ecdf.current, px, py, xMin, xMax), class: 'line current'}),
    svg('line', {x1: px(ecdf.d_at), x2: px(ecdf.d_at), y1: py(ecdf.reference_cdf_at_d),
      y2: py(ecdf.current_cdf_at_d), class: 'd-mark'}),
    text({x: px(ecdf.d_at) + 6, y: py((ecdf.reference_cdf_at_d + ecdf.current_cdf_at_d) / 2) + 4,
      class: 'd-label'}, `D = ${number(d, 2)}`));
  return root;
}

function testRow(city, test, index) {
  const verdict = test.rejected ? '⚠ drift (rejects)' : '✓ same distribution';
  return el('tr', {'data-city': city.city, 'data-feature': test.feature},
    index === 0 ? el('th', {scope: 'row', rowspan: city.tests.length,
      text: `${city.city} (${city.firmware_updated ? 'firmware updated' : 'control'})`}) : null,
    el('td', {text: FEATURE_WORDS[test.feature] || test.feature}),
    el('td', {text: `${test.n_reference} / ${test.n_current}`}),
    el('td', {class: 'num', text: number(test.ks_statistic)}),
    el('td', {class: 'num', text: number(test.p_value)}),
    el('td', {class: 'num', text: number(test.critical_statistic)}),
    el('td', {class: `verdict ${test.rejected ? 'alert' : 'ok'}`, text: verdict}));
}

export function initDriftCheck() {
  const root = document.getElementById('drift-check');
  subscribe('report', (report) => {
    const check = report.drift || {};
    if (!check.evaluated) {
      root.replaceChildren(el('p', {class: 'muted', 'data-evaluated': 'false',
        text: `Not evaluated for ${report.persona_label}: Act III's check runs on the Tiny Pioneer's ` +
          'doorbell cameras (scenario act3).'}));
      return;
    }
    const table = el('table', {class: 'drift-cities'},
      el('caption', {text: `${check.tests} K-S tests at alpha ${number(check.alpha)} ` +
        `(${number(check.per_test_alpha)} each, Bonferroni); firmware severity ${number(100 * check.firmware_severity)} %`}),
      el('thead', {}, el('tr', {}, ...['City', 'Feature', 'n (reference / window)', 'D', 'p',
        'Critical D', 'Verdict'].map((c) => el('th', {scope: 'col', text: c})))),
      el('tbody', {}, ...check.cities.flatMap((city) => city.tests.map((t, i) => testRow(city, t, i)))));
    root.replaceChildren(el('div', {class: 'table-wrap'}, table),
      el('div', {class: 'ecdfs'}, ...check.cities.map((city) => el('figure', {},
        ecdfChart(city),
        el('figcaption', {text: `${city.city}: reference (solid) vs window (dashed), ` +
          `${city.detected ? '⚠ drift detected' : '✓ no drift'}`})))));
  });
}
