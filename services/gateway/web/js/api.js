// The gateway's JSON/HTTP API as the page uses it (services/gateway/http_api.h).
// Unary calls: call('factory/v1/Evaluate', request) resolves to the response
// message (proto field names) or rejects with an ApiError carrying the gRPC status
// name and the backend's message. Streaming calls: openStream() reads Server-Sent
// Events and gives a handle that sends further requests into the same call.

export class ApiError extends Error {
  constructor(httpStatus, body) {
    super(body && body.message ? body.message : `HTTP ${httpStatus}`);
    this.httpStatus = httpStatus;
    this.status = body && body.status ? body.status : 'UNKNOWN';
  }
}

async function readReply(response) {
  let body = null;
  try {
    body = await response.json();
  } catch (e) {
    body = null;
  }
  if (!response.ok) throw new ApiError(response.status, body);
  return body;
}

export async function call(method, request = {}) {
  const response = await fetch(`/api/${method}`, {
    method: 'POST',
    headers: {'Content-Type': 'application/json'},
    body: JSON.stringify(request),
  });
  return readReply(response);
}

// Opens a streaming call. `first` is its first request (or null); handlers:
// onMessage(message), onEnd({code, status, message}), onError(text).
// Returns {ready: Promise<handle>, ...} where handle.send(body, query, type) POSTs
// one more request into the call and handle.close() cancels it.
export function openStream(method, first, handlers) {
  const query = first ? `?message=${encodeURIComponent(JSON.stringify(first))}` : '';
  const source = new EventSource(`/api/${method}${query}`);
  let callId = null;
  let ended = false;
  let resolveReady;
  let rejectReady;
  const ready = new Promise((resolve, reject) => {
    resolveReady = resolve;
    rejectReady = reject;
  });
  const finish = (end) => {
    if (ended) return;
    ended = true;
    source.close();
    rejectReady(new Error(end.message || 'the stream ended'));
    if (handlers.onEnd) handlers.onEnd(end);
  };
  const handle = {
    get id() { return callId; },
    get ended() { return ended; },
    async send(body, params = {}, type = 'application/json') {
      if (ended || !callId) throw new ApiError(400, {status: 'FAILED_PRECONDITION', message: 'the stream is not open'});
      const search = new URLSearchParams(params).toString();
      const response = await fetch(`/api/${method}/${callId}${search ? `?${search}` : ''}`, {
        method: 'POST',
        headers: {'Content-Type': type},
        body: type === 'application/json' ? JSON.stringify(body) : body,
      });
      return readReply(response);
    },
    close() {
      if (ended) return;
      const id = callId;
      finish({code: 1, status: 'CANCELLED', message: 'closed by the page'});
      if (id) fetch(`/api/${method}/${id}`, {method: 'DELETE'}).catch(() => {});
    },
  };
  source.addEventListener('open', (event) => {
    if (!event.data) return;  // the EventSource's own "open" has no data
    callId = JSON.parse(event.data).call;
    resolveReady(handle);
  });
  source.addEventListener('message', (event) => {
    if (handlers.onMessage) handlers.onMessage(JSON.parse(event.data));
  });
  source.addEventListener('end', (event) => finish(JSON.parse(event.data)));
  source.onerror = () => {
    // Refused at open (an HTTP error) or the connection broke: either way, over.
    finish({code: 14, status: 'UNAVAILABLE', message: 'the stream could not be opened or was cut'});
  };
  handle.ready = ready;
  ready.catch(() => {});
  return handle;
}
