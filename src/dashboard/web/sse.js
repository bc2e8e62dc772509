// Live updates: GET /api/events read with fetch() streaming (EventSource cannot send the
// Authorization header), parsed as server-sent-event frames, reconnecting with a backoff.
export function parseFrames(buffer, onEvent) {
  const frames = buffer.split(/\r?\n\r?\n/);
  const rest = frames.pop();
  for (const frame of frames) {
    let type = 'message';
    const data = [];
    for (const line of frame.split(/\r?\n/)) {
      if (line.startsWith(':')) continue;  // keep-alive comment
      const colon = line.indexOf(':');
      const field = colon < 0 ? line : line.slice(0, colon);
      const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
      if (field === 'event') type = value;
      else if (field === 'data') data.push(value);
    }
    if (data.length === 0) continue;
    let payload = data.join('\n');
    try { payload = JSON.parse(payload); } catch { /* leave as text */ }
    onEvent(type, payload);
  }
  return rest;
}

// Streams events to onEvent(type, data) until stop() is called; onState(bool) tells whether
// the stream is connected.
export function openEvents(token, onEvent, onState) {
  const controller = new AbortController();
  let delay = 1000;
  const run = async () => {
    while (!controller.signal.aborted) {
      try {
        const response = await fetch('/api/events', {
          headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' },
          signal: controller.signal,
        });
        if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
        onState(true);
        delay = 1000;
        const reader = response.body.getReader();
        const decoder = new TextDecoder();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer = parseFrames(buffer + decoder.decode(value, { stream: true }), onEvent);
        }
      } catch { /* reconnect below */ }
      onState(false);
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay = Math.min(delay * 2, 30000);
    }
  };
  run();
  return { stop: () => controller.abort() };
}
