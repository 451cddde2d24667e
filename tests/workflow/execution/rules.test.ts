/**
 * The execution rules every runner shares (workflow/execution/): the input limit, whether an
 * execution charged, and the order id it reports.
 */
import * as assert from "assert";
import { LAMBDA_INVOKE } from "../../../workflow/definition";
import { CHARGE_STATE, isCharge } from "../../../workflow/execution/charge";
import {
  InputTooLargeError,
  MAX_INPUT_BYTES,
  describeOversize,
  inputBytes,
  oversizedInput,
} from "../../../workflow/execution/inputLimit";
import { reportedOrderId } from "../../../workflow/execution/orderId";
import { orderDefinition } from "../../support/paths";

/** An order whose JSON is exactly `bytes` long (UTF-8). */
function orderOfBytes(bytes: number): { note: string } {
  const empty = inputBytes({ note: "" });
  return { note: "x".repeat(bytes - empty) };
}

describe("the execution rules", () => {
  describe("the input limit: StartExecution's 256 KiB of UTF-8 JSON", () => {
    it("is 262,144 bytes, as AWS documents it", () => {
      assert.strictEqual(MAX_INPUT_BYTES, 256 * 1024);
    });

    it("counts UTF-8 bytes, not characters", () => {
      assert.strictEqual(inputBytes({ a: "é" }), '{"a":"é"}'.length + 1);
      assert.strictEqual(inputBytes("😀"), 6);
      assert.strictEqual(inputBytes(undefined), 4, "nothing is sent as null");
    });

    it("accepts exactly the limit and refuses one byte more", () => {
      assert.strictEqual(inputBytes(orderOfBytes(MAX_INPUT_BYTES)), MAX_INPUT_BYTES);
      assert.strictEqual(oversizedInput(orderOfBytes(MAX_INPUT_BYTES)), undefined);
      assert.strictEqual(oversizedInput(orderOfBytes(MAX_INPUT_BYTES + 1)), MAX_INPUT_BYTES + 1);
    });

    it("says how big the input is and what is accepted, and that nothing started", () => {
      assert.strictEqual(
        describeOversize(300_000),
        "300,000 bytes of JSON; Step Functions accepts at most 262,144 bytes of execution input",
      );
      const error = new InputTooLargeError(300_000);
      assert.strictEqual(error.name, "InputTooLargeError");
      assert.strictEqual(error.bytes, 300_000);
      assert.strictEqual(
        error.message,
        "The order is 300,000 bytes of JSON; Step Functions accepts at most 262,144 bytes of execution input, so no execution was started.",
      );
    });
  });

  describe("charged: the ChargePayment state's Lambda answered charged: true", () => {
    it("names a Task state of the definition that invokes the charge Lambda", () => {
      const state = orderDefinition.States[CHARGE_STATE as keyof typeof orderDefinition.States] as {
        Type: string;
        Resource?: string;
        Parameters?: { FunctionName?: string };
      };
      assert.strictEqual(state.Type, "Task");
      assert.strictEqual(state.Resource, LAMBDA_INVOKE);
      assert.match(String(state.Parameters?.FunctionName), /:function:chargePayment$/);
    });

    it("is true only for that state and only for charged === true", () => {
      assert.strictEqual(isCharge(CHARGE_STATE, { charged: true, chargeId: "ch_1" }), true);
      assert.strictEqual(isCharge(CHARGE_STATE, { charged: false }), false);
      assert.strictEqual(isCharge(CHARGE_STATE, { charged: "true" }), false);
      assert.strictEqual(isCharge(CHARGE_STATE, null), false);
      assert.strictEqual(isCharge(CHARGE_STATE, undefined), false);
      assert.strictEqual(isCharge("VerifyPaymentDetails", { charged: true }), false);
      assert.strictEqual(isCharge(undefined, { charged: true }), false);
    });
  });

  describe("the reported order id", () => {
    it("is the notification's, when one says it", () => {
      assert.strictEqual(
        reportedOrderId({ orderId: "given" }, "exec-1", ["text", { state: "FAILED" }, { orderId: "notified" }]),
        "notified",
      );
    });

    it("else the Lambdas' rule: a valid orderId, else the execution's name", () => {
      assert.strictEqual(reportedOrderId({ orderId: "web-1001" }, "exec-1", []), "web-1001");
      assert.strictEqual(
        reportedOrderId({ orderId: "has space" }, "exec-1", []),
        "exec-1",
        "not an id the Lambdas accept",
      );
      assert.strictEqual(reportedOrderId({ orderId: "" }, "exec-1", [{ orderId: 7 }]), "exec-1");
      assert.strictEqual(reportedOrderId("not an order", "exec-1", []), "exec-1");
    });
  });
});
