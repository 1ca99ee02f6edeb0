// A long list the Rust side hands out page by page: which rows are in view, and which pages
// hold them. Every row has the same height, so any row is reachable by scrolling alone.

/** The rows `[first, last)` in view (with `overscan` rows either side), of `total`. */
export function rowsInView(scrollTop: number, viewHeight: number, rowHeight: number, total: number, overscan = 6): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(total, Math.ceil((scrollTop + Math.max(viewHeight, 0)) / rowHeight) + overscan);
  return { first: Math.min(first, last), last };
}

/** The numbers of the pages of `pageSize` rows that hold rows `[first, last)`. */
export function pagesHolding(first: number, last: number, pageSize: number): number[] {
  if (last <= first) return [];
  const pages = [];
  for (let page = Math.floor(first / pageSize); page <= Math.floor((last - 1) / pageSize); page++) pages.push(page);
  return pages;
}
