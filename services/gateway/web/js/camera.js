// "Use my camera": frames from getUserMedia, drawn into a canvas, optionally given a
// simulated firmware white-balance update (per-channel gains in linear light,
// srgb.js), JPEG-encoded and sent through the gateway into one drift-monitor
// Ingest call; each frame's DriftReport comes back on the call's event stream.
// One frame is in flight at a time; the time from capture to its verdict on screen
// is recorded as the User Timing measure "df:frame-to-verdict".
import {call, openStream} from './api.js';
import {gainTables, applyGainTables} from './srgb.js';
import {causeText, gainText, verdictOf} from './drift.js';
import {publish} from './views.js';

const JPEG_QUALITY = 0.85;

export function initCamera({sessionId, onStreamsChanged}) {
  const $ = (id) => document.getElementById(id);
  const video = $('camera-video');
  const canvas = $('camera-canvas');
  const context = canvas.getContext('2d', {willReadFrequently: true});
  const verdict = $('camera-verdict');
  const detail = $('camera-detail');
  const streamId = `cam-${sessionId}`.slice(0, 64);
  let media = null;
  let ingest = null;
  let timer = null;
  let sequence = 0;
  let inFlight = false;
  const capturedAt = new Map();

  const gains = () => ['gain-r', 'gain-g', 'gain-b'].map((id) => {
    const g = Number($(id).value);
    return Number.isFinite(g) && g > 0 ? g : 1;
  });
  let tables = null;
  const firmwareChanged = () => { tables = $('firmware-on').checked ? gainTables(gains()) : null; };
  for (const id of ['firmware-on', 'gain-r', 'gain-g', 'gain-b']) $(id).addEventListener('change', firmwareChanged);

  const onReport = (report) => {
    const v = verdictOf(report);
    verdict.textContent = `${streamId}: ${v.text} (frame ${report.sequence}, ${report.frames_seen} seen)`;
    verdict.className = `verdict ${v.cls}`;
    verdict.dataset.state = v.cls;
    verdict.dataset.sequence = report.sequence;
    const f = (name) => (report.features || []).find((x) => x.name === name);
    detail.textContent = report.error ? report.error.message
      : `G/R ${gainText(f('gain_g_over_r'))}; G/B ${gainText(f('gain_g_over_b'))}` +
        (report.cause !== undefined ? `; cause: ${causeText(report.cause)}` : '');
    publish('drift-report', report);
    const start = capturedAt.get(String(report.sequence));
    capturedAt.delete(String(report.sequence));
    if (start !== undefined) {
      requestAnimationFrame(() => performance.measure('df:frame-to-verdict', {start, end: performance.now()}));
    }
    inFlight = false;
  };

  const sendFrame = () => {
    if (inFlight || !ingest || !ingest.id || video.readyState < 2) return;
    inFlight = true;
    const started = performance.now();
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    if (tables) {
      const image = context.getImageData(0, 0, canvas.width, canvas.height);
      applyGainTables(image.data, tables);
      context.putImageData(image, 0, 0);
    }
    const seq = sequence++;
    canvas.toBlob((blob) => {
      if (!ingest || !blob) {  // stopped meanwhile
        inFlight = false;
        return;
      }
      capturedAt.set(String(seq), started);
      ingest.send(blob, {stream_id: streamId, sequence: seq, 'labels.city': $('camera-city').value || 'browser',
        'labels.source': 'browser'}, 'image/jpeg').catch((error) => {
        inFlight = false;
        capturedAt.delete(String(seq));
        publish('error', {where: 'camera frame', error});
      });
    }, 'image/jpeg', JPEG_QUALITY);
  };

  const stop = () => {
    clearInterval(timer);
    timer = null;
    if (ingest) ingest.close();
    ingest = null;
    if (media) for (const track of media.getTracks()) track.stop();
    media = null;
    $('camera-start').disabled = false;
    $('camera-stop').disabled = true;
    inFlight = false;
  };

  $('camera-start').addEventListener('click', async () => {
    $('camera-start').disabled = true;
    try {
      media = await navigator.mediaDevices.getUserMedia({video: {width: {ideal: 320}, height: {ideal: 240}}, audio: false});
    } catch (error) {
      $('camera-start').disabled = false;
      verdict.textContent = `No camera: ${error.message}`;
      return;
    }
    video.srcObject = media;
    await video.play();
    firmwareChanged();
    ingest = openStream('drift/v1/Ingest', null, {
      onMessage: onReport,
      onEnd: (end) => {
        if (end.status !== 'CANCELLED') verdict.textContent = `The camera stream ended: ${end.message}`;
        stop();
      },
    });
    await ingest.ready.catch(() => {});
    $('camera-stop').disabled = false;
    $('camera-pin').disabled = false;
    verdict.textContent = `${streamId}: sending frames…`;
    timer = setInterval(sendFrame, 1000 / Number($('camera-fps').value));
    onStreamsChanged();
  });
  $('camera-stop').addEventListener('click', stop);
  $('camera-fps').addEventListener('change', () => {
    if (!timer) return;
    clearInterval(timer);
    timer = setInterval(sendFrame, 1000 / Number($('camera-fps').value));
  });
  $('camera-pin').addEventListener('click', async () => {
    try {
      await call('drift/v1/PinReference', {stream_id: streamId});
      detail.textContent = 'Reference pinned: the current window is the new normal.';
      onStreamsChanged();
    } catch (error) {
      detail.textContent = `Not pinned: ${error.message}`;
    }
  });
}
