// The page's views subscribe to what the APIs deliver, by topic, so a new view (a
// guided act, a rationale grade, per-city ECDFs, a drift cause) is one more
// subscriber to fields that appear in the JSON, with no change to the others.
//
// Topics and their payloads (the gateway's JSON, proto field names):
//   'report'        EvaluateResponse.report, after every lever change
//   'scenarios'     ListScenariosResponse.scenarios
//   'tick'          one TelemetryTick of the live run
//   'run'           {state: 'running' | 'ended', end?: {code, status, message}}
//   'rationale'     SubmitRationaleResponse (its entry, with the grade)
//   'prediction'    CheckPredictionResponse of a guided act's question
//   'audit'         the session's AuditEntry list, oldest first
//   'drift-report'  one DriftReport of the page's camera stream
//   'streams'       [StreamState] of every drift-monitor stream, polled
//   'error'         {where, error}: a refused call, shown in the status line

const subscribers = new Map();

export function subscribe(topic, render) {
  if (!subscribers.has(topic)) subscribers.set(topic, []);
  subscribers.get(topic).push(render);
}

export function publish(topic, payload) {
  for (const render of subscribers.get(topic) || []) {
    try {
      render(payload);
    } catch (error) {
      console.error(`view for '${topic}' failed:`, error);
    }
  }
}

// A DOM helper: el('p', {class: 'x', text: 'hi'}, child...).
export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === 'text') node.textContent = value;
    else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value === true ? '' : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}
