// Launching Debian's chromium through Playwright for the lab page's tests and
// benchmark: a fresh profile, no network beyond 127.0.0.1, a fake camera playing a
// file made from the sample video, and every console error collected.
import {mkdtempSync, rmSync} from 'node:fs';
import {createRequire} from 'node:module';
import {tmpdir} from 'node:os';
import {join} from 'node:path';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set (run through run_browser_suite.py)`);
  return value;
};

export const gatewayUrl = () => env('DF_GATEWAY_URL');
export const artefacts = () => env('DF_ARTEFACTS');

export async function launch() {
  const require = createRequire(join(env('DF_NODE_MODULES'), 'package.json'));
  const {chromium} = require('playwright-core');
  const profile = mkdtempSync(join(tmpdir(), 'df-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: env('DF_CHROMIUM'),
    headless: true,
    viewport: {width: 1280, height: 900},
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream',
      `--use-file-for-fake-video-capture=${env('DF_FAKE_CAMERA')}`],
  });
  await context.grantPermissions(['camera'], {origin: gatewayUrl()});
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, {recursive: true, force: true});
    },
  };
}

// A new page on the lab with its console errors and page errors collected.
export async function openLab(context, query = '') {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(`${gatewayUrl()}/${query}`);
  await page.locator('#ledger li').first().waitFor();
  return {page, errors};
}
