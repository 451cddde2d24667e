/** The release handler: gives an order's units back once, and only this execution's. */
import { strict as assert } from "node:assert";
import type { DynamoItem } from "../../handlers/contract";
import { releaseStock } from "../../handlers/releaseStock";
import { MemoryReservations, fixedInventory } from "../support/fakePorts";

const orderId = "order-1";
/** The order's Items: two units of item-a. */
const items = {
  L: [0, 1].map(() => ({ M: { itemId: { S: "item-a" }, price: { N: "1" }, itemDescription: { S: "A" } } })),
};
const held = (executionName: string, stockState: string, extra: DynamoItem = {}): DynamoItem => ({
  OrderId: { S: orderId },
  ExecutionName: { S: executionName },
  State: { S: "PROCESSING" },
  StockState: { S: stockState },
  Items: items,
  ...extra,
});
const input = (refundedChargeId = "none") => ({ orderId, executionName: "exec-1", refundedChargeId });
const released = { record: { StockState: { S: "RELEASED" } } };

describe("releaseStock", () => {
  it("gives a reservation back once: a retry finds it RELEASED and gives nothing back again", async () => {
    const reservations = new MemoryReservations();
    reservations.records.set(orderId, held("exec-1", "RESERVED"));
    const deps = { reservations, inventory: fixedInventory([]) };
    assert.deepEqual(await releaseStock(input(), deps), released);
    assert.deepEqual(await releaseStock(input(), deps), released);
    assert.equal(reservations.stockWrites.length, 1);
    assert.equal(reservations.stockWrites[0].length, 1, "one write for item-a");
    assert.match(JSON.stringify(reservations.stockWrites[0]), /"N":"2"/, "its two units");
    assert.equal(reservations.stateOf(orderId, "StockState"), "RELEASED");
  });

  it("leaves another execution's reservation, and answers that nothing was held", async () => {
    const reservations = new MemoryReservations();
    reservations.records.set(orderId, held("exec-2", "RESERVED"));
    assert.deepEqual(await releaseStock(input(), { reservations, inventory: fixedInventory([]) }), { record: {} });
    assert.equal(reservations.stateOf(orderId, "StockState"), "RESERVED");
  });

  it("gives a COMMITTED reservation back only for the charge that was refunded", async () => {
    const reservations = new MemoryReservations();
    reservations.records.set(orderId, held("exec-1", "COMMITTED", { ChargeId: { S: "ch_1" } }));
    const deps = { reservations, inventory: fixedInventory([]) };
    assert.deepEqual(await releaseStock(input("none"), deps), { record: {} });
    assert.deepEqual(await releaseStock(input("ch_1"), deps), released);
  });

  it("answers nothing held for an order without a record", async () => {
    const deps = { reservations: new MemoryReservations(), inventory: fixedInventory([]) };
    assert.deepEqual(await releaseStock(input(), deps), { record: {} });
  });
});
