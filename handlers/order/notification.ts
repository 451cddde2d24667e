/** The SNS message of a charged order. (The state machine composes the failure messages itself.) */

import type { Notification } from "../contract";
import { formatMinor, minorToMajor } from "./money";

export interface ChargedOrder {
  readonly orderId: string;
  readonly customerId: string;
  readonly amountMinor: number;
}

export function buildNotification(order: ChargedOrder): Notification {
  return {
    orderId: order.orderId,
    state: "PROCESSED",
    customerId: order.customerId,
    orderTotal: minorToMajor(order.amountMinor),
    message: `Order ${order.orderId} for customer ${order.customerId} was charged ${formatMinor(order.amountMinor)} and recorded.`,
  };
}
