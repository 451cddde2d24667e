/** The report graph's geometry: the points an edge's path passes through, and whether two edges cross. */
import * as assert from "assert";
import { crossingPairs, pathPoints, segmentsCross } from "../../../cli/report/geometry";

describe("report geometry", () => {
  it("reads a path's lines and samples its curves, ending where the path ends", () => {
    const points = pathPoints("M0,0 C0,50 100,50 100,100 L100,200", 4);
    assert.deepStrictEqual(points[0], { x: 0, y: 0 });
    assert.deepStrictEqual(points[4], { x: 100, y: 100 });
    assert.deepStrictEqual(points[points.length - 1], { x: 100, y: 200 });
    assert.strictEqual(points.length, 6);
    assert.deepStrictEqual(points[2], { x: 50, y: 50 });
  });

  it("tells segments that cross or touch from segments that pass apart or lie on one line", () => {
    assert.ok(segmentsCross({ x: 0, y: 0 }, { x: 10, y: 10 }, { x: 0, y: 10 }, { x: 10, y: 0 }));
    assert.ok(segmentsCross({ x: 0, y: 0 }, { x: 10, y: 10 }, { x: 5, y: 5 }, { x: 20, y: 0 }));
    assert.ok(!segmentsCross({ x: 0, y: 0 }, { x: 0, y: 10 }, { x: 5, y: 0 }, { x: 5, y: 10 }));
    assert.ok(!segmentsCross({ x: 0, y: 0 }, { x: 0, y: 10 }, { x: 0, y: 5 }, { x: 0, y: 20 }));
  });

  it("counts no crossing where two edges only end at the same point (one node's port)", () => {
    const a = pathPoints("M0,0 C0,50 50,50 50,100");
    const b = pathPoints("M100,0 C100,50 50,50 50,100");
    assert.deepStrictEqual(crossingPairs([a, b]), []);
  });

  it("names the pairs of edges that cross: two S curves that swap sides, not two side by side", () => {
    const left = pathPoints("M0,0 C0,50 100,50 100,100");
    const right = pathPoints("M100,0 C100,50 0,50 0,100");
    const beside = pathPoints("M200,0 C200,50 300,50 300,100");
    assert.deepStrictEqual(crossingPairs([left, right, beside]), [[0, 1]]);
  });
});
