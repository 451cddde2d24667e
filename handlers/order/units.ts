/**
 * The units an order takes from stock: each entry of its items is one unit, so the same itemId twice
 * is two units. Read from the order's record item (its `Items` list): the record that holds the
 * reservation (StockState RESERVED) holds its items, so a release finds there what to give back, and
 * no state of the workflow carries the item ids twice (the 256 KiB state limit).
 */
import type { DynamoItem } from "../contract";
import { ATTR } from "./records";

/** Units by item id, in the order the items first appear. */
export type Units = ReadonlyMap<string, number>;

/** The units of the order whose record item is `item` (none when it has no Items). */
export function unitsOfItem(item: DynamoItem): Units {
  const units = new Map<string, number>();
  const list = item[ATTR.items];
  if (list === undefined || !("L" in list)) return units;
  for (const entry of list.L) {
    const id = "M" in entry ? entry.M["itemId"] : undefined;
    if (id !== undefined && "S" in id) units.set(id.S, (units.get(id.S) ?? 0) + 1);
  }
  return units;
}
