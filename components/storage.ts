/**
 * The workflow's stateful resources: the CustomerOrders table (the records, and each order's stock
 * reservation), the Inventory table (`ItemId` → `Available`, the units in stock, used in the stack's
 * `inventoryMode: table`), and the notification topic with its key. Both tables are encrypted, have
 * point-in-time recovery, and deletion protection as the stack sets it.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { INVENTORY_TABLE_KEY, ORDERS_TABLE_KEY } from "../handlers/contract";

type Parent = { readonly parent: pulumi.Resource };

/** A table keyed on one string attribute, on demand, encrypted, with point-in-time recovery. */
function table(resourceName: string, key: string, deletionProtection: pulumi.Input<boolean>, parent: Parent) {
  return new aws.dynamodb.Table(
    resourceName,
    {
      attributes: [{ name: key, type: "S" }],
      hashKey: key,
      billingMode: "PAY_PER_REQUEST",
      pointInTimeRecovery: { enabled: true },
      serverSideEncryption: { enabled: true },
      deletionProtectionEnabled: deletionProtection,
    },
    parent,
  );
}

/** The two tables, and the topic with its key. */
export function storage(name: string, deletionProtection: pulumi.Input<boolean>, parent: Parent) {
  const ordersTable = table(`${name}-customer-orders`, ORDERS_TABLE_KEY, deletionProtection, parent);
  const inventoryTable = table(`${name}-inventory`, INVENTORY_TABLE_KEY, deletionProtection, parent);
  const topicKey = new aws.kms.Key(
    `${name}-notifications-key`,
    { description: `Encrypts the ${name} order notifications`, enableKeyRotation: true, deletionWindowInDays: 30 },
    parent,
  );
  const topic = new aws.sns.Topic(`${name}-notifications`, { kmsMasterKeyId: topicKey.arn }, parent);
  return { table: ordersTable, inventoryTable, topicKey, topic };
}
