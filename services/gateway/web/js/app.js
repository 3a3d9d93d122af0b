// The lab page: boots the views, keeps the lever selection, evaluates it on every
// change (one call in flight, the latest selection next) and forwards changes into
// a running live run. The time from a lever change to the frame showing its cards
// is recorded as the User Timing measure "df:lever-to-cards".
import {initActs} from './acts.js';
import {call} from './api.js';
import {initCamera} from './camera.js';
import {initDriftTable} from './drift.js';
import {initDriftCheck} from './drift_check.js';
import {initLedger} from './ledger.js';
import {buildLevers} from './levers.js';
import {initLiveRun} from './liverun.js';
import {publish, subscribe} from './views.js';
import {initWaterfall} from './waterfall.js';
import {initZone1} from './zone1.js';
import {initZone4} from './zone4.js';

function sessionIdOf(search) {
  const asked = new URLSearchParams(search).get('session');
  if (asked && /^[A-Za-z0-9_-]{1,64}$/.test(asked)) return asked;
  const bytes = crypto.getRandomValues(new Uint8Array(4));
  return `web-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

const sessionId = sessionIdOf(location.search);
const selection = {scenario: new URLSearchParams(location.search).get('scenario') || 'act2', set: new Map()};
const status = document.getElementById('status');
const ledger = document.getElementById('ledger');
const scenarioText = document.getElementById('scenario-text');
let scenarios = [];

const request = () => ({scenario: selection.scenario,
  set: [...selection.set].map(([name, value]) => `${name}=${value}`)});

// Evaluate: one call in flight; a change meanwhile is evaluated when it returns.
let inFlight = false;
let pending = false;
let changedAt = null;
async function evaluate() {
  if (inFlight) {
    pending = true;
    return;
  }
  inFlight = true;
  pending = false;
  ledger.setAttribute('aria-busy', 'true');  // until the latest selection's cards show
  const started = changedAt;
  changedAt = null;
  try {
    const reply = await call('factory/v1/Evaluate', {selection: request(), session_id: sessionId});
    status.textContent = '';
    status.className = 'status';
    publish('report', reply.report);
    if (started !== null) {
      requestAnimationFrame(() => performance.measure('df:lever-to-cards', {start: started, end: performance.now()}));
    }
  } catch (error) {
    publish('error', {where: 'evaluate', error});
  } finally {
    inFlight = false;
    if (pending) evaluate();
    else ledger.setAttribute('aria-busy', 'false');
  }
}

subscribe('error', ({where, error}) => {
  status.textContent = `${where}: ${error.message}${error.status ? ` (${error.status})` : ''}`;
  status.className = 'status error';
});

initZone1();
initLedger();
initWaterfall();
const live = initLiveRun({startRequest: (interval, epochs) => ({
  selection: request(), session_id: sessionId,
  pace: {tick_interval_ms: interval, epochs}})});
initZone4({sessionId});
const drift = initDriftTable();
initCamera({sessionId, onStreamsChanged: () => drift.refresh()});
initDriftCheck();
initActs(document.getElementById('acts'), {sessionId, onScenario(name) {
  levers.selectScenario(name);
  loadScenario(name);
}});

function loadScenario(name) {
  selection.scenario = name;
  selection.set.clear();
  const s = scenarios.find((x) => x.name === name);
  scenarioText.textContent = s ? s.description : '';
  changedAt = changedAt ?? performance.now();
  evaluate();
}

const levers = buildLevers(document.getElementById('levers'), {
  onScenario: loadScenario,
  onChange(name, setting) {
    selection.set.delete(name);  // the latest setting of a lever, applied last
    selection.set.set(name, setting);
    changedAt = changedAt ?? performance.now();
    evaluate();
    live.change(name, setting);
  },
});

(async () => {
  try {
    scenarios = (await call('factory/v1/ListScenarios', {})).scenarios;
    publish('scenarios', scenarios);
    if (!scenarios.some((s) => s.name === selection.scenario)) selection.scenario = scenarios[0].name;
    levers.selectScenario(selection.scenario);
    scenarioText.textContent = scenarios.find((s) => s.name === selection.scenario).description;
  } catch (error) {
    publish('error', {where: 'scenarios', error});
  }
  evaluate();
})();
