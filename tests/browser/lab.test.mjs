// The lab page in a real browser (Debian's chromium), against the real gateway,
// factory-sim and drift-monitor: run by run_browser_suite.py (ctest label "browser").
import assert from 'node:assert/strict';
import {after, before, test} from 'node:test';
import {join} from 'node:path';
import {artefacts, launch, openLab} from './browser.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { if (browser) await browser.close(); });

const shot = (page, name) => page.screenshot({path: join(artefacts(), `${name}.png`), fullPage: true});
const text = (page, selector) => page.locator(selector).innerText();
const card = (page, id) => text(page, `[data-card="${id}"]`);
const badgeState = (page, id) => page.locator(`[data-badge="${id}"]`).getAttribute('data-state');

// Colour is never the only signal: every element coloured by its state (ok, bad,
// alert, n/a) also says it with a symbol or a word. Returns how many were checked.
async function colourCarriesWords(page) {
  const silent = await page.evaluate(() => [...document.querySelectorAll('.ok, .bad, .alert, .na')]
    .filter((e) => e.offsetParent !== null && !/[✓✗✖⚠ℹ…]|n\/a/.test(e.innerText))
    .map((e) => e.outerHTML.slice(0, 80)));
  assert.deepEqual(silent, []);
  return page.locator('.ok, .bad, .alert, .na').count();
}

// Waits until `read()` differs from `before`; returns the new value.
async function changed(page, read, before, what) {
  const deadline = Date.now() + 15000;
  for (;;) {
    const now = await read();
    if (now !== before) return now;
    if (Date.now() > deadline) assert.fail(`${what} did not change from ${JSON.stringify(before)}`);
    await page.waitForTimeout(50);
  }
}

async function scenario(page, name) {
  const before = await text(page, '#persona');
  await page.selectOption('#lever-scenario', name);
  await page.waitForFunction((n) => document.querySelector('#lever-scenario').value === n, name);
  if (name !== 'act2') await changed(page, () => text(page, '#persona'), before, 'persona');
}

test('the four zones load with three worded badges and four cards', async () => {
  const {page, errors} = await openLab(browser.context, '?session=browser-zones');
  assert.equal(await page.locator('#badges li').count(), 3);
  assert.equal(await page.locator('#ledger li').count(), 4);
  assert.match(await text(page, '#persona'), /Cloud Titan/);
  // Act II: the GPUs starve (red, worded), the drift check does not apply (n/a).
  assert.equal(await badgeState(page, 'gpu_hunger_under_10pct'), 'bad');
  assert.match(await text(page, '[data-badge="gpu_hunger_under_10pct"]'), /✗ over the limit/);
  assert.equal(await badgeState(page, 'no_drift'), 'na');
  assert.match(await text(page, '[data-badge="no_drift"]'), /n\/a/);
  assert.equal(await badgeState(page, 'egress_under_100k'), 'ok');
  assert.match(await card(page, 'ingestion_speed'), /250 MB\/s/);
  assert.equal(await page.locator('#waterfall rect.bar').count(), 7);
  assert.match(await text(page, '#waterfall'), /Disk IO: 9.9 min/);
  await page.locator('#waterfall rect[data-part="disk"]').first().hover();
  assert.match(await text(page, '#waterfall-readout'), /Disk IO: 9.9 min/);
  await shot(page, 'lab-page');
  assert.deepEqual(errors, []);
  await page.close();
});

// Loads a scenario afresh (its own levers, none of the earlier settings) and waits
// until its cards show.
async function fresh(page, name) {
  const idle = () => page.waitForSelector('#ledger[aria-busy="false"]');
  if (await page.inputValue('#lever-scenario') === name) {
    await page.selectOption('#lever-scenario', name === 'act2' ? 'act1' : 'act2');
    await idle();
  }
  await page.selectOption('#lever-scenario', name);
  await idle();
}

const select = (value) => (page, id) => page.selectOption(id, value);
const type = (value) => async (page, id) => {
  await page.fill(id, value);
  await page.press(id, 'Tab');  // a number or text lever applies when it loses focus
};
const slide = (value) => (page, id) => page.fill(id, value);

