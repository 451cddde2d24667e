/**
 * The layout of the order workflow's graph, without a browser: the same definition gives the same
 * layout, and no Choice rule's edge and no edge of the recovery branch crosses another edge (the
 * browser test checks the same on the drawn page).
 */
import * as assert from "assert";
import { crossingPairs, pathPoints } from "../../../cli/report/geometry";
import { Layout, layoutMachine } from "../../../cli/report/layout";
import { orderDefinition } from "../../support/paths";

const RECOVERY = ["RecoverOrderId", "CheckOrderId", "UseExecutionName", "UseCheckedOrderId"];

/** The crossing edges of the top-level graph, as "from → to" pairs. */
function crossingEdges(layout: Layout): Array<[Layout["edges"][number], Layout["edges"][number]]> {
  return crossingPairs(layout.edges.map((e) => pathPoints(e.path))).map(([i, j]) => [layout.edges[i], layout.edges[j]]);
}

describe("layoutMachine: the order workflow's graph", () => {
  const layout = layoutMachine(orderDefinition, true);

  it("is the same layout every time for the same definition", () => {
    assert.deepStrictEqual(layoutMachine(orderDefinition, true), layout);
  });

  it("crosses no Choice rule's edge and no edge into or out of the recovery branch", () => {
    const choices = new Set(
      Object.entries(orderDefinition.States).flatMap(([name, state]) => (state.Type === "Choice" ? [name] : [])),
    );
    const guarded = (e: Layout["edges"][number]): boolean =>
      choices.has(e.from) || RECOVERY.includes(e.from) || RECOVERY.includes(e.to);
    const crossed = crossingEdges(layout)
      .filter(([a, b]) => guarded(a) || guarded(b))
      .map(([a, b]) => `${a.from} → ${a.to} crosses ${b.from} → ${b.to}`);
    assert.deepStrictEqual(crossed, []);
  });
});
