/**
 * The quota model (docs/scale.md): for a given order rate, what each default AWS quota allows,
 * what one order uses of it (from the bench's per-order figures), the order rate at which it binds,
 * and the change that lifts it. Pure: the bench feeds it its measured per-order usage.
 *
 * The quotas are AWS's defaults in us-east-1, us-west-2 and eu-west-1 (other Regions have lower
 * Step Functions, SNS and KMS defaults); each row names its source.
 */

export type WorkflowKind = "STANDARD" | "EXPRESS";

/** What one order uses, measured by the bench on the success path (scripts/bench/transitions.ts). */
export interface OrderUsage {
  readonly transitions: number;
  readonly lambdaInvocations: number;
  readonly snsPublishes: number;
}

/** What the bench cannot measure here and states instead. */
export interface Assumptions {
  /** Mean duration of one Lambda invocation on AWS (with its DynamoDB call), in ms. */
  readonly lambdaMsPerInvocation: number;
  /** Writes per order on the hottest single item (a best-selling item's stock, decremented once per order). */
  readonly hotItemWritesPerOrder: number;
  /** KMS requests per order: at most one per execution (Step Functions reuses data keys) plus one per publish to the encrypted topic. */
  readonly kmsRequestsPerExecution: number;
}

export const DEFAULT_ASSUMPTIONS: Assumptions = {
  lambdaMsPerInvocation: 100,
  hotItemWritesPerOrder: 1,
  kmsRequestsPerExecution: 1,
};

export interface Quota {
  readonly key: string;
  readonly name: string;
  /** The default: per second, or (Lambda) concurrent executions. */
  readonly limit: number;
  readonly unit: string;
  readonly appliesTo: readonly WorkflowKind[];
  readonly source: string;
  readonly lift: string;
  /** How much of the quota one order per second uses. */
  readonly perOrder: (usage: OrderUsage, a: Assumptions) => number;
}

const SFN_QUOTAS =
  "Step Functions developer guide, Quotas (limits-overview): API action and state throttling, us-east-1/us-west-2/eu-west-1";

export const QUOTAS: readonly Quota[] = [
  {
    key: "standardStartExecution",
    name: "StartExecution (STANDARD)",
    limit: 300,
    unit: "calls/s refill (bucket 1,300)",
    appliesTo: ["STANDARD"],
    source: SFN_QUOTAS,
    lift: "request a StartExecution quota increase (Service Quotas), or batch orders per execution",
    perOrder: () => 1,
  },
  {
    key: "standardStateTransitions",
    name: "State transitions (STANDARD)",
    limit: 1500,
    unit: "transitions/s refill (bucket 5,000)",
    appliesTo: ["STANDARD"],
    source: SFN_QUOTAS,
    lift: "request a StateTransition quota increase, or run EXPRESS (no transition quota)",
    perOrder: (u) => u.transitions,
  },
  {
    key: "expressStartExecution",
    name: "StartExecution (EXPRESS)",
    limit: 6000,
    unit: "calls/s refill (bucket 6,000)",
    appliesTo: ["EXPRESS"],
    source: SFN_QUOTAS,
    lift: "request a StartExecution (Express) quota increase",
    perOrder: () => 1,
  },
  {
    key: "lambdaConcurrency",
    name: "Lambda concurrent executions",
    limit: 1000,
    unit: "concurrent executions per account and Region",
    appliesTo: ["STANDARD", "EXPRESS"],
    source: "Lambda developer guide, Lambda quotas: concurrent executions 1,000 (adjustable)",
    lift: "request a concurrency increase; shorten invocations (memory, fewer calls per order)",
    perOrder: (u, a) => (u.lambdaInvocations * a.lambdaMsPerInvocation) / 1000,
  },
  {
    key: "dynamodbHotItem",
    name: "DynamoDB writes on one hot item",
    limit: 1000,
    unit: "write units/s per partition (an item lives in one)",
    appliesTo: ["STANDARD", "EXPRESS"],
    source:
      "DynamoDB developer guide, warm throughput scenarios: each partition is limited to 1,000 write units per second",
    lift: "no quota raises it: shard the hot item's counter (N items, one chosen per order) or reserve stock in batches",
    perOrder: (_u, a) => a.hotItemWritesPerOrder,
  },
  {
    key: "snsPublish",
    name: "SNS Publish",
    limit: 30000,
    unit: "messages/s (us-east-1; 9,000 in us-west-2 and eu-west-1)",
    appliesTo: ["STANDARD", "EXPRESS"],
    source: "AWS General Reference, Amazon SNS endpoints and quotas: Publish API throughput",
    lift: "request a Publish quota increase, or PublishBatch (10 messages a call)",
    perOrder: (u) => u.snsPublishes,
  },
  {
    key: "kmsRequests",
    name: "KMS cryptographic requests (symmetric, shared)",
    limit: 50000,
    unit: "requests/s (us-east-1, us-west-2, eu-west-1)",
    appliesTo: ["STANDARD", "EXPRESS"],
    source: "KMS developer guide, Request quotas: cryptographic operations (symmetric) request rate",
    lift: "request a KMS quota increase; a longer kmsDataKeyReusePeriodSeconds (up to 900) cuts Step Functions' calls",
    perOrder: (u, a) => a.kmsRequestsPerExecution + u.snsPublishes,
  },
];