// Every lever of Zone 2: its scenario, the move, what must change and how.
const LEVER_CASES = [
  {lever: 'storage_tier', scenario: 'act2', move: select('local_nvme'), watch: '[data-card="ingestion_speed"]', want: /16 GB\/s/,
    badge: ['gpu_hunger_under_10pct', 'ok']},
  {lever: 'transfer_method', scenario: 'act1', watch: '[data-card="egress_cost"]', want: /\$30,000.*Snowball/s,
    move: (page) => page.check('input[name="lever-transfer_method"][value="shipped_device"]')},
  {lever: 'dedup_fraction', scenario: 'act1', move: slide('30'), watch: '[data-card="data_entropy"]', want: /86 % unique.*dedup 30 %/s},
  {lever: 'drift_alpha', scenario: 'act3', move: slide('-3'), watch: '[data-badge="no_drift"]', want: /✓ no drift.*per-test alpha 2\.50e-4/s,
    badge: ['no_drift', 'ok']},
  {lever: 'persona', scenario: 'act2', move: select('tiny_pioneer'), watch: '#persona', want: /Tiny Pioneer/,
    badge: ['no_drift', 'alert']},
  {lever: 'dataset_bytes', scenario: 'act1', move: type('10TB'), watch: '[data-card="egress_cost"]', want: /\$900\b.*10 TB moved/s},
  {lever: 'link_rate_bits_per_s', scenario: 'act1', move: select('1e11'), watch: '[data-card="egress_cost"]', want: /Fiber 100 Gbps/},
  {lever: 'link_efficiency', scenario: 'act1', move: slide('50'), watch: '[data-card="ingestion_speed"]', want: /62\.5 MB\/s/},
  {lever: 'distance_miles', scenario: 'act1', move: type('0'), watch: '[data-card="egress_cost"]', want: /\$0\b.*nothing to move/s},
  {lever: 'deadline_days', scenario: 'act1', move: type('1000'), watch: '[data-card="pipeline_health"]',
    want: /^(?![\s\S]*misses the deadline)/},
  {lever: 'pricing_model', scenario: 'act1', move: select('tiered'), watch: '[data-card="egress_cost"]', want: /\$53,791.*tiered/s},
  {lever: 'gpu_type', scenario: 'act2', move: select('h100'), watch: '[data-card="pipeline_health"]', want: /5 %/},
  {lever: 'gpu_count', scenario: 'act2', move: type('1'), watch: '[data-card="pipeline_health"]', want: /88 %/},
  {lever: 'firmware_severity', scenario: 'act3', move: slide('0'), watch: '[data-badge="no_drift"]', want: /✓ no drift/,
    badge: ['no_drift', 'ok']},
];

test('each Zone 2 lever changes the cards and badges it drives', async () => {
  const {page, errors} = await openLab(browser.context, '?session=browser-levers');
  const levers = await page.evaluate(() => [...document.querySelectorAll('#levers [id^="lever-"]')]
    .map((c) => c.id.slice('lever-'.length)).filter((id) => id !== 'scenario'));
  assert.deepEqual(levers.sort(), LEVER_CASES.map((c) => c.lever).sort(), 'a case for every lever');
  // The main levers show; the others wait behind "More levers".
  assert.equal(await page.isVisible('#lever-storage_tier'), true);
  assert.equal(await page.isVisible('#lever-firmware_severity'), false);
  await page.click('details.more summary');
  for (const c of LEVER_CASES) {
    await fresh(page, c.scenario);
    const before = await text(page, c.watch);
    await c.move(page, `#lever-${c.lever}`);
    const after = await changed(page, () => text(page, c.watch), before, `${c.lever}: ${c.watch}`);
    assert.match(after, c.want, `${c.lever}: ${c.watch}`);
    if (c.badge) assert.equal(await badgeState(page, c.badge[0]), c.badge[1], `${c.lever}: badge ${c.badge[0]}`);
  }
  await shot(page, 'levers');
  assert.deepEqual(errors, []);
  await page.close();
});

