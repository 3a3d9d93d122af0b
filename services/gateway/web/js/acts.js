// The guided acts (ListActs): an act's scenario, crisis and task; its prediction
// questions one at a time, each asked before anything reveals its answer and
// judged by CheckPrediction (recorded in the session's audit trail), with its
// worked math after; once every question is answered, the act's worked
// arithmetic (reveal) and its reflection prompt. The act's scenario goes into the
// levers (onScenario) with the reveal, not before: its cards and badges would give
// the answers away (a button skips ahead); the reveal offers the fixed version.
import {call} from './api.js';
import {number} from './format.js';
import {el, publish} from './views.js';

const UNIT_WORDS = {percent: '%', USD: 'US dollars'};

// One act's progress: the answers judged so far, by prediction id.
const progress = new Map();

function judgement(prediction, reply) {
  const right = reply.correct;
  return el('div', {class: `judgement ${right ? 'ok' : 'bad'}`, 'data-correct': String(right)},
    el('p', {class: 'judgement-word', text: right ? '✓ Right' : '✗ Not quite'}),
    el('p', {class: 'judgement-message', text: reply.message}),
    el('p', {class: 'worked-math'}, el('strong', {text: 'Worked math: '}), prediction.worked_math));
}

function question(act, prediction, index, onAnswered, sessionId) {
  const id = `predict-${act.id}-${prediction.id}`;
  const done = progress.get(act.id)?.get(prediction.id);
  const item = el('li', {class: 'prediction', 'data-prediction': prediction.id});
  item.append(el('label', {for: id, text: `Q${index + 1}. ${prediction.question}`}));
  if (done) {
    item.append(el('p', {class: 'answer', text: `Your answer: ${number(done.answer, 4)} ${UNIT_WORDS[prediction.unit] || prediction.unit}`}),
      judgement(prediction, done.reply));
    return item;
  }
  const input = el('input', {id, type: 'number', step: 'any', required: true, inputmode: 'decimal',
    'aria-describedby': `${id}-unit`});
  const error = el('p', {class: 'error', role: 'alert'});
  const form = el('form', {class: 'predict-form'}, input,
    el('span', {id: `${id}-unit`, class: 'unit', text: ` ${UNIT_WORDS[prediction.unit] || prediction.unit} `}),
    el('button', {type: 'submit', text: 'Check my prediction'}), error);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const answer = Number(input.value);
    if (input.value.trim() === '' || !Number.isFinite(answer)) {
      error.textContent = 'Type a number first.';
      input.focus();
      return;
    }
    try {
      const reply = await call('factory/v1/CheckPrediction',
        {act: act.id, prediction_id: prediction.id, answer, session_id: sessionId});
      progress.get(act.id).set(prediction.id, {answer, reply});
      onAnswered();
      publish('prediction', reply);
    } catch (e) {
      error.textContent = `Not checked: ${e.message}`;
    }
  });
  item.append(form);
  return item;
}

function actPanel(act, {sessionId, onScenario, rerender}) {
  if (!progress.has(act.id)) progress.set(act.id, new Map());
  const answered = progress.get(act.id);
  const panel = el('div', {class: 'act', 'data-act': act.id},
    el('h3', {text: act.title}),
    el('dl', {class: 'act-situation'},
      el('dt', {text: 'Scenario'}), el('dd', {class: 'act-scenario', text: act.scenario}),
      el('dt', {text: 'Crisis'}), el('dd', {class: 'act-crisis', text: act.crisis}),
      el('dt', {text: 'Task'}), el('dd', {class: 'act-task', text: act.task})));
  const list = el('ol', {class: 'predictions', 'aria-label': 'Predictions: answer before the reveal'});
  // Questions in order: the answered ones, then the next one; later ones wait.
  for (const [i, p] of act.predictions.entries()) {
    list.append(question(act, p, i, rerender, sessionId));
    if (!answered.has(p.id)) break;
  }
  panel.append(el('h4', {text: 'Predict first'}), list);
  const right = act.predictions.filter((p) => answered.get(p.id)?.reply.correct).length;
  if (answered.size < act.predictions.length) {
    panel.append(el('p', {class: 'muted act-waiting',
      text: `The worked arithmetic appears, and the act's levers load, once you have answered all ${act.predictions.length} questions.`}),
    el('button', {type: 'button', class: 'act-skip', text: `Load ${act.scenario_name}'s levers now (shows the answers)`,
      onclick: () => onScenario(act.scenario_name)}));
    return panel;
  }
  panel.append(el('section', {class: 'reveal', 'aria-label': 'The reveal'},
    el('h4', {text: `The reveal (${right} of ${act.predictions.length} predictions right)`}),
    el('ol', {class: 'reveal-steps'}, ...act.reveal.map((line) => el('li', {text: line}))),
    act.solved_scenario ? el('button', {type: 'button', class: 'act-solved',
      text: `Load the fixed version (${act.solved_scenario})`, onclick: () => onScenario(act.solved_scenario)}) : null,
    el('h4', {text: 'Reflect'}),
    el('p', {class: 'reflection', text: act.reflection})));
  return panel;
}

// Builds the acts' tabs in `root`; onScenario(name) loads a scenario into the levers.
// show(act, load): `load` when the student opens the act (a tab), not after an answer.
export async function initActs(root, {sessionId, onScenario}) {
  const tabs = el('div', {class: 'act-tabs', role: 'group', 'aria-label': 'Guided acts'});
  const body = el('div', {class: 'act-body', 'aria-live': 'polite'});
  root.append(tabs, body);
  let acts = [];
  let wasRevealed = false;
  const show = (act, load) => {
    if (load) wasRevealed = false;
    for (const b of tabs.children) b.setAttribute('aria-pressed', String(b.dataset.act === act.id));
    const rerender = () => show(act, false);
    body.replaceChildren(actPanel(act, {sessionId, onScenario, rerender}));
    const revealed = body.querySelector('.reveal') !== null;
    if (revealed && !wasRevealed) onScenario(act.scenario_name);
    wasRevealed = revealed;
    if (!load) {  // after an answer: keyboard focus on the next question, else on the reveal
      const next = body.querySelector('.predict-form input') || body.querySelector('.reveal h4');
      if (next) {
        if (!next.matches('input')) next.setAttribute('tabindex', '-1');
        next.focus();
      }
    }
  };
  try {
    acts = (await call('factory/v1/ListActs', {})).acts;
  } catch (error) {
    publish('error', {where: 'guided acts', error});
    return;
  }
  tabs.replaceChildren(...acts.map((act) => el('button', {type: 'button', 'data-act': act.id,
    'aria-pressed': 'false', text: act.title, onclick: () => show(act, true)})));
  body.append(el('p', {class: 'muted', text: 'Choose an act: it asks for your predictions first, then shows the arithmetic and loads its scenario into the levers.'}));
}
