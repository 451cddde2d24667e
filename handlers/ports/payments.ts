/**
 * The payment gateway the Lambdas talk to, and the original workflow's simulation of one. A real provider replaces
 * the simulation by implementing `PaymentGateway` and being chosen in adapters.ts; the handlers and
 * the workflow do not change.
 */

import type { PaymentDetails } from "../contract";
import type { ChargeLedger, LedgerDecision } from "./chargeLedger";
import { randomHex, type RandomFactory } from "./random";

export interface PaymentContext {
  readonly orderId: string;
}

export type Verification =
  { readonly verified: true; readonly token: string } | { readonly verified: false; readonly cause: string };

export interface ChargeOrder {
  /** The gateway charges a key at most once, so a retried charge cannot charge twice. */
  readonly idempotencyKey: string;
  readonly amountMinor: number;
  readonly paymentToken: string;
  readonly customerId: string;
}

export type ChargeOutcome =
  { readonly approved: true; readonly chargeId: string } | { readonly approved: false; readonly cause: string };

export type RefundOutcome =
  | { readonly refunded: true; readonly refundId: string; readonly chargeId: string }
  /** There is no approved charge under the key to refund. */
  | { readonly refunded: false };

export interface PaymentGateway {
  /** Checks the card with the provider and, if it is good, returns a token standing in for it. */
  verify(details: PaymentDetails, ctx: PaymentContext): Promise<Verification>;
  charge(order: ChargeOrder): Promise<ChargeOutcome>;
  /** Refunds the approved charge of `idempotencyKey`, once however often it is asked. */
  refund(idempotencyKey: string): Promise<RefundOutcome>;
}

/** The refund's id for a charge's id: the simulated gateway's refunds are named after their charges. */
const refundIdOf = (chargeId: string): string => chargeId.replace(/^ch_/, "re_");

/** Probabilities, each in [0, 1]: 0 never fails, 1 always fails. */
export interface PaymentFailureRates {
  readonly paymentFailureRate: number;
  readonly chargeFailureRate: number;
}

const DECLINED = "The payment gateway declined the charge.";

/**
 * The simulated gateway of the original workflow: it declines at random, at the configured rates. With a ledger (the local
 * engine's --state-dir), every charge is written to it before it is answered, and a charge repeated
 * with the same idempotency key answers the first result without charging again, as a real
 * provider does; without one (a deployed stack), each call decides afresh, as before.
 */
export class SimulatedPaymentGateway implements PaymentGateway {
  constructor(
    private readonly rates: PaymentFailureRates,
    private readonly random: RandomFactory,
    private readonly ledger?: ChargeLedger,
  ) {}

  async verify(_details: PaymentDetails, ctx: PaymentContext): Promise<Verification> {
    if (this.random(ctx.orderId, "verify").next() < this.rates.paymentFailureRate) {
      return { verified: false, cause: "The payment gateway did not verify the card." };
    }
    return { verified: true, token: `tok_sim_${randomHex(this.random(ctx.orderId, "token"), 24)}` };
  }

  async charge(order: ChargeOrder): Promise<ChargeOutcome> {
    const decide = (): LedgerDecision =>
      this.random(order.idempotencyKey, "charge").next() < this.rates.chargeFailureRate
        ? { approved: false }
        : { approved: true, chargeId: `ch_sim_${randomHex(this.random(order.idempotencyKey, "chargeId"), 24)}` };
    const result =
      this.ledger === undefined
        ? decide()
        : this.ledger.call("charge", order.idempotencyKey, order.amountMinor, decide);
    const chargeId = "chargeId" in result ? result.chargeId : null;
    return result.approved && chargeId !== null ? { approved: true, chargeId } : { approved: false, cause: DECLINED };
  }

  /**
   * Refunds the approved charge of `idempotencyKey`, once (the ledger's idempotency key). With a
   * ledger, only a charge it approved is refunded. Without one (a deployed stack) the gateway keeps no
   * charges, and refunds the charge the key's decision approved (the same one when the run is seeded).
   */
  async refund(idempotencyKey: string): Promise<RefundOutcome> {
    if (this.ledger === undefined) {
      const chargeId = `ch_sim_${randomHex(this.random(idempotencyKey, "chargeId"), 24)}`;
      return { refunded: true, refundId: refundIdOf(chargeId), chargeId };
    }
    const charge = this.ledger.approvedCharge(idempotencyKey);
    if (charge === undefined || charge.chargeId === null) return { refunded: false };
    const chargeId = charge.chargeId;
    this.ledger.call("refund", idempotencyKey, charge.amount, () => ({ approved: true, chargeId }));
    return { refunded: true, refundId: refundIdOf(chargeId), chargeId };
  }
}
