// A simulated firmware white-balance change in linear light: each 8-bit sRGB value
// is decoded to linear light (IEC 61966-2-1), multiplied by its channel's gain,
// clamped and encoded back to sRGB. Scaling the 8-bit values directly (as
// camera-feeder's --wb_gains does) would change the tone curve as well as the
// white balance.

export function srgbToLinear(v8) {
  const c = v8 / 255;
  return c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
}

export function linearToSrgb(linear) {
  const l = Math.min(1, Math.max(0, linear));
  const c = l <= 0.0031308 ? 12.92 * l : 1.055 * l ** (1 / 2.4) - 0.055;
  return Math.round(255 * c);
}

// Three 256-entry tables, one per channel: the 8-bit value after the gain.
export function gainTables(gains) {
  return gains.map((gain) => {
    const table = new Uint8ClampedArray(256);
    for (let v = 0; v < 256; v += 1) table[v] = linearToSrgb(srgbToLinear(v) * gain);
    return table;
  });
}

// Applies the tables to RGBA pixels (ImageData.data) in place.
export function applyGainTables(rgba, tables) {
  const [r, g, b] = tables;
  for (let i = 0; i < rgba.length; i += 4) {
    rgba[i] = r[rgba[i]];
    rgba[i + 1] = g[rgba[i + 1]];
    rgba[i + 2] = b[rgba[i + 2]];
  }
}
