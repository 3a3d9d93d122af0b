// Zone 3: a live training run (LiveRun through the gateway's event stream). Lever
// changes made while it runs go into the same call and show on the next tick.
import {openStream} from './api.js';
import {dollars, percent, rate, words, enumValue} from './format.js';
import {lineChart} from './svg.js';
import {publish} from './views.js';

const MAX_POINTS = 600;

export function initLiveRun({startRequest}) {
  const start = document.getElementById('live-start');
  const stop = document.getElementById('live-stop');
  const now = document.getElementById('live-now');
  const readout = document.getElementById('live-readout');
  const gpuBox = document.getElementById('live-gpu');
  const ioBox = document.getElementById('live-io');
  let stream = null;
  let ticks = [];

  const draw = () => {
    const gpu = ticks.map((t) => [Number(t.tick), t.gpu_utilization]);
    const io = ticks.map((t) => [Number(t.tick), t.io_throughput_bytes_per_s]);
    const net = ticks.map((t) => [Number(t.tick), t.network_throughput_bytes_per_s]);
    lineChart(gpuBox, [{label: 'GPU utilisation', cls: 'gpu', points: gpu, format: (v) => percent(v)}],
      {yMax: 1, yFormat: (v) => percent(v), xLabel: 'tick', readout,
        description: 'GPU utilisation per tick of the live run'});
    lineChart(ioBox, [
      {label: 'IO throughput', cls: 'disk', points: io, format: rate},
      {label: 'Network', cls: 'net', points: net, format: rate}],
    {yFormat: rate, xLabel: 'tick', readout, description: 'IO and network throughput per tick'});
  };

  const onTick = (tick) => {
    ticks.push(tick);
    if (ticks.length > MAX_POINTS) ticks = ticks.slice(-MAX_POINTS);
    const tier = words(enumValue(tick.levers.storage_tier, 'STORAGE_TIER_'));
    now.textContent = `Tick ${tick.tick}, epoch ${tick.epoch} (${percent(tick.epoch_progress)}): ` +
      `GPU ${percent(tick.gpu_utilization)}, IO ${rate(tick.io_throughput_bytes_per_s)}, ` +
      `spent ${dollars(tick.dollars_spent)}; reading from ${tier}` +
      (tick.run_complete ? '. Run complete.' : '');
    now.dataset.tick = tick.tick;
    now.dataset.gpu = tick.gpu_utilization;
    now.dataset.storageTier = tick.levers.storage_tier;
    publish('tick', tick);
    draw();
  };

  const running = (on) => {
    start.disabled = on;
    stop.disabled = !on;
  };

  start.addEventListener('click', () => {
    ticks = [];
    running(true);
    now.textContent = 'Starting…';
    stream = openStream('factory/v1/LiveRun', {start: startRequest(
      Number(document.getElementById('live-interval').value),
      Number(document.getElementById('live-epochs').value))}, {
      onMessage: onTick,
      onEnd: (end) => {
        running(false);
        stream = null;
        if (end.code !== 0 && end.status !== 'CANCELLED') {
          now.textContent = `The run ended: ${end.message}`;
          publish('error', {where: 'live run', error: end});
        }
        publish('run', {state: 'ended', end});
      },
    });
    stream.ready.then(() => publish('run', {state: 'running'}));
  });
  stop.addEventListener('click', () => {
    if (stream) stream.close();
  });

  // A lever moved: the running call gets the change, applied on its next tick.
  return {
    change(name, setting) {
      if (!stream || stream.ended || !stream.id) return;
      stream.send({change: {set: [`${name}=${setting}`]}}).catch((error) =>
        publish('error', {where: 'live run change', error}));
    },
  };
}
