/**
 * The stock files of `npm start -- --inventory FILE` and `--inventory-out FILE`: a JSON object of
 * item id to units available, `{ "item-c9f4x": 5 }`. A file that cannot be read, or does not hold
 * such an object, is a UsageError naming the file.
 */
import * as fs from "fs";
import { type Stock, stockProblem } from "../engine/inventory";
import { UsageError } from "./flags";

export function readStockFile(file: string): Stock {
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (error) {
    throw new UsageError(`--inventory ${file}: cannot be read (${(error as NodeJS.ErrnoException).code ?? "error"})`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`--inventory ${file}: is not JSON`);
  }
  const problem = stockProblem(value);
  if (problem !== undefined) throw new UsageError(`--inventory ${file}: ${problem}`);
  return value as Stock;
}

export function writeStockFile(file: string, stock: Stock): void {
  fs.writeFileSync(file, `${JSON.stringify(stock, null, 2)}\n`);
}
