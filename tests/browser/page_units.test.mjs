// The page's pure helpers, without a browser: the firmware gain in linear light and
// the number formats the cards and charts use.
import assert from 'node:assert/strict';
import {test} from 'node:test';
import {applyGainTables, gainTables, linearToSrgb, srgbToLinear} from '../../services/gateway/web/js/srgb.js';
import {decimal, enumValue, seconds} from '../../services/gateway/web/js/format.js';
import {causeText, verdictOf} from '../../services/gateway/web/js/drift.js';
import {stepPath} from '../../services/gateway/web/js/drift_check.js';

test('sRGB decoding and encoding are inverse on every 8-bit value', () => {
  for (let v = 0; v < 256; v += 1) assert.equal(linearToSrgb(srgbToLinear(v)), v);
  assert.equal(srgbToLinear(0), 0);
  assert.equal(srgbToLinear(255), 1);
  assert.ok(Math.abs(srgbToLinear(188) - 0.5) < 0.003, 'sRGB 188 is about half the light');
});

test('a gain multiplies linear light, not the 8-bit value, and clamps', () => {
  const [r, g, b] = gainTables([2, 1, 0.5]);
  assert.equal(g[123], 123);
  // Doubling the light of sRGB 100 (12.7 % linear) gives sRGB 138, not 200.
  assert.equal(r[100], linearToSrgb(2 * srgbToLinear(100)));
  assert.equal(r[100], 138);
  assert.equal(r[250], 255);
  assert.equal(b[188], linearToSrgb(0.5 * srgbToLinear(188)));
  const pixels = new Uint8ClampedArray([100, 123, 188, 255]);
  applyGainTables(pixels, [r, g, b]);
  assert.deepEqual([...pixels], [138, 123, b[188], 255]);
});

test('formats in decimal units', () => {
  assert.equal(decimal(250e6, 'B/s'), '250 MB/s');
  assert.equal(decimal(1.83e9, 'B/s'), '1.83 GB/s');
  assert.equal(seconds(560), '9.3 min');
  assert.equal(seconds(30), '30 s');
  assert.equal(enumValue('STORAGE_TIER_LOCAL_NVME', 'STORAGE_TIER_'), 'local_nvme');
});

test('drift verdicts and causes in words', () => {
  const gain = (ks, p, rejected = false) => ({name: 'gain_g_over_b', value: 1.5, ks_statistic: ks, ks_pvalue: p, effect_size: 0.1, rejected});
  assert.equal(verdictOf({drift: false, features: [gain(0, 1)]}).text, '… collecting reference');
  assert.equal(verdictOf({drift: false, features: [gain(0.2, 0.4)]}).text, '✓ stable');
  assert.equal(verdictOf({drift: true, features: [gain(0.9, 1e-9, true)]}).text, '⚠ DRIFT');
  assert.match(verdictOf({error: {reason: 'corrupt_image'}}).text, /rejected: corrupt_image/);
  assert.equal(causeText('DRIFT_CAUSE_WHITE_BALANCE'), 'white balance');
  assert.equal(causeText('CAUSE_NIGHT_MODE'), 'night mode');
  assert.equal(causeText('DRIFT_CAUSE_UNSPECIFIED'), '—');
  assert.equal(causeText(undefined), '—');
});

test('an ECDF is drawn as steps of 1/n at each sorted value', () => {
  // x in tens of pixels, the CDF in hundredths: 0 left of the first value, up 1/4 at each
  // of 1, 2, 2, 4, then flat to the right edge.
  assert.equal(stepPath([1, 2, 2, 4], (x) => 10 * x, (y) => 100 * y, 0, 5),
    'M0.0,0.0H10.0V25.0H20.0V50.0H20.0V75.0H40.0V100.0H50.0');
});
