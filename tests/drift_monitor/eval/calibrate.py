#!/usr/bin/python3
"""Sets the white-balance effect floor from the expected run length between false
alarms, measured on the tuning part of the corpus.

  calibrate.py TUNING.json [--target-run 100000] [--raise-after 5] [--block 250]
               [--d-crit 0.275] [--step 0.0025]

TUNING.json is what `eval_drift.py --part tuning --json` wrote: for every frame
before a change (all frames of the unaltered streams) whether the detector judged it,
whether it was a normal frame, the larger effect size of the two decisive gains and
their larger K-S statistic D.

A false alarm needs `raise-after` consecutive normal frames whose effect reaches the
floor while K-S rejects (D >= d-crit: 0.275 for the default 200 / 50 windows at
alpha 0.01 / 2). So per stream the *sustained effect* s_t is the smallest effect over
the last raise-after normal frames (0 when K-S did not reject on one of them), and
an alarm happens at floor f when s_t >= f. Consecutive frames are strongly
correlated, so the estimate works on block maxima: the largest s_t in each block of
`block` judged frames, pooled over the tuning streams. Their upper tail (the top
30 %) is fitted with an exponential, the peaks-over-threshold model:
  P(block max >= f) = p_u exp(-(f - u) / sigma)       for f >= u
(u: the 70th percentile of the block maxima, p_u = 0.3, sigma: the mean excess over
u, its maximum-likelihood estimate). The expected run length between false alarms is
  ARL(f) = block / P(block max >= f)       frames,
and the floor reaching the target run length is f* = u + sigma ln(p_u target / block).
The floor to use is f* rounded up to the next `step`. The table printed also gives
the alarms counted directly at each floor, so the fit can be compared with the data
where alarms were seen.
"""
import argparse
import json
import math
import sys


def sustained(frames, raise_after, d_crit):
    """Per judged frame, the smallest effect over the last raise_after normal frames
    (0 where K-S did not reject)."""
    out, run = [], []
    for judged, normal, effect, d in frames:
        if not normal:
            continue  # the detector's hysteresis sees only normal frames
        run.append(effect if d >= d_crit else 0.0)
        run = run[-raise_after:]
        if judged:
            out.append(min(run) if len(run) == raise_after else 0.0)
    return out


def alarms_at(series, floor, clear_after=25):
    """Alarms counted directly (raised at s >= floor, cleared after clear_after below)."""
    alarms, up, below = 0, False, 0
    for s in series:
        if not up and s >= floor:
            alarms, up, below = alarms + 1, True, 0
        elif up:
            below = below + 1 if s < floor else 0
            if below >= clear_after:
                up = False
    return alarms


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("json")
    parser.add_argument("--target-run", type=float, default=1e5)
    parser.add_argument("--raise-after", type=int, default=5)
    parser.add_argument("--block", type=int, default=250)
    parser.add_argument("--d-crit", type=float, default=0.275)
    parser.add_argument("--step", type=float, default=0.0025)
    args = parser.parse_args(argv)
    with open(args.json) as f:
        data = json.load(f)
    streams = [r for r in data["records"] if r["part"] == "tuning"]
    if not streams:
        print("calibrate: no tuning streams in the file", file=sys.stderr)
        return 1
    series = [sustained(r["frames"], args.raise_after, args.d_crit) for r in streams]
    judged = sum(len(s) for s in series)
    maxima = []
    for s in series:
        for i in range(0, len(s) - args.block + 1, args.block):
            maxima.append(max(s[i:i + args.block]))
    maxima.sort()
    if len(maxima) < 20:
        print(f"calibrate: {len(maxima)} blocks of {args.block} frames; need >= 20",
              file=sys.stderr)
        return 1
    p_u = 0.3
    u = maxima[int(len(maxima) * (1 - p_u))]
    excess = [m - u for m in maxima if m > u]
    sigma = sum(excess) / len(excess) if excess else 1e-6
    sigma = max(sigma, 1e-6)

    def arl(floor):
        p = p_u * math.exp(-(floor - u) / sigma) if floor >= u else None
        return args.block / p if p else None

    f_star = u + sigma * math.log(p_u * args.target_run / args.block)
    chosen = math.ceil(f_star / args.step - 1e-9) * args.step
    print(f"tuning part: {len(streams)} streams, {judged} judged frames, {len(maxima)} blocks "
          f"of {args.block}; raise_after {args.raise_after}, D_crit {args.d_crit}")
    print(f"block maxima of the sustained effect: median {100 * maxima[len(maxima) // 2]:.3f} %, "
          f"largest {100 * maxima[-1]:.3f} %; tail fit u = {100 * u:.3f} %, "
          f"sigma = {100 * sigma:.3f} %")
    print(f"\n{'floor':>7} {'alarms seen':>12} {'run length seen':>16} {'run length (fit)':>17}")
    floors = sorted({0.0025, 0.005, 0.0075, 0.01, 0.0125, 0.015, 0.0175, 0.02, 0.025,
                     0.03, chosen})
    for floor in floors:
        seen = sum(alarms_at(s, floor) for s in series)
        fit = arl(floor)
        print(f"{100 * floor:6.2f}% {seen:12d} "
              f"{(f'{judged / seen:.0f}' if seen else f'> {judged}'):>16} "
              f"{(f'{fit:.3g}' if fit else '-'):>17}")
    print(f"\nfloor for an expected run of {args.target_run:.0f} frames between false alarms: "
          f"{100 * f_star:.3f} %; rounded up: min_effect = {chosen:.4f} "
          f"(expected run length {arl(chosen):.3g} frames)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
