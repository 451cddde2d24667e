/**
 * The payment gateway the Lambdas talk to, and the seed's simulation of one. A real provider replaces
 * the simulation by implementing `PaymentGateway` and being chosen in adapters.ts; the handlers and
 * the workflow do not change.
 */

import type { PaymentDetails } from "../contract";
import { randomHex, type RandomFactory } from "./random";

export interface PaymentContext {
  readonly orderId: string;
}

export type Verification =
  | { readonly verified: true; readonly token: string }
  | { readonly verified: false; readonly cause: string };

export interface ChargeOrder {
  /** The gateway charges a key at most once, so a retried charge cannot charge twice. */
  readonly idempotencyKey: string;
  readonly amountMinor: number;
  readonly paymentToken: string;
  readonly customerId: string;
}

export type ChargeOutcome =
  | { readonly approved: true; readonly chargeId: string }
  | { readonly approved: false; readonly cause: string };

export interface PaymentGateway {
  /** Checks the card with the provider and, if it is good, returns a token standing in for it. */
  verify(details: PaymentDetails, ctx: PaymentContext): Promise<Verification>;
  charge(order: ChargeOrder): Promise<ChargeOutcome>;
}

/** Probabilities, each in [0, 1]: 0 never fails, 1 always fails. */
export interface PaymentFailureRates {
  readonly paymentFailureRate: number;
  readonly chargeFailureRate: number;
}

/** The seed's gateway: it declines at random, at the configured rates. */
export class SimulatedPaymentGateway implements PaymentGateway {
  constructor(
    private readonly rates: PaymentFailureRates,
    private readonly random: RandomFactory,
  ) {}

  async verify(_details: PaymentDetails, ctx: PaymentContext): Promise<Verification> {
    if (this.random(ctx.orderId, "verify").next() < this.rates.paymentFailureRate) {
      return { verified: false, cause: "the payment gateway did not verify the card" };
    }
    return { verified: true, token: `tok_sim_${randomHex(this.random(ctx.orderId, "token"), 24)}` };
  }

  async charge(order: ChargeOrder): Promise<ChargeOutcome> {
    if (this.random(order.idempotencyKey, "charge").next() < this.rates.chargeFailureRate) {
      return { approved: false, cause: "the payment gateway declined the charge" };
    }
    return { approved: true, chargeId: `ch_sim_${randomHex(this.random(order.idempotencyKey, "chargeId"), 24)}` };
  }
}
