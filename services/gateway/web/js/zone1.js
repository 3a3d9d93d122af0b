// Zone 1: title, persona and scale, and the three badges. Each badge shows its
// state in words and a symbol as well as colour: "✓ OK" (green), "✗ over" (red),
// "⚠ DRIFT" (alert), or "n/a" where the check does not apply.
import {dollars, number, percent} from './format.js';
import {el, subscribe} from './views.js';

// Whether a badge's check applies: the report marks a badge that does not apply
// as not_evaluated (the drift check for every persona but the Tiny Pioneer).
const applies = (badge) => !badge.not_evaluated;

function valueText(badge) {
  if (badge.unit === 'USD') return `${dollars(badge.value)} (limit ${dollars(badge.threshold)})`;
  if (badge.unit === 'ratio') return `${percent(badge.value, 1)} idle (limit ${percent(badge.threshold)})`;
  return `p = ${number(badge.value)} (per-test alpha ${number(badge.threshold)})`;
}

export function badgeState(badge) {
  if (!applies(badge)) return {cls: 'na', mark: 'n/a', word: 'not applicable'};
  if (badge.ok) return {cls: 'ok', mark: '✓', word: badge.id === 'no_drift' ? 'no drift' : 'OK'};
  if (badge.id === 'no_drift') return {cls: 'alert', mark: '⚠', word: 'DRIFT'};
  return {cls: 'bad', mark: '✗', word: 'over the limit'};
}

export function initZone1() {
  const badges = document.getElementById('badges');
  const persona = document.getElementById('persona');
  subscribe('report', (report) => {
    persona.textContent = `${report.persona_label}: ${report.persona_scale}`;
    badges.replaceChildren(...report.badges.map((badge) => {
      const state = badgeState(badge);
      return el('li', {class: `badge ${state.cls}`, 'data-badge': badge.id, 'data-state': state.cls},
        el('span', {class: 'badge-label', text: badge.label}),
        el('span', {class: 'badge-state', text: `${state.mark} ${state.word}`}),
        el('span', {class: 'badge-value', text: state.cls === 'na' ? (report.drift?.detail || '') : valueText(badge)}));
    }));
  });
}
