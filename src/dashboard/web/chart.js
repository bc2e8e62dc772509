// The deliveries-and-failures chart of a webhook page: an SVG bar chart over time buckets.
// Deliveries are counted by creation time; failures are attempts that did not get a 2xx.
const kNs = 'http://www.w3.org/2000/svg';
const kBuckets = 12;

function svg(tag, attrs = {}, text) {
  const el = document.createElementNS(kNs, tag);
  for (const [key, value] of Object.entries(attrs)) el.setAttribute(key, String(value));
  if (text !== undefined) el.textContent = text;
  return el;
}

// {start, step, deliveries[], failures[]} over the span of the given deliveries. Their times
// are platform time, which runs ahead of the browser's clock under --time-scale (the demo): the
// chart ends at the newest event when that is later than `now`.
export function bucketize(deliveries, now = Date.now()) {
  const times = deliveries.map((d) => Date.parse(d.createdAt)).filter((t) => !Number.isNaN(t));
  const attemptTimes = deliveries.flatMap((d) => (d.attempts || []).map((a) => Date.parse(a.at)))
    .filter((t) => !Number.isNaN(t));
  const end = Math.max(now, ...times, ...attemptTimes);
  const earliest = times.length ? Math.min(...times) : end - 3600e3;
  const span = Math.max(end - earliest, 60e3);
  const step = Math.ceil(span / kBuckets);
  const start = end - step * kBuckets;
  const index = (t) => Math.min(kBuckets - 1, Math.max(0, Math.floor((t - start) / step)));
  const counts = { deliveries: new Array(kBuckets).fill(0), failures: new Array(kBuckets).fill(0) };
  for (const d of deliveries) {
    const created = Date.parse(d.createdAt);
    if (!Number.isNaN(created)) counts.deliveries[index(created)] += 1;
    for (const a of d.attempts || []) {
      const ok = a.statusCode >= 200 && a.statusCode < 300;
      const at = Date.parse(a.at);
      if (!ok && !Number.isNaN(at)) counts.failures[index(at)] += 1;
    }
  }
  return { start, step, ...counts };
}

export function deliveryChart(deliveries) {
  const { start, step, deliveries: ok, failures } = bucketize(deliveries);
  const width = 600, height = 200, left = 30, bottom = 20, top = 10;
  const max = Math.max(1, ...ok, ...failures);
  const slot = (width - left) / kBuckets;
  const bar = (slot - 4) / 2;
  const total = ok.reduce((a, b) => a + b, 0);
  const failed = failures.reduce((a, b) => a + b, 0);
  const label = `Deliveries and failed attempts over time: ${total} deliveries, ${failed} failed attempts`;
  const root = svg('svg', { viewBox: `0 0 ${width} ${height}`, class: 'chart', role: 'img',
    'aria-label': label });
  root.append(svg('title', {}, label));
  const y = (n) => top + (height - top - bottom) * (1 - n / max);
  root.append(svg('text', { x: 0, y: top + 8 }, String(max)), svg('text', { x: 0, y: y(0) }, '0'));
  root.append(svg('line', { x1: left, x2: width, y1: y(0), y2: y(0), stroke: '#ccc' }));
  for (let i = 0; i < kBuckets; i += 1) {
    const x = left + i * slot + 2;
    root.append(svg('rect', { class: 'ok', x, y: y(ok[i]), width: bar, height: y(0) - y(ok[i]) }));
    root.append(svg('rect', { class: 'bad', x: x + bar, y: y(failures[i]), width: bar,
      height: y(0) - y(failures[i]) }));
    if (i % 3 === 0) {
      const at = new Date(start + i * step);
      root.append(svg('text', { x, y: height - 4 },
        at.toLocaleTimeString([], step * kBuckets < 3600e3
          ? { hour: '2-digit', minute: '2-digit', second: '2-digit' }
          : { hour: '2-digit', minute: '2-digit' })));
    }
  }
  return root;
}
