/**
 * The orders table as the charge Lambda uses it: conditional writes that let exactly one execution
 * hold an order at a time (see handlers/chargePayment.ts for the protocol).
 */

import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { DynamoItem } from "../contract";
import { ATTR } from "../order/records";

/** Who holds an order's record, as read back from the table. */
export interface StoredOrder {
  readonly state: string;
  readonly executionName: string;
  readonly chargeId?: string;
  /** The hash of the order's card-free contents the record was written for (absent on older records). */
  readonly orderHash?: string;
}

export interface OrderStore {
  /**
   * Writes `item` (State PROCESSING) if the order has no record, a FAILED record, or a PROCESSING record
   * of this same execution (a Lambda retry). Returns false, writing nothing, if another holds it.
   */
  claim(item: DynamoItem, executionName: string): Promise<boolean>;
  /** Writes `item` (State PROCESSED) if the record still belongs to this execution; false otherwise. */
  complete(item: DynamoItem, executionName: string): Promise<boolean>;
  read(orderId: string): Promise<StoredOrder | undefined>;
}

function isConditionFailure(error: unknown): boolean {
  return error instanceof Error && error.name === "ConditionalCheckFailedException";
}

/**
 * The store on DynamoDB. The SDK is required here, at run time, rather than imported at the top, so
 * that a Lambda serialized from these handlers loads it from its runtime. Regions and endpoints come
 * from the environment (AWS_REGION, AWS_ENDPOINT_URL_DYNAMODB), as the SDK reads them.
 */
export function dynamoOrderStore(tableName: string, client?: DynamoDBClient): OrderStore {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const sdk = require("@aws-sdk/client-dynamodb") as typeof import("@aws-sdk/client-dynamodb");
  const dynamo = client ?? new sdk.DynamoDBClient({});

  const conditionalPut = async (
    item: DynamoItem,
    condition: string,
    values: DynamoItem,
    names: Record<string, string>,
  ): Promise<boolean> => {
    try {
      await dynamo.send(
        new sdk.PutItemCommand({
          TableName: tableName,
          Item: item,
          ConditionExpression: condition,
          ExpressionAttributeNames: names,
          ExpressionAttributeValues: values,
        }),
      );
      return true;
    } catch (error) {
      if (isConditionFailure(error)) {
        return false;
      }
      throw error;
    }
  };

  return {
    claim: (item, executionName) =>
      conditionalPut(
        item,
        "attribute_not_exists(#id) OR #s = :failed OR (#e = :me AND #s = :processing)",
        { ":failed": { S: "FAILED" }, ":processing": { S: "PROCESSING" }, ":me": { S: executionName } },
        { "#id": ATTR.orderId, "#s": ATTR.state, "#e": ATTR.executionName },
      ),

    complete: (item, executionName) =>
      conditionalPut(item, "#e = :me", { ":me": { S: executionName } }, { "#e": ATTR.executionName }),

    read: async (orderId) => {
      const { Item } = await dynamo.send(
        new sdk.GetItemCommand({ TableName: tableName, Key: { [ATTR.orderId]: { S: orderId } }, ConsistentRead: true }),
      );
      if (Item === undefined) {
        return undefined;
      }
      const chargeId = Item[ATTR.chargeId]?.S;
      const orderHash = Item[ATTR.orderHash]?.S;
      return {
        state: Item[ATTR.state]?.S ?? "",
        executionName: Item[ATTR.executionName]?.S ?? "",
        ...(chargeId === undefined ? {} : { chargeId }),
        ...(orderHash === undefined ? {} : { orderHash }),
      };
    },
  };
}
