// Cursor paging of the management API's lists ({<items>, paging: {cursor}}, the cursor null on
// the last page): a PagedList holds the pages loaded so far, and pagedTable() shows them with a
// "Load more" button under the table. Live updates call refresh(), which reloads from the first
// page down to the oldest item shown, so new items appear at the top and the older pages the
// user loaded stay. The page size is `?pageSize=N` in the dashboard's URL (1..100; default 50),
// e.g. /dashboard?pageSize=5#/webhooks/<id>.
import { describe, h, table } from './dom.js';

const kDefaultPageSize = 50;
const kMaxPageSize = 100;  // the API's maximum `limit`
const kMaxRefreshPages = 20;  // a refresh reloads at most this many pages

export function pageSize() {
  const asked = Number.parseInt(new URLSearchParams(location.search).get('pageSize'), 10);
  if (!Number.isFinite(asked)) return kDefaultPageSize;
  return Math.min(kMaxPageSize, Math.max(1, asked));
}

// fetchPage(cursor) resolves to {items, cursor} (cursor null: the first page); key(item) is
// the item's identity; reaches(item, oldest) tells whether `item` is at or past `oldest` in the
// list's order. Operations run one at a time, in call order.
export class PagedList {
  constructor(fetchPage, { key, reaches }) {
    this.fetchPage = fetchPage;
    this.key = key;
    this.reaches = reaches;
    this.items = [];
    this.cursor = null;  // of the next page; null when the last page is loaded
    this.pages = 0;
    this.queue = Promise.resolve();
  }

  get hasMore() { return this.cursor !== null; }

  serial(operation) {
    const run = this.queue.then(operation);
    this.queue = run.catch(() => {});
    return run;
  }

  // Appends the next page (items already shown are skipped).
  more() {
    return this.serial(async () => {
      if (!this.hasMore) return;
      const page = await this.fetchPage(this.cursor);
      const seen = new Set(this.items.map(this.key));
      this.items.push(...page.items.filter((item) => !seen.has(this.key(item))));
      this.cursor = page.cursor;
      this.pages += 1;
    });
  }

  // Reloads the first page, and the following ones until the oldest item shown before is
  // reached again (bounded), replacing the items: fresh statuses, new items first.
  refresh() {
    return this.serial(async () => {
      const oldest = this.pages > 1 ? this.items.at(-1) : undefined;
      const items = [];
      const seen = new Set();
      let cursor = null;
      let pages = 0;
      do {
        const page = await this.fetchPage(cursor);
        for (const item of page.items) {
          if (!seen.has(this.key(item))) { seen.add(this.key(item)); items.push(item); }
        }
        cursor = page.cursor;
        pages += 1;
      } while (cursor !== null && oldest !== undefined && items.length > 0 &&
               !this.reaches(items.at(-1), oldest) && pages < kMaxRefreshPages);
      this.items = items;
      this.cursor = cursor;
      this.pages = pages;
    });
  }
}

// The list's table with a "Load more <noun>" button under it, hidden on the last page.
// Returns {element, update}: update() re-renders the table from the list (after a refresh);
// the button itself stays, so it keeps the focus across live updates.
export function pagedTable(list, { label, columns, emptyText, noun }) {
  const slot = h('div');
  const summary = h('span', { class: 'hint', role: 'status' });
  const rowAttrs = (item) => ({ 'data-key': list.key(item) });
  const update = () => {
    slot.replaceChildren(table(label, columns, list.items, emptyText, rowAttrs));
    footer.hidden = !list.hasMore;
  };
  const button = h('button', { type: 'button', onclick: async () => {
    const shown = list.items.length;
    button.disabled = true;
    summary.textContent = '';
    try {
      await list.more();
      summary.textContent = `${list.items.length} ${noun} shown.`;
    } catch (error) {
      summary.textContent = describe(error);
    } finally {
      button.disabled = false;
    }
    update();
    if (list.hasMore) { button.focus(); return; }
    // The button is gone: the focus goes to the first row it loaded.
    const first = slot.querySelectorAll('tbody tr')[shown];
    if (first) { first.tabIndex = -1; first.focus(); }
  } }, `Load more ${noun}`);
  const footer = h('div', { class: 'row pager' }, button, summary);
  update();
  return { element: h('div', {}, slot, footer), update };
}
