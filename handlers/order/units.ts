/**
 * The units an order takes from stock: each entry of its items is one unit, so the same itemId twice
 * is two units. Read from the order's record item (its `Items` list), and written to the record as
 * its `Reservation` (a map of item id to units), where a release finds what to give back.
 */
import type { AttributeValue, DynamoItem } from "../contract";
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

/** The record's `Reservation` attribute for `units`. */
export function reservationAttribute(units: Units): AttributeValue {
  return { M: Object.fromEntries([...units].map(([itemId, n]) => [itemId, { N: String(n) }])) };
}

/** The units a record's `Reservation` attribute holds (none when it has none). */
export function unitsOfReservation(value: AttributeValue | undefined): Units {
  const units = new Map<string, number>();
  if (value === undefined || !("M" in value)) return units;
  for (const [itemId, n] of Object.entries(value.M)) {
    if ("N" in n) units.set(itemId, Number(n.N));
  }
  return units;
}