test('levers work from the keyboard and every control has a label', async () => {
  const {page, errors} = await openLab(browser.context, '?session=browser-keys');
  const unlabelled = await page.evaluate(() => [...document.querySelectorAll('input, select, textarea, button')]
    .filter((c) => !(c.labels && c.labels.length) && !c.getAttribute('aria-label') && !c.textContent.trim())
    .map((c) => c.id || c.outerHTML.slice(0, 60)));
  assert.deepEqual(unlabelled, []);
  for (let i = 0; i < 40; i += 1) {
    await page.keyboard.press('Tab');
    if (await page.evaluate(() => document.activeElement.id) === 'lever-storage_tier') break;
  }
  assert.equal(await page.evaluate(() => document.activeElement.id), 'lever-storage_tier');
  const speed = await card(page, 'ingestion_speed');
  await page.keyboard.press('ArrowUp');  // cloud_disk -> local_nvme
  assert.match(await changed(page, () => card(page, 'ingestion_speed'), speed, 'ingestion speed'), /16 GB\/s/);
  await page.focus('#lever-dedup_fraction');
  const entropy = await card(page, 'data_entropy');
  await page.keyboard.press('End');
  assert.match(await changed(page, () => card(page, 'data_entropy'), entropy, 'data entropy'), /dedup 50 %/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a refused setting shows the backend message', async () => {
  const {page, errors} = await openLab(browser.context, '?session=browser-refused');
  await page.click('details.more summary');
  await page.fill('#lever-dataset_bytes', 'lots');
  await page.press('#lever-dataset_bytes', 'Tab');
  await page.waitForFunction(() => document.querySelector('#status').innerText.includes('cannot parse'));
  assert.match(await text(page, '#status'), /dataset_bytes.*INVALID_ARGUMENT/s);
  // The only console error is the browser's own note of the 400 answer.
  assert.deepEqual(errors.filter((e) => !/status of 400/.test(e)), []);
  await page.close();
});

// The acts as the API has them, to answer each question (one wrong, the rest right).
const listActs = (page) => page.evaluate(async () =>
  (await (await fetch('/api/factory/v1/ListActs', {method: 'POST', headers: {'Content-Type': 'application/json'}, body: '{}'})).json()).acts);

test('a student walks Acts I-III: predictions before each reveal, then the worked math', async () => {
  const {page, errors} = await openLab(browser.context, '?session=browser-acts');
  const acts = await listActs(page);
  assert.deepEqual(acts.map((a) => a.id), ['act1', 'act2', 'act3']);
  for (const act of acts) {
    await page.click(`#acts .act-tabs button[data-act="${act.id}"]`);
    const panel = page.locator(`#acts .act[data-act="${act.id}"]`);
    await panel.waitFor();
    // Before the answers, the act's levers stay out of the cards (they would give them away).
    assert.notEqual(await page.inputValue('#lever-scenario'), act.scenario_name);
    assert.equal(await panel.locator('.act-scenario').innerText(), act.scenario);
    assert.equal(await panel.locator('.act-crisis').innerText(), act.crisis);
    assert.equal(await panel.locator('.act-task').innerText(), act.task);
    for (const [i, prediction] of act.predictions.entries()) {
      // Asked before the reveal: the question is there, its answer and the reveal are not.
      assert.equal(await panel.locator('.reveal').count(), 0, `${act.id}: no reveal before ${prediction.id}`);
      const item = panel.locator(`li[data-prediction="${prediction.id}"]`);
      assert.match(await item.locator('label').innerText(), new RegExp(prediction.question.slice(0, 20).replace(/[$.?()]/g, '\\$&')));
      assert.equal(await item.locator('.worked-math').count(), 0);
      // The first answer of each act is wrong by 10 x its tolerance (or by 1), the others right.
      const wrong = i === 0;
      const off = prediction.tolerance_kind === 'TOLERANCE_KIND_RELATIVE' ?
        prediction.accepted_answer * (1 + 10 * prediction.tolerance) : prediction.accepted_answer + 1 + 10 * prediction.tolerance;
      await item.locator('input').fill(String(wrong ? off : prediction.accepted_answer));
      await item.locator('input').press('Enter');  // the keyboard submits
      const judged = panel.locator(`li[data-prediction="${prediction.id}"] .judgement`);
      await judged.waitFor();
      assert.equal(await judged.getAttribute('data-correct'), String(!wrong));
      assert.match(await judged.innerText(), wrong ? /✗ Not quite/ : /✓ Right/);
      assert.ok((await judged.locator('.worked-math').innerText()).includes(prediction.worked_math));
    }
    const reveal = panel.locator('.reveal');
    await reveal.waitFor();
    // With the reveal, the act's scenario goes into the levers.
    await page.waitForFunction((n) => document.querySelector('#lever-scenario').value === n, act.scenario_name);
    assert.match(await reveal.locator('h4').first().innerText(),
      new RegExp(`${act.predictions.length - 1} of ${act.predictions.length} predictions right`));
    assert.equal(await reveal.locator('.reveal-steps li').count(), act.reveal.length);
    assert.equal(await reveal.locator('.reflection').innerText(), act.reflection);
    await shot(page, `act-${act.id}`);
  }
  assert.ok(await colourCarriesWords(page) >= 10);
  // Act III's scenario shows the model's per-city check with both ECDFs.
  assert.equal(await page.locator('#drift-check svg.ecdf').count(), 2);
  // Every answer is in the audit trail.
  const answers = acts.reduce((n, a) => n + a.predictions.length, 0);
  await page.waitForFunction((n) => document.querySelectorAll('#audit tr[data-kind="prediction"]').length === n, answers);
  assert.match(await text(page, '#audit'), /act1 fiber_days: .*✗ not quite/);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a good and a bad rationale are graded with the feeding-tax math', async () => {
  const {page, errors} = await openLab(browser.context, '?session=browser-grades');
  const grade = () => page.locator('#rationale-result .grade');
  const submit = async (words) => {
    const before = await page.locator('#rationale-result').innerText();
    await page.fill('#rationale-text', words);
    await page.click('#rationale-form button[type="submit"]');
    await changed(page, () => text(page, '#rationale-result'), before, 'rationale result');
  };
  // Bad: no figures, on the starving cloud disk.
  await submit('Glacier because it is cheapest.');
  assert.equal(await grade().getAttribute('data-accepted'), 'false');
  assert.match(await grade().innerText(), /✗ The tier misses the 10 % target/);
  assert.equal(await page.locator('#rationale-result li.check').count(), 4);
  assert.match(await text(page, '#rationale-result [data-check="supply"]'), /✗ supply: not quoted/);
  assert.match(await text(page, '#rationale-result .worked-math'), /feeding-tax math: .*250 MB\/s/);
  await shot(page, 'rationale-bad');
  // Good: local NVMe with supply, demand and idle share quoted.
  await page.selectOption('#lever-storage_tier', 'local_nvme');
  await page.waitForFunction(() => document.querySelector('[data-card="ingestion_speed"]')?.innerText.includes('16 GB/s'));
  await submit('NVMe: supply 16 GB/s ≥ demand 1.9 GB/s, GPU idle 0 %');
  assert.equal(await grade().getAttribute('data-accepted'), 'true');
  assert.match(await grade().innerText(), /✓ Accepted/);
  assert.match(await text(page, '#rationale-result [data-check="supply"]'), /✓ supply: quoted 16\.0 GB\/s/);
  await page.waitForFunction(() => document.querySelectorAll('#audit tr[data-kind="rationale"]').length === 2);
  assert.match(await text(page, '#audit'), /GPU idle 0 %” — Accepted/);
  assert.ok(await page.locator('#audit tr[data-kind="levers"]').count() >= 2, 'lever changes recorded too');
  await shot(page, 'rationale-good');
  assert.deepEqual(errors, []);
  await page.close();
});

test('a live run reacts to a lever on the next ticks', async () => {
  const {page, errors} = await openLab(browser.context, '?session=browser-live');
  await page.selectOption('#live-interval', '100');
  await page.click('#live-start');
  await page.waitForFunction(() => Number(document.querySelector('#live-now').dataset.tick || -1) >= 3);
  const before = await page.evaluate(() => ({...document.querySelector('#live-now').dataset}));
  assert.ok(Number(before.gpu) < 0.2, `GPU busy ${before.gpu} on the cloud disk`);
  await page.selectOption('#lever-storage_tier', 'local_nvme');
  await page.waitForFunction(() => document.querySelector('#live-now').dataset.storageTier === 'STORAGE_TIER_LOCAL_NVME');
  const after = await page.evaluate(() => ({...document.querySelector('#live-now').dataset}));
  assert.equal(Number(after.gpu), 1);
  assert.ok(Number(after.tick) > Number(before.tick));
  await page.waitForFunction(() => document.querySelector('#live-log [data-code="lever_changed"]'));
  assert.match(await text(page, '#live-log'), /tick \d+: /);
  assert.equal(await page.locator('#live-gpu path.line').count(), 1);
  await shot(page, 'live-run');
  await page.click('#live-stop');
  await page.waitForFunction(() => !document.querySelector('#live-start').disabled);
  assert.deepEqual(errors, []);
  await page.close();
});

test('a camera with a firmware update drifts, and pinning the reference clears it', async () => {
  const {page, errors} = await openLab(browser.context, '?session=browser-camera&scenario=act3');
  // Act III's guided panel and the model's per-city check above the live streams.
  await page.click('#acts .act-tabs button[data-act="act3"]');
  await page.locator('#drift-check svg.ecdf').first().waitFor();
  const verdict = () => page.locator('#camera-verdict').getAttribute('data-state');
  await page.selectOption('#camera-fps', '10');
  await page.click('#camera-start');
  // 60 reference + 30 window frames at 10 fps, then the verdict is "stable".
  await page.waitForFunction(() => document.querySelector('#camera-verdict').dataset.state === 'ok', null, {timeout: 60000});
  await page.check('#firmware-on');
  await page.waitForFunction(() => document.querySelector('#camera-verdict').dataset.state === 'alert', null, {timeout: 30000});
  assert.match(await text(page, '#camera-verdict'), /⚠ DRIFT/);
  await page.waitForFunction(() => [...document.querySelectorAll('#streams tr[data-stream^="cam-"] td.verdict')]
    .some((td) => td.innerText.includes('DRIFT')), null, {timeout: 10000});
  await shot(page, 'camera-drift');
  assert.ok(await colourCarriesWords(page) >= 10);
  await page.click('#camera-pin');
  await page.waitForFunction(() => document.querySelector('#camera-verdict').dataset.state !== 'alert', null, {timeout: 10000});
  assert.notEqual(await verdict(), 'alert');
  await shot(page, 'camera-pinned');
  await page.click('#camera-stop');
  assert.deepEqual(errors, []);
  await page.close();
});
