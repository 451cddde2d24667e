/** The reserve handler: the claim and the units in one reservation, its retry, and the records it must not take. */
import { strict as assert } from "node:assert";
import {
  ALREADY_PROCESSED_ERROR,
  DUPLICATE_ORDER_ERROR,
  ORDER_CONFLICT_ERROR,
  OUT_OF_STOCK_ERROR,
  type ReserveInput,
} from "../../handlers/contract";
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
const charge = { customerId: "c-1", amountMinor: 300, paymentToken: "tok" };
const input = (executionName: string, hash?: string): ReserveInput => ({
  orderId,
  executionName,
  item: item(executionName, hash),
  charge,
});

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

  it("answers a redelivery of its own PROCESSED order with the answer it gave then (AlreadyProcessedError), taking nothing", async () => {
    const reservations = new MemoryReservations();
    const deps = { reservations, inventory: fixedInventory([]) };
    await reserveStock(input("exec-1"), deps);
    const record = reservations.records.get(orderId) ?? {};
    reservations.records.set(orderId, { ...record, State: { S: "PROCESSED" }, ChargeId: { S: "ch_1" } });
    await assert.rejects(reserveStock(input("exec-1"), deps), (error: Error) => {
      assert.equal(error.name, ALREADY_PROCESSED_ERROR);
      const answer = JSON.parse(error.message) as {
        charged: boolean;
        chargeId: string;
        notification: { state: string };
      };
      assert.deepEqual([answer.charged, answer.chargeId, answer.notification.state], [false, "ch_1", "PROCESSED"]);
      return true;
    });
    assert.equal(reservations.stockWrites.length, 1);
  });

  it("refuses its own execution name with other contents (a rerun that must not announce the first's charge)", async () => {
    const reservations = new MemoryReservations();
    const deps = { reservations, inventory: fixedInventory([]) };
    await reserveStock(input("exec-1"), deps);
    await assert.rejects(reserveStock(input("exec-1", "sha256:two"), deps), { name: ORDER_CONFLICT_ERROR });
  });
});
