/**
 * Settings from the environment (variable names in `ENV`). Each handler reads only what it uses, once,
 * when its Lambda starts; a bad value fails the start with an error naming the variable.
 */

import { ENV } from "../contract";

export type Env = Readonly<Record<string, string | undefined>>;

/** The three simulations that can fail: payment verification, stock, and the charge. */
export const RATE_KEYS = ["payment", "stock", "charge"] as const;
export type RateKey = (typeof RATE_KEYS)[number];

/**
 * Probabilities (0 to 1) with which the simulated payment gateway and inventory fail; 0 turns a
 * simulation off. `T` is `number`, or what stands for one (a Pulumi input, a string in the environment).
 */
export type FailureRates<T = number> = {
  /** Payment verification declines (by default 0.25). */
  readonly payment: T;
  /** Each item is out of stock (by default 0.1). */
  readonly stock: T;
  /** The charge is declined with `PaymentError` (by default 0.25). */
  readonly charge: T;
};

/** The default failure rates (the dev stack's, and the local engine's default): every route of the workflow shows up. */
export const SEED_RATES: FailureRates = { payment: 0.25, stock: 0.1, charge: 0.25 };

/** No simulated failure at all (the stack's default, Pulumi.yaml). */
export const NO_FAILURES: FailureRates = { payment: 0, stock: 0, charge: 0 };

/** The environment variable each rate is passed to its Lambda in. */
export const RATE_ENV: { readonly [K in RateKey]: string } = {
  payment: ENV.paymentFailureRate,
  stock: ENV.stockFailureRate,
  charge: ENV.chargeFailureRate,
};

/** The same rates, each converted by `f` (e.g. to the string an environment variable holds). */
export function mapRates<A, B>(rates: FailureRates<A>, f: (rate: A, key: RateKey) => B): FailureRates<B> {
  return Object.fromEntries(RATE_KEYS.map((key) => [key, f(rates[key], key)])) as FailureRates<B>;
}

/** A failure rate: a decimal number from 0 (the simulation never fails) to 1 (it always fails). */
export function readRate(env: Env, name: string): number {
  const text = env[name]?.trim();
  if (text === undefined || text === "") {
    throw new Error(`${name} is not set; it must be a number from 0 to 1 (0 turns the simulated failure off).`);
  }
  const rate = Number(text);
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text) || rate > 1) {
    throw new Error(`${name} must be a number from 0 to 1 (got ${JSON.stringify(env[name])}).`);
  }
  return rate;
}

/** The seed of the simulation's randomness; unset or empty means Math.random. */
export function readSeed(env: Env): string | undefined {
  const seed = env[ENV.randomSeed];
  return seed === undefined || seed === "" ? undefined : seed;
}

export function readTableName(env: Env): string {
  const name = env[ENV.tableName]?.trim();
  if (name === undefined || name === "") {
    throw new Error(`${ENV.tableName} is not set; it must name the orders table.`);
  }
  return name;
}
