// The page's figures (not a test): the time from a lever change to the frame that
// shows the updated cards, and from a camera frame's capture to the frame that shows
// its verdict, read from the page's own User Timing measures ("df:lever-to-cards",
// "df:frame-to-verdict"), with the bare Evaluate fetch from the same page as a
// same-run baseline. Prints one JSON object on stdout. Run by run_browser_suite.py
// --benchmark (see docs/api.md, "The lab gateway", for the command).
import {launch, openLab} from './browser.mjs';

const LEVER_CHANGES = 40;
const CAMERA_SECONDS = 15;

const browser = await launch();
const figures = {};
try {
  const {page} = await openLab(browser.context, '?session=bench-page');
  // Baseline: Evaluate through the gateway, from the page, without rendering.
  figures.page_fetch_evaluate_ms = await page.evaluate(async (n) => {
    const times = [];
    for (let i = 0; i < n; i += 1) {
      const t0 = performance.now();
      const r = await fetch('/api/factory/v1/Evaluate', {method: 'POST', headers: {'Content-Type': 'application/json'},
        body: JSON.stringify({selection: {scenario: 'act2', set: [`storage_tier=${i % 2 ? 'nvme' : 'ebs'}`]}})});
      await r.json();
      times.push(performance.now() - t0);
    }
    return times;
  }, LEVER_CHANGES);

  await page.evaluate(() => performance.clearMeasures());
  for (let i = 0; i < LEVER_CHANGES; i += 1) {
    const tier = i % 2 ? 'cloud_disk' : 'local_nvme';
    const want = tier === 'local_nvme' ? '16 GB/s' : '250 MB/s';
    await page.selectOption('#lever-storage_tier', tier);
    await page.waitForFunction((w) => document.querySelector('[data-card="ingestion_speed"]').innerText.includes(w), want);
    await page.waitForFunction((n) => performance.getEntriesByName('df:lever-to-cards').length >= n, i + 1);
  }
  figures.lever_to_cards_ms = await page.evaluate(() =>
    performance.getEntriesByName('df:lever-to-cards').map((m) => m.duration));

  await page.selectOption('#camera-fps', '10');
  await page.click('#camera-start');
  await page.waitForTimeout(CAMERA_SECONDS * 1000);
  figures.frame_to_verdict_ms = await page.evaluate(() =>
    performance.getEntriesByName('df:frame-to-verdict').map((m) => m.duration));
  await page.click('#camera-stop');
  await page.close();
} finally {
  await browser.close();
}
process.stdout.write(`${JSON.stringify(figures)}\n`);
