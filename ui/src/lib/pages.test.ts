import { describe, expect, it } from "vitest";
import { pagesHolding, rowsInView } from "./pages";

describe("a list loaded page by page", () => {
  it("knows the rows in view, with a margin, inside the list", () => {
    expect(rowsInView(0, 400, 50, 1000)).toEqual({ first: 0, last: 14 });
    expect(rowsInView(5000, 400, 50, 1000)).toEqual({ first: 94, last: 114 });
    expect(rowsInView(49_900, 400, 50, 1000)).toEqual({ first: 992, last: 1000 });
    expect(rowsInView(0, 400, 50, 0)).toEqual({ first: 0, last: 0 });
  });

  it("asks for the pages that hold them", () => {
    expect(pagesHolding(0, 14, 100)).toEqual([0]);
    expect(pagesHolding(94, 114, 100)).toEqual([0, 1]);
    expect(pagesHolding(300, 300, 100)).toEqual([]);
    expect(pagesHolding(399, 401, 100)).toEqual([3, 4]);
  });
});
