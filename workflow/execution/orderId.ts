/**
 * The order id an execution reports. The workflow's Lambdas resolve it by their own rule
 * (handlers/order/validation.ts `resolveOrderId`: a valid `orderId`, else the execution's name) and
 * the notification carries what they resolved; a report takes the notification's word, and the
 * Lambdas' rule when nothing was notified.
 */
import { resolveOrderId } from "../../handlers/order/validation";

/** The id of the order `input` run as `executionName`, which published `notifications` (message bodies). */
export function reportedOrderId(input: unknown, executionName: string, notifications: readonly unknown[]): string {
  for (const message of notifications) {
    const id = typeof message === "object" && message !== null ? (message as { orderId?: unknown }).orderId : undefined;
    if (typeof id === "string") return id;
  }
  return resolveOrderId(input, executionName);
}
