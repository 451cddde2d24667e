/**
 * Every policy of the pack, in the order the README lists them. Importing this module starts
 * nothing, so tests and the offline runner use it; only ../index.ts constructs the PolicyPack.
 */
import { Policies } from "@pulumi/policy";
import { dynamodbPolicies } from "./dynamodb";
import { iamPolicies } from "./iam";
import { lambdaPolicies } from "./lambda";
import { principalPolicies } from "./principals";
import { resourcePolicyPolicies } from "./resourcePolicies";
import { operationsPolicies } from "./operations";
import { snsPolicies } from "./sns";
import { stackPolicies } from "./stack";
import { stepFunctionsPolicies } from "./stepfunctions";

export const policies: Policies = [
  ...iamPolicies,
  ...lambdaPolicies,
  ...dynamodbPolicies,
  ...snsPolicies,
  ...stepFunctionsPolicies,
  ...stackPolicies,
  ...resourcePolicyPolicies,
  ...principalPolicies,
  ...operationsPolicies,
];
