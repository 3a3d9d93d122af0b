// Act III live: the per-stream table of drift-monitor (ListStreams + GetStream,
// polled), with each stream's verdict in words, its white-balance gains now and
// over time, and buttons to pin or reset its reference.
import {call} from './api.js';
import {number, percent} from './format.js';
import {svg} from './svg.js';
import {el, publish, subscribe} from './views.js';

const POLL_MS = 2000;
const MAX_STREAMS = 50;
const HISTORY = 60;

const feature = (state, name) => (state.features || []).find((f) => f.name === name);

// The verdict of a StreamState or DriftReport, in words and a symbol.
export function verdictOf(state) {
  if (state.error) return {cls: 'bad', text: `✗ frame rejected: ${state.error.reason}`};
  if (state.drift) return {cls: 'alert', text: '⚠ DRIFT'};
  const gains = ['gain_g_over_r', 'gain_g_over_b'].map((n) => feature(state, n)).filter(Boolean);
  // K-S D is 0 and p 1 until both the reference and the window are full (docs/api.md).
  if (!gains.length || gains.every((f) => f.ks_statistic === 0 && f.ks_pvalue === 1)) {
    return {cls: 'na', text: '… collecting reference'};
  }
  return {cls: 'ok', text: '✓ stable'};
}

// A drift cause in words ("DRIFT_CAUSE_WHITE_BALANCE" -> "white balance"), or "—"
// when unset; drift-monitor reports causes once its StreamState/DriftReport have `cause`.
export function causeText(cause) {
  const name = String(cause ?? '').replace(/^([A-Z]+_)*CAUSE_/, '');
  return !name || name === 'UNSPECIFIED' ? '—' : name.toLowerCase().replace(/_/g, ' ');
}

// "G/R 1.02 (effect 0.4 %, D 0.31)" for one gain feature.
export function gainText(f) {
  if (!f) return '—';
  return `${number(f.value)} (effect ${percent(f.effect_size, 1)}, D ${number(f.ks_statistic, 2)}${f.rejected ? ', rejects' : ''})`;
}

function sparkline(values) {
  if (values.length < 2) return el('span', {text: ''});
  const lo = Math.min(...values);
  const hi = Math.max(...values, lo + 1e-6);
  const points = values.map((v, i) => `${(i / (values.length - 1)) * 100},${20 - ((v - lo) / (hi - lo)) * 18 - 1}`).join(' ');
  return svg('svg', {viewBox: '0 0 100 20', class: 'spark', role: 'img',
    'aria-label': `G/B gain from ${number(values[0])} to ${number(values[values.length - 1])}`},
  svg('polyline', {points, class: 'line gpu'}));
}

export function initDriftTable() {
  const table = document.getElementById('streams');
  const head = table.querySelector('thead tr');
  const body = table.querySelector('tbody');
  const history = new Map();

  const act = async (method, streamId) => {
    try {
      await call(`drift/v1/${method}`, {stream_id: streamId});
      poll();
    } catch (error) {
      publish('error', {where: `${method} ${streamId}`, error});
    }
  };

  subscribe('streams', (states) => {
    // A cause column once drift-monitor reports causes (a field `cause`).
    const withCause = states.some((s) => s.cause !== undefined);
    const columns = ['Stream', 'City', 'Frames', 'Verdict', ...(withCause ? ['Cause'] : []),
      'G/R gain', 'G/B gain', 'G/B over time', 'Drift events', 'Reference'];
    head.replaceChildren(...columns.map((c) => el('th', {scope: 'col', text: c})));
    body.replaceChildren(...states.map((s) => {
      const verdict = verdictOf(s);
      const gb = feature(s, 'gain_g_over_b');
      if (gb) {
        const h = history.get(s.stream_id) || [];
        h.push(gb.value);
        history.set(s.stream_id, h.slice(-HISTORY));
      }
      return el('tr', {'data-stream': s.stream_id},
        el('th', {scope: 'row', text: s.stream_id}),
        el('td', {text: (s.labels || {}).city || '—'}),
        el('td', {text: `${s.frames_seen} (ref ${s.reference_count}, window ${s.window_count})`}),
        el('td', {class: `verdict ${verdict.cls}`, text: verdict.text}),
        withCause ? el('td', {class: 'cause', text: causeText(s.cause)}) : null,
        el('td', {text: gainText(feature(s, 'gain_g_over_r'))}),
        el('td', {text: gainText(gb)}),
        el('td', {}, sparkline(history.get(s.stream_id) || [])),
        el('td', {text: s.drift_events}),
        el('td', {},
          el('button', {type: 'button', text: 'Pin', 'aria-label': `Pin the reference of ${s.stream_id}`,
            onclick: () => act('PinReference', s.stream_id)}), ' ',
          el('button', {type: 'button', text: 'Reset', 'aria-label': `Reset the reference of ${s.stream_id}`,
            onclick: () => act('ResetReference', s.stream_id)})));
    }));
  });

  let timer = null;
  const poll = async () => {
    clearTimeout(timer);
    try {
      const {stream_ids: ids} = await call('drift/v1/ListStreams', {});
      const states = await Promise.all(ids.slice(0, MAX_STREAMS).map((id) =>
        call('drift/v1/GetStream', {stream_id: id}).catch(() => null)));
      publish('streams', states.filter(Boolean));
    } catch (error) {
      publish('error', {where: 'drift-monitor streams', error});
    }
    timer = setTimeout(poll, POLL_MS);
  };
  poll();
  return {refresh: poll};
}
