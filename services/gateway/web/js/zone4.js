// Zone 4: the consequence log (the current levers' log, and the live run's new
// consequences streamed tick by tick), the rationale box, the session's audit trail.
import {call} from './api.js';
import {rate, percent} from './format.js';
import {el, publish, subscribe} from './views.js';

const SEVERITY = {
  SEVERITY_INFO: {mark: 'ℹ', word: 'info', cls: 'info'},
  SEVERITY_WARNING: {mark: '⚠', word: 'warning', cls: 'warning'},
  SEVERITY_ALERT: {mark: '✖', word: 'alert', cls: 'alert'},
};
const MAX_LIVE_ENTRIES = 50;

function consequenceItem(c, prefix = '') {
  const s = SEVERITY[c.severity] || SEVERITY.SEVERITY_INFO;
  return el('li', {class: `consequence ${s.cls}`, 'data-code': c.code},
    el('span', {class: 'severity', text: `${s.mark} ${s.word}`}), ' ',
    el('span', {class: 'message', text: `${prefix}${c.message}`}), ' ',
    el('code', {class: 'code', text: c.code}));
}

// What a rationale was judged against; a grade and feedback when the API has them.
function rationaleResult(entry) {
  const r = entry.rationale || {};
  const tax = r.feeding_tax || {};
  const parts = [el('p', {text: `Recorded as entry #${entry.sequence}.`}),
    el('p', {text: `The numbers behind it: GPU demand ${rate(tax.demand_bytes_per_s || 0)}, ` +
      `supply ${rate(tax.supply_bytes_per_s || 0)}, efficiency ${percent(tax.efficiency || 0)} ` +
      `(GPUs idle ${percent(tax.gpu_idle_fraction || 0)}).`})];
  if (r.grade !== undefined) parts.push(el('p', {class: 'grade', text: `Grade: ${typeof r.grade === 'object' ? JSON.stringify(r.grade) : r.grade}`}));
  if (r.feedback) parts.push(el('p', {class: 'feedback', text: String(r.feedback)}));
  return parts;
}

function auditRow(entry) {
  const time = new Date(Number(entry.unix_micros) / 1000).toLocaleTimeString();
  let kind = 'levers';
  let what = '';
  if (entry.rationale) {
    kind = 'rationale';
    what = `“${entry.rationale.text}”`;
  } else if (entry.levers) {
    kind = `levers (${entry.levers.origin})`;
    what = entry.levers.set.length ? entry.levers.set.join(', ') : 'scenario levers';
    const n = entry.levers.consequences.length;
    if (n) what += `: ${n} consequence${n > 1 ? 's' : ''}`;
  }
  return el('tr', {'data-kind': entry.rationale ? 'rationale' : 'levers'},
    el('td', {text: entry.sequence}), el('td', {text: time}), el('td', {text: kind}),
    el('td', {text: what}));
}

export function initZone4({sessionId}) {
  const current = document.getElementById('consequences');
  const live = document.getElementById('live-log');
  const form = document.getElementById('rationale-form');
  const text = document.getElementById('rationale-text');
  const result = document.getElementById('rationale-result');
  const audit = document.querySelector('#audit tbody');
  document.getElementById('session-id').textContent = sessionId;

  subscribe('report', (report) => {
    current.replaceChildren(...report.consequences.map((c) => consequenceItem(c)));
  });
  subscribe('tick', (tick) => {
    for (const c of tick.consequences) live.prepend(consequenceItem(c, `tick ${tick.tick}: `));
    while (live.children.length > MAX_LIVE_ENTRIES) live.lastChild.remove();
  });

  let auditTimer = null;
  const refreshAudit = () => {
    clearTimeout(auditTimer);
    auditTimer = setTimeout(async () => {
      try {
        const entries = [];
        let token = '';
        for (let page = 0; page < 20; page += 1) {  // at most 20 pages of 100
          const reply = await call('factory/v1/GetAuditTrail', {session_id: sessionId, page_size: 100, page_token: token});
          entries.push(...reply.entries);
          token = reply.next_page_token;
          if (!token) break;
        }
        publish('audit', entries);
      } catch (error) {
        publish('error', {where: 'audit trail', error});
      }
    }, 300);
  };
  subscribe('audit', (entries) => {
    audit.replaceChildren(...entries.slice(-100).reverse().map(auditRow));
  });
  subscribe('report', refreshAudit);
  subscribe('run', refreshAudit);
  subscribe('tick', (tick) => {  // a change taken by the live run is recorded as live_change
    if (tick.consequences.some((c) => c.code === 'lever_changed')) refreshAudit();
  });
  subscribe('rationale', (reply) => {
    result.replaceChildren(...rationaleResult(reply.entry));
    refreshAudit();
  });

  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!text.value.trim()) {
      result.replaceChildren(el('p', {class: 'error', text: 'Write your rationale first.'}));
      text.focus();
      return;
    }
    try {
      publish('rationale', await call('factory/v1/SubmitRationale', {session_id: sessionId, text: text.value}));
    } catch (error) {
      result.replaceChildren(el('p', {class: 'error', text: `Not recorded: ${error.message}`}));
    }
  });
}
