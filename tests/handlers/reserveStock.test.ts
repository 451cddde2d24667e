/** The reserve handler: the claim and the units in one reservation, its retry, and the records it must not take. */
import { strict as assert } from "node:assert";
import { DUPLICATE_ORDER_ERROR, ORDER_CONFLICT_ERROR, OUT_OF_STOCK_ERROR, type ReserveInput } from "../../handlers/contract";
import { baseItem } from "../../handlers/order/records";
import { reserveStock } from "../../handlers/reserveStock";
import { MemoryReservations, fixedInventory } from "../support/fakePorts";

const orderId = "order-1";
const item = (executionName: string, hash = "sha256:one") =>
  baseItem({
    orderId,
    executionName,
    items: [
      { itemId: "item-a", price: 1, itemDescription: "A" },
      { itemId: "item-b", price: 1, itemDescription: "B" },
      { itemId: "item-a", price: 1, itemDescription: "A" },
    ],
    createdAt: "2026-11-27T05:00:00.000Z",
    orderHash: hash,
  });
const input = (executionName: string, hash?: string): ReserveInput => ({ orderId, executionName, item: item(executionName, hash) });

describe("reserveStock", () => {
  it("claims the record PROCESSING with its units (the same itemId twice is two) and takes them in one go", async () => {
    const reservations = new MemoryReservations();
    const result = await reserveStock(input("exec-1"), { reservations, inventory: fixedInventory([]) });
    assert.deepEqual(result, { record: { StockState: { S: "RESERVED" } } });
    assert.equal(reservations.stateOf(orderId), "PROCESSING");
    assert.equal(reservations.stockWrites.length, 1);
    assert.equal(reservations.stockWrites[0].length, 2);
  });

  it("answers a retry of the same execution with its reservation, taking nothing twice", async () => {
    const reservations = new MemoryReservations();
    const deps = { reservations, inventory: fixedInventory([]) };
    const first = await reserveStock(input("exec-1"), deps);
    assert.deepEqual(await reserveStock(input("exec-1"), deps), first);
    assert.equal(reservations.stockWrites.length, 1);
  });

  it("raises OutOfStockError naming the item when a unit cannot be taken", async () => {
    const reservations = new MemoryReservations();
    reservations.refuseStock = 1;
    await assert.rejects(reserveStock(input("exec-1"), { reservations, inventory: fixedInventory([]) }), {
      name: OUT_OF_STOCK_ERROR,
      message: /^Item item-b is out of stock: order order-1 needs 1 unit\(s\)/,
    });
    assert.equal(reservations.records.size, 0);
  });

  it("refuses another execution's order: DuplicateOrderError for the same contents, OrderConflictError for others", async () => {
    const reservations = new MemoryReservations();
    const deps = { reservations, inventory: fixedInventory([]) };
    await reserveStock(input("exec-1"), deps);
    await assert.rejects(reserveStock(input("exec-2"), deps), { name: DUPLICATE_ORDER_ERROR });
    await assert.rejects(reserveStock(input("exec-2", "sha256:two"), deps), { name: ORDER_CONFLICT_ERROR });
    assert.equal(reservations.stockWrites.length, 1);
  });

  it("refuses its own execution name with other contents (a rerun that must not announce the first's charge)", async () => {
    const reservations = new MemoryReservations();
    const deps = { reservations, inventory: fixedInventory([]) };
    await reserveStock(input("exec-1"), deps);
    await assert.rejects(reserveStock(input("exec-1", "sha256:two"), deps), { name: ORDER_CONFLICT_ERROR });
  });
});
