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
  assert.match(await text(page, '#waterfall'), /Disk IO: 9.3 min/);
  await page.locator('#waterfall rect[data-part="disk"]').first().hover();
  assert.match(await text(page, '#waterfall-readout'), /Disk IO: 9.3 min/);
  await shot(page, 'lab-page');
  assert.deepEqual(errors, []);
  await page.close();
});

test('each Zone 2 lever changes the cards and badges it drives', async () => {
  const {page, errors} = await openLab(browser.context, '?session=browser-levers');
  // Storage tier (Act II): local NVMe feeds the GPUs.
  await page.selectOption('#lever-storage_tier', 'local_nvme');
  await page.waitForFunction(() => document.querySelector('[data-card="ingestion_speed"]')?.innerText.includes('16 GB/s'));
  assert.equal(await badgeState(page, 'gpu_hunger_under_10pct'), 'ok');
  assert.match(await text(page, '[data-badge="gpu_hunger_under_10pct"]'), /✓ OK/);
  assert.match(await card(page, 'pipeline_health'), /100 %/);

  // GPUs (behind "More levers", Act II on the cloud disk): one GPU demands less.
  await page.selectOption('#lever-storage_tier', 'cloud_disk');
  await page.waitForFunction(() => document.querySelector('[data-card="ingestion_speed"]')?.innerText.includes('250 MB/s'));
  const health = await card(page, 'pipeline_health');
  await page.click('details.more summary');
  await page.fill('#lever-gpu_count', '1');
  await page.press('#lever-gpu_count', 'Enter');
  const percentOf = (t) => Number(/(\d+) %/.exec(t)[1]);
  const fewer = await changed(page, () => card(page, 'pipeline_health'), health, 'pipeline health');
  assert.ok(percentOf(fewer) > percentOf(health), `${health} -> ${fewer}`);

  // Transfer method (Act I): shipped devices are cheaper than the fiber's egress.
  await scenario(page, 'act1');
  const egress = await card(page, 'egress_cost');
  assert.match(egress, /\$90,000/);
  await page.check('input[name="lever-transfer_method"][value="shipped_device"]');
  assert.match(await changed(page, () => card(page, 'egress_cost'), egress, 'egress cost'), /Snowball/);

  // Dedup (Act I): fewer bytes stored, more of them unique.
  const entropy = await card(page, 'data_entropy');
  await page.fill('#lever-dedup_fraction', '30');
  assert.match(await changed(page, () => card(page, 'data_entropy'), entropy, 'data entropy'), /dedup 30 %/);

  // K-S alpha (Act III): the drift badge raises an alert, its level follows alpha.
  await scenario(page, 'act3');
  assert.equal(await badgeState(page, 'no_drift'), 'alert');
  assert.match(await text(page, '[data-badge="no_drift"]'), /⚠ DRIFT/);
  const drift = await text(page, '[data-badge="no_drift"]');
  await page.fill('#lever-drift_alpha', '-3');
  const after = await changed(page, () => text(page, '[data-badge="no_drift"]'), drift, 'drift badge');
  assert.match(after, /alpha 8\.33e-5/);
  await shot(page, 'levers-act3');
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

test('a rationale is recorded with its figures and shows in the audit trail', async () => {
  const {page, errors} = await openLab(browser.context, '?session=browser-rationale');
  await page.selectOption('#lever-storage_tier', 'local_nvme');
  await page.waitForFunction(() => document.querySelector('[data-card="ingestion_speed"]')?.innerText.includes('16 GB/s'));
  const words = 'NVMe supplies 16 GB/s against a demand of 1.83 GB/s: the feeding tax is zero.';
  await page.fill('#rationale-text', words);
  await page.click('#rationale-form button[type="submit"]');
  await page.waitForFunction(() => document.querySelector('#rationale-result').innerText.includes('Recorded as entry'));
  assert.match(await text(page, '#rationale-result'), /demand 1\.83 GB\/s, supply 16\.0 GB\/s/);
  await page.waitForFunction((w) => [...document.querySelectorAll('#audit tr[data-kind="rationale"]')]
    .some((r) => r.innerText.includes(w)), words);
  assert.ok(await page.locator('#audit tr[data-kind="levers"]').count() >= 2, 'lever changes recorded too');
  await shot(page, 'rationale-audit');
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
  const {page, errors} = await openLab(browser.context, '?session=browser-camera');
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
  await page.click('#camera-pin');
  await page.waitForFunction(() => document.querySelector('#camera-verdict').dataset.state !== 'alert', null, {timeout: 10000});
  assert.notEqual(await verdict(), 'alert');
  await shot(page, 'camera-pinned');
  await page.click('#camera-stop');
  assert.deepEqual(errors, []);
  await page.close();
});
