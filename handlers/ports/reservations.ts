/**
 * An order's stock reservation, kept on its record in the orders table: the reserve Lambda claims the
 * record (State PROCESSING, StockState RESERVED: its Items are the units reserved) and takes the units from
 * stock in ONE DynamoDB transaction, so that an order holds all of its units or none, and a retried
 * reserve finds its own claim instead of taking stock twice. A release gives the units back and sets
 * StockState RELEASED in one transaction, on condition that the StockState is still the one it read,
 * so that a retried release cannot give them back twice.
 */

import type { DynamoDBClient, TransactWriteItem } from "@aws-sdk/client-dynamodb";
import type { DynamoItem } from "../contract";
import { ATTR, type StockState } from "../order/records";

/** What a reservation attempt found. */
export type ReserveOutcome =
  | { readonly kind: "reserved" }
  /** The record is held (claimed, processed, or failed with something left to do): nothing was written. */
  | { readonly kind: "held" }
  /** The stock write at this index (in `stockWrites`) was refused: nothing was written. */
  | { readonly kind: "outOfStock"; readonly index: number };

export interface Reservations {
  reserve(item: DynamoItem, stockWrites: TransactWriteItem[]): Promise<ReserveOutcome>;
  /** Sets StockState RELEASED if it is still `from` and the record is `executionName`'s; false if not. */
  release(orderId: string, executionName: string, from: StockState, stockWrites: TransactWriteItem[]): Promise<boolean>;
  read(orderId: string): Promise<DynamoItem | undefined>;
}

/** The error a Lambda raises when its transaction met another one: the state machine retries it. */
export const TRANSACTION_CONFLICT = "TransactionConflictException";

interface CancellationReason {
  readonly Code?: string;
}

/**
 * The cancellation reasons of a cancelled transaction, one per action in order; undefined for any other
 * error. DynamoDB's API reference says only Java lists them on the exception: without the list, they
 * are read from the message, which names them in order ("... reasons [None, ConditionalCheckFailed]").
 */
function cancellation(error: unknown): readonly CancellationReason[] | undefined {
  if (!(error instanceof Error) || error.name !== "TransactionCanceledException") return undefined;
  const listed = (error as { CancellationReasons?: CancellationReason[] }).CancellationReasons;
  if (listed !== undefined && listed.length > 0) return listed;
  const named = /\[([^\]]*)\]\s*$/.exec(error.message)?.[1];
  return named === undefined ? [] : named.split(",").map((code) => ({ Code: code.trim() }));
}

function conflict(reasons: readonly CancellationReason[]): Error {
  const error = new Error(`The transaction was cancelled: ${reasons.map((r) => r.Code ?? "None").join(", ")}`);
  error.name = TRANSACTION_CONFLICT;
  return error;
}

export function dynamoReservations(tableName: string, client?: DynamoDBClient): Reservations {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@aws-sdk/client-dynamodb") as typeof import("@aws-sdk/client-dynamodb");
  const dynamo = client ?? new sdk.DynamoDBClient({});
  const transact = (items: TransactWriteItem[]) =>
    dynamo.send(new sdk.TransactWriteItemsCommand({ TransactItems: items }));

  return {
    reserve: async (item, stockWrites) => {
      const claim: TransactWriteItem = {
        Put: {
          TableName: tableName,
          Item: item,
          // New, or failed with nothing left to do and no charge refunded (a failed order may be submitted
          // again; a refunded one may not: the gateway would answer its spent key with the refunded charge).
          ConditionExpression:
            "attribute_not_exists(#id) OR (#s = :failed AND attribute_not_exists(#left) AND attribute_not_exists(#refund))",
          ExpressionAttributeNames: {
            "#id": ATTR.orderId,
            "#s": ATTR.state,
            "#left": ATTR.leftToDo,
            "#refund": ATTR.refundId,
          },
          ExpressionAttributeValues: { ":failed": { S: "FAILED" } },
        },
      };
      try {
        await transact([claim, ...stockWrites]);
        return { kind: "reserved" };
      } catch (error) {
        const reasons = cancellation(error);
        if (reasons === undefined) throw error;
        if (reasons[0]?.Code === "ConditionalCheckFailed") return { kind: "held" };
        const index = reasons.findIndex((r, i) => i > 0 && r.Code === "ConditionalCheckFailed");
        if (index > 0) return { kind: "outOfStock", index: index - 1 };
        throw conflict(reasons);
      }
    },

    release: async (orderId, executionName, from, stockWrites) => {
      const mark: TransactWriteItem = {
        Update: {
          TableName: tableName,
          Key: { [ATTR.orderId]: { S: orderId } },
          UpdateExpression: "SET #st = :released",
          ConditionExpression: "#e = :me AND #st = :from",
          ExpressionAttributeNames: { "#e": ATTR.executionName, "#st": ATTR.stockState },
          ExpressionAttributeValues: {
            ":me": { S: executionName },
            ":from": { S: from },
            ":released": { S: "RELEASED" },
          },
        },
      };
      try {
        await transact([mark, ...stockWrites]);
        return true;
      } catch (error) {
        const reasons = cancellation(error);
        if (reasons === undefined) throw error;
        if (reasons[0]?.Code === "ConditionalCheckFailed") return false;
        throw conflict(reasons);
      }
    },

    read: async (orderId) => {
      const { Item } = await dynamo.send(
        new sdk.GetItemCommand({ TableName: tableName, Key: { [ATTR.orderId]: { S: orderId } }, ConsistentRead: true }),
      );
      return Item as DynamoItem | undefined;
    },
  };
}
