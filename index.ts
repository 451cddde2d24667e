/** The Pulumi program: one OrderWorkflow per stack, configured from the stack's settings, and its outputs. */
import * as pulumi from "@pulumi/pulumi";
import { checkThresholds } from "./components/alarms";
import { OrderWorkflow } from "./components/orderWorkflow";
import { NO_FAILURES, mapRates } from "./handlers/ports/config";

const config = new pulumi.Config();

const workflow = new OrderWorkflow("orders", {
  // Each rate from its key (paymentFailureRate, stockFailureRate, chargeFailureRate); unset, no failure.
  simulatedFailureRates: mapRates(
    NO_FAILURES,
    (none, key) => config.getNumber(`${key}FailureRate`, { min: 0, max: 1 }) ?? none,
  ),
  workflowType: config.get<"STANDARD" | "EXPRESS">("workflowType", { allowedValues: ["STANDARD", "EXPRESS"] }),
  logLevel: config.get<"ALL" | "ERROR" | "FATAL" | "OFF">("logLevel", {
    allowedValues: ["ALL", "ERROR", "FATAL", "OFF"],
  }),
  logRetentionDays: config.getNumber("logRetentionDays", { min: 1 }),
  tableDeletionProtection: config.getBoolean("tableDeletionProtection"),
  inventoryMode: config.get<"simulated" | "table">("inventoryMode", { allowedValues: ["simulated", "table"] }),
  lambdaRuntime: config.get("lambdaRuntime", { pattern: /^nodejs(2[2-9]|[3-9]\d)\.x$/ }),
  lambdaArchitecture: config.get("lambdaArchitecture", { allowedValues: ["arm64", "x86_64"] }),
  lambdaMemorySize: config.getNumber("lambdaMemorySize", { min: 128, max: 10240 }),
  alarms: {
    enabled: config.getBoolean("alarmsEnabled"),
    periodSeconds: config.getNumber("alarmPeriodSeconds", { min: 60 }),
    evaluationPeriods: config.getNumber("alarmEvaluationPeriods", { min: 1 }),
    thresholds: checkThresholds(config.getObject<unknown>("alarmThresholds")),
  },
});

export const stateMachineArn = workflow.stateMachineArn;
export const stateMachineConsoleUrl = workflow.consoleUrl;
export const tableName = workflow.tableName;
export const inventoryTableName = workflow.inventoryTableName;
export const topicArn = workflow.topicArn;
export const functionNames = workflow.functionNames;
export const stateMachineLogGroupName = workflow.stateMachineLogGroupName;
export const stateMachineAliasArn = workflow.aliasArn;
export const alarmTopicArn = workflow.alarmTopicArn;
export const deadLetterQueueUrl = workflow.deadLetterQueueUrl;
export const operatorPolicyArn = workflow.operatorPolicyArn;
export const runnerPolicyArn = workflow.runnerPolicyArn;
export const dashboardName = workflow.dashboardName;
