/**
 * The pack's identity and arguments, shared by ../policy/index.ts (which serves it to the Pulumi CLI)
 * and the offline runner (which applies it to a program under mocks).
 */
import { PolicyPackArgs } from "@pulumi/policy";
import { policies } from "./policies";

export const packName = "order-workflow-guardrails";

export const packArgs: PolicyPackArgs = {
  description:
    "Least-privilege IAM and hardening for the order workflow: Lambda, DynamoDB, SNS and Step Functions " +
    "settings, and grants confined to the stack's own resources.",
  // Every policy states its own level; this default only covers a policy that forgets to.
  enforcementLevel: "mandatory",
  policies,
};
