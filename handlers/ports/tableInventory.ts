/**
 * The inventory as a DynamoDB table: `ItemId` (S) → `Available` (N), the units in stock. An item
 * the table does not hold has none. Taking units is an update on condition `Available >= n`, so that
 * stock never goes below zero; the order's takes go in one transaction (reservations.ts), so an order
 * reserves all of its units or none.
 */

import type { DynamoDBClient, TransactWriteItem } from "@aws-sdk/client-dynamodb";
import { INVENTORY_AVAILABLE, INVENTORY_TABLE_KEY, type OrderItem } from "../contract";
import type { Units } from "../order/units";
import type { Inventory } from "./inventory";

export class TableInventory implements Inventory {
  constructor(
    private readonly tableName: string,
    private readonly client?: DynamoDBClient,
  ) {}

  async stockLevels(items: readonly OrderItem[]): Promise<number[]> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sdk = require("@aws-sdk/client-dynamodb") as typeof import("@aws-sdk/client-dynamodb");
    const dynamo = this.client ?? new sdk.DynamoDBClient({});
    const ids = [...new Set(items.map((item) => item.itemId))];
    const levels = new Map<string, number>();
    await Promise.all(
      ids.map(async (itemId) => {
        const { Item } = await dynamo.send(
          new sdk.GetItemCommand({ TableName: this.tableName, Key: { [INVENTORY_TABLE_KEY]: { S: itemId } } }),
        );
        const available = Item?.[INVENTORY_AVAILABLE]?.N;
        levels.set(itemId, available === undefined ? 0 : Math.max(0, Number(available)));
      }),
    );
    return items.map((item) => levels.get(item.itemId) ?? 0);
  }

  takeWrites(units: Units): TransactWriteItem[] {
    return [...units].map(([itemId, n]) => ({
      Update: {
        TableName: this.tableName,
        Key: { [INVENTORY_TABLE_KEY]: { S: itemId } },
        UpdateExpression: "SET #a = #a - :n",
        ConditionExpression: "#a >= :n",
        ExpressionAttributeNames: { "#a": INVENTORY_AVAILABLE },
        ExpressionAttributeValues: { ":n": { N: String(n) } },
      },
    }));
  }

  giveBackWrites(units: Units): TransactWriteItem[] {
    return [...units].map(([itemId, n]) => ({
      Update: {
        TableName: this.tableName,
        Key: { [INVENTORY_TABLE_KEY]: { S: itemId } },
        UpdateExpression: "ADD #a :n",
        ExpressionAttributeNames: { "#a": INVENTORY_AVAILABLE },
        ExpressionAttributeValues: { ":n": { N: String(n) } },
      },
    }));
  }
}
