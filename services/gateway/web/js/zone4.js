// Zone 4: the consequence log (the current levers' log, and the live run's new
// consequences streamed tick by tick), the rationale box, the session's audit trail.
import {call} from './api.js';
import {number, rate, words} from './format.js';
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

const VERDICT = {
  RATIONALE_VERDICT_ACCEPTED: {cls: 'ok', mark: '✓', word: 'Accepted'},
  RATIONALE_VERDICT_FIGURES_MISSING: {cls: 'bad', mark: '✗', word: 'Figures missing'},
  RATIONALE_VERDICT_FIGURES_WRONG: {cls: 'bad', mark: '✗', word: 'Figures wrong'},
  RATIONALE_VERDICT_TIER_MISSES_TARGET: {cls: 'bad', mark: '✗', word: 'The tier misses the 10 % target'},
};

// One check of the grade: "✓ supply: quoted 16 GB/s, model 16 GB/s — <explanation>".
function checkItem(check) {
  const figure = (v) => (check.unit === 'B/s' ? rate(v) : `${number(v)} %`);
  const quoted = check.name === 'gpu_hunger_target' ? '' :
    check.quoted ? `quoted ${figure(check.quoted_value)}, ` : 'not quoted, ';
  return el('li', {class: `check ${check.ok ? 'ok-text' : 'bad-text'}`, 'data-check': check.name},
    el('strong', {text: `${check.ok ? '✓' : '✗'} ${words(check.name)}: `}),
    `${quoted}model ${figure(check.model_value)}. ${check.explanation}`);
}

// The grade of a rationale (RationaleGrade): verdict in words, summary, each check
// with its feedback, and the feeding-tax math of the levers it defends.
function rationaleResult(entry) {
  const grade = (entry.rationale || {}).grade || {};
  const v = VERDICT[grade.verdict] || {cls: 'na', mark: '?', word: words(grade.verdict || 'not graded')};
  return [el('p', {class: `grade ${v.cls}`, 'data-verdict': grade.verdict || '', 'data-accepted': String(!!grade.accepted)},
    el('strong', {text: `${v.mark} ${v.word}`}), ` (entry #${entry.sequence}): ${grade.summary || ''}`),
  el('ul', {class: 'checks', 'aria-label': 'What the grade checked'}, ...(grade.checks || []).map(checkItem)),
  el('p', {class: 'worked-math'}, el('strong', {text: 'The feeding-tax math: '}), grade.worked_math || '')];
}

function auditRow(entry) {
  const time = new Date(Number(entry.unix_micros) / 1000).toLocaleTimeString();
  let kind = 'levers';
  let what = '';
  if (entry.rationale) {
    kind = 'rationale';
    const grade = entry.rationale.grade || {};
    what = `“${entry.rationale.text}” — ${(VERDICT[grade.verdict] || {word: 'not graded'}).word}`;
  } else if (entry.prediction) {
    const p = entry.prediction;
    kind = 'prediction';
    what = `${p.act} ${p.prediction_id}: ${number(p.answer)} (${p.correct ? '✓ right' : '✗ not quite'}; ` +
      `accepted ${number(p.accepted_answer)})`;
  } else if (entry.levers) {
    kind = `levers (${entry.levers.origin})`;
    what = entry.levers.set.length ? entry.levers.set.join(', ') : 'scenario levers';
    const n = entry.levers.consequences.length;
    if (n) what += `: ${n} consequence${n > 1 ? 's' : ''}`;
  }
  return el('tr', {'data-kind': kind.split(' ')[0]},
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
  subscribe('prediction', refreshAudit);
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
