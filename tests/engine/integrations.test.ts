/** The `lambda:invoke` integration's response as the engine shapes it, and its JSON size without serializing it whole. */
import * as assert from "assert";
import { invokeResponse, invokeResponseBytes } from "../../engine/integrations";
import { jsonBytes } from "../../engine/limits";

describe("invokeResponseBytes", function () {
  const payloads: unknown[] = [null, "é€😀", { orderId: "o-1", items: [{ price: 12.5, note: 'naïve "quoted"' }] }, []];
  for (const payload of payloads) {
    it(`is the response's JSON size measured whole, for the payload ${JSON.stringify(payload)}`, function () {
      const text = JSON.stringify(payload);
      const bytes = Buffer.byteLength(text, "utf8");
      const response = invokeResponse(JSON.parse(text) as unknown, bytes);
      assert.strictEqual(invokeResponseBytes(response, bytes), jsonBytes(response));
    });
  }
});
