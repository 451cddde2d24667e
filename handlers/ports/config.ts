/**
 * Settings from the environment (variable names in `ENV`). Each handler reads only what it uses, once,
 * when its Lambda starts; a bad value fails the start with an error naming the variable.
 */

import { ENV } from "../contract";

export type Env = Readonly<Record<string, string | undefined>>;

/** A failure rate: a decimal number from 0 (the simulation never fails) to 1 (it always fails). */
export function readRate(env: Env, name: string): number {
  const text = env[name]?.trim();
  if (text === undefined || text === "") {
    throw new Error(`${name} is not set; it must be a number from 0 to 1 (0 turns the simulated failure off)`);
  }
  const rate = Number(text);
  if (!/^(\d+(\.\d*)?|\.\d+)$/.test(text) || rate > 1) {
    throw new Error(`${name} must be a number from 0 to 1 (got ${JSON.stringify(env[name])})`);
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
    throw new Error(`${ENV.tableName} is not set; it must name the orders table`);
  }
  return name;
}
