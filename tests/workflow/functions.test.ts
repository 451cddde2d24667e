/** The function registry: one declaration per workflow function, and what it derives from it. */
import { strict as assert } from "assert";
import { ENV } from "../../handlers/contract";
import { NO_FAILURES, RATE_ENV, RATE_KEYS, SEED_RATES, mapRates } from "../../handlers/ports/config";
import {
  FUNCTION_KEYS,
  WORKFLOW_FUNCTIONS,
  functionEnvironment,
  functionOfState,
  functionResourceName,
  functionSpec,
  perFunction,
} from "../../workflow/functions";

const INVENTORY_ENV = { INVENTORY_MODE: "simulated", INVENTORY_TABLE_NAME: "inventory-table" };
const SETTINGS = {
  rates: mapRates(SEED_RATES, String),
  tableName: "orders-table",
  inventory: { mode: "simulated", tableName: "inventory-table" },
};

describe("the function registry", function () {
  it("declares the functions in the order of the workflow, compensations last", function () {
    assert.deepEqual(FUNCTION_KEYS, [
      "verifyPaymentDetails",
      "retrieveStockLevels",
      "reserveStock",
      "chargePayment",
      "refundPayment",
      "releaseStock",
    ]);
  });

  it("gives every function its own state and resource name", function () {
    for (const field of ["state", "resourceName"] as const) {
      const values = FUNCTION_KEYS.map((key) => functionSpec(key)[field]);
      assert.equal(new Set(values).size, FUNCTION_KEYS.length, field);
    }
  });

  it("gives each simulated failure rate to the functions whose simulation reads it (the gateway's charge rate to the charge and the refund)", function () {
    assert.deepEqual(
      perFunction((_key, spec) => spec.failureRate),
      {
        verifyPaymentDetails: "payment",
        retrieveStockLevels: "stock",
        reserveStock: undefined,
        chargePayment: "charge",
        refundPayment: "charge",
        releaseStock: undefined,
      },
    );
  });

  it("finds a function by the Task state that invokes it, and none for any other state", function () {
    for (const key of FUNCTION_KEYS) assert.equal(functionOfState(WORKFLOW_FUNCTIONS[key].state), key);
    assert.equal(functionOfState("RecordProcessed"), undefined);
  });

  it("names a function's resource after its component", function () {
    assert.equal(functionResourceName("orders", "chargePayment"), "orders-charge-payment");
    assert.equal(functionResourceName("shop", "verifyPaymentDetails"), "shop-verify-payment-details");
  });

  it("gives one value per function, keyed and ordered as declared", function () {
    assert.deepEqual(
      perFunction((key, spec) => `${key}:${spec.state}`),
      {
        verifyPaymentDetails: "verifyPaymentDetails:VerifyPaymentDetails",
        retrieveStockLevels: "retrieveStockLevels:RetrieveStockLevels",
        reserveStock: "reserveStock:ReserveStock",
        chargePayment: "chargePayment:ChargePayment",
        refundPayment: "refundPayment:RefundPayment",
        releaseStock: "releaseStock:ReleaseStock",
      },
    );
  });

  it("passes each function its own rate, and the table's name only to the function that uses the table", function () {
    assert.deepEqual(
      perFunction((key) => functionEnvironment(key, SETTINGS)),
      {
        verifyPaymentDetails: { SIMULATED_PAYMENT_FAILURE_RATE: "0.25" },
        retrieveStockLevels: { SIMULATED_STOCK_FAILURE_RATE: "0.1", ...INVENTORY_ENV },
        reserveStock: { ORDERS_TABLE_NAME: "orders-table", ...INVENTORY_ENV },
        chargePayment: { SIMULATED_CHARGE_FAILURE_RATE: "0.25" },
        refundPayment: { SIMULATED_CHARGE_FAILURE_RATE: "0.25" },
        releaseStock: { ORDERS_TABLE_NAME: "orders-table", ...INVENTORY_ENV },
      },
    );
  });

  it("grants the orders table only to the functions that reserve and release, each only what it does", function () {
    assert.deepEqual(
      perFunction((_key, spec) => spec.ordersTable),
      {
        verifyPaymentDetails: undefined,
        retrieveStockLevels: undefined,
        reserveStock: ["dynamodb:PutItem", "dynamodb:GetItem"],
        chargePayment: undefined,
        refundPayment: undefined,
        releaseStock: ["dynamodb:GetItem", "dynamodb:UpdateItem"],
      },
    );
  });

  it("grants the inventory table to the stock functions: GetItem to read levels, UpdateItem to take and give back", function () {
    assert.deepEqual(
      perFunction((_key, spec) => spec.inventoryTable),
      {
        verifyPaymentDetails: undefined,
        retrieveStockLevels: ["dynamodb:GetItem"],
        reserveStock: ["dynamodb:UpdateItem"],
        chargePayment: undefined,
        refundPayment: undefined,
        releaseStock: ["dynamodb:UpdateItem"],
      },
    );
  });

  for (const key of FUNCTION_KEYS) {
    it(`${key}: its handler starts with the environment the registry gives it, and with none of it missing`, function () {
      const env = functionEnvironment(key, SETTINGS);
      const factory: (env: Record<string, string>) => unknown = WORKFLOW_FUNCTIONS[key].factory;
      assert.equal(typeof factory(env), "function");
      for (const name of Object.keys(env)) {
        const rest = Object.fromEntries(Object.entries(env).filter(([variable]) => variable !== name));
        assert.throws(() => factory(rest), new RegExp(`${name} is not set`), `${key} starts without ${name}`);
      }
    });
  }
});

describe("the failure rates", function () {
  it("are payment, stock and charge, in the default failure rates and in no-failures alike", function () {
    assert.deepEqual(RATE_KEYS, ["payment", "stock", "charge"]);
    assert.deepEqual(Object.keys(SEED_RATES), RATE_KEYS);
    assert.deepEqual(Object.keys(NO_FAILURES), RATE_KEYS);
  });

  it("are the default 0.25, 0.1 and 0.25, or all 0", function () {
    assert.deepEqual(SEED_RATES, { payment: 0.25, stock: 0.1, charge: 0.25 });
    assert.deepEqual(NO_FAILURES, { payment: 0, stock: 0, charge: 0 });
  });

  it("each reach their Lambda in their own environment variable", function () {
    assert.deepEqual(RATE_ENV, {
      payment: ENV.paymentFailureRate,
      stock: ENV.stockFailureRate,
      charge: ENV.chargeFailureRate,
    });
  });

  it("convert one by one, each with its key", function () {
    assert.deepEqual(
      mapRates(SEED_RATES, (rate, key) => `${key}=${rate}`),
      { payment: "payment=0.25", stock: "stock=0.1", charge: "charge=0.25" },
    );
  });
});
