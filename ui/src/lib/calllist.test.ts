import { describe, expect, it } from "vitest";
import type { CallListRow } from "./bindings";
import { callItems, nextSelection, outcomeForKey, scriptKey, visibleWindow } from "./calllist";

const row = (task_id: string, section: CallListRow["section"], kind: CallListRow["kind"]) =>
  ({ task_id, section, kind, stage_key: "confirmation" }) as CallListRow;

describe("call list helpers", () => {
  it("groups sections by kind in a fixed order", () => {
    const items = callItems([row("a", "today", "sms"), row("b", "overdue", "call"), row("c", "today", "call")]);
    expect(items.map((i) => (i.type === "row" ? i.row.task_id : `${i.type}:${i.type === "group" ? i.group : i.section}`))).toEqual([
      "section:overdue", "group:calls", "b", "section:today", "group:calls", "c", "group:messages", "a",
    ]);
  });

  it("maps number keys to the kind's outcomes", () => {
    expect(outcomeForKey("call", "1")).toBe("confirmed");
    expect(outcomeForKey("call", "4")).toBe("no_answer");
    expect(outcomeForKey("duty", "1")).toBe("done");
    expect(outcomeForKey("duty", "2")).toBeNull();
    expect(outcomeForKey("call", "x")).toBeNull();
  });

  it("reads the stage's script for calls and the kind's for duties", () => {
    expect(scriptKey({ stage_key: "confirmation", kind: "call" })).toBe("confirmation");
    expect(scriptKey({ stage_key: "results", kind: "call" })).toBe("call");
    expect(scriptKey({ stage_key: "confirmation", kind: "duty" })).toBe("duty");
  });

  it("moves the selection to the next row, else the previous", () => {
    const rows = [row("a", "today", "call"), row("b", "today", "call")];
    expect(nextSelection(rows, "a")).toBe("b");
    expect(nextSelection(rows, "b")).toBe("a");
    expect(nextSelection([], "a")).toBeNull();
  });

  it("renders only the rows in view, with overscan", () => {
    expect(visibleWindow(5000, 40, 4000, 600, 5)).toEqual({ first: 95, last: 120, offset: 3800, height: 200000 });
    expect(visibleWindow(3, 40, 0, 600).last).toBe(3);
  });
});