export interface QuotaRow {
  readonly key: string;
  readonly name: string;
  readonly limit: number;
  readonly unit: string;
  readonly perOrder: number;
  readonly demandAtRate: number;
  /** Orders per second at which the quota binds. */
  readonly bindsAtOrdersPerSecond: number;
  /** Share of the quota used at the given rate (1 = at the quota). */
  readonly utilisation: number;
  readonly appliesTo: readonly WorkflowKind[];
  readonly source: string;
  readonly lift: string;
}

export interface QuotaModel {
  readonly ordersPerSecond: number;
  readonly usage: OrderUsage;
  readonly assumptions: Assumptions;
  readonly rows: QuotaRow[];
  /** The first quota to bind for each workflow type, and whether the given rate exceeds it. */
  readonly binding: Record<
    WorkflowKind,
    { readonly key: string; readonly bindsAtOrdersPerSecond: number; readonly exceeded: boolean }
  >;
}

const round = (n: number, digits = 2): number => Math.round(n * 10 ** digits) / 10 ** digits;

export function quotaModel(
  ordersPerSecond: number,
  usage: OrderUsage,
  assumptions: Assumptions = DEFAULT_ASSUMPTIONS,
): QuotaModel {
  if (!(ordersPerSecond > 0)) throw new Error(`orders per second must be more than 0 (got ${ordersPerSecond})`);
  const rows = QUOTAS.map((q): QuotaRow => {
    const perOrder = q.perOrder(usage, assumptions);
    return {
      key: q.key,
      name: q.name,
      limit: q.limit,
      unit: q.unit,
      perOrder: round(perOrder, 3),
      demandAtRate: round(perOrder * ordersPerSecond),
      bindsAtOrdersPerSecond: round(q.limit / perOrder),
      utilisation: round((perOrder * ordersPerSecond) / q.limit, 3),
      appliesTo: q.appliesTo,
      source: q.source,
      lift: q.lift,
    };
  });
  const bindingFor = (kind: WorkflowKind) => {
    const first = rows
      .filter((r) => r.appliesTo.includes(kind))
      .reduce((a, b) => (b.bindsAtOrdersPerSecond < a.bindsAtOrdersPerSecond ? b : a));
    return {
      key: first.key,
      bindsAtOrdersPerSecond: first.bindsAtOrdersPerSecond,
      exceeded: ordersPerSecond > first.bindsAtOrdersPerSecond,
    };
  };
  return {
    ordersPerSecond,
    usage,
    assumptions,
    rows,
    binding: { STANDARD: bindingFor("STANDARD"), EXPRESS: bindingFor("EXPRESS") },
  };
}
