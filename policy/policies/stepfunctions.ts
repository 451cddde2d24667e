/**
 * Step Functions: every execution is logged without its payload (which holds card details before
 * the payment step masks them) and traced.
 */
import * as aws from "@pulumi/aws";
import { ResourceValidationPolicy, validateResourceOfType } from "@pulumi/policy";

export const stepFunctionsLogging: ResourceValidationPolicy = {
  name: "stepfunctions-logging",
  description:
    "Every state machine logs to CloudWatch (level ALL, ERROR or FATAL, with a log destination) and " +
    "excludes execution data: inputs and outputs carry payment details that must not reach the logs.",
  remediationSteps:
    'Set `loggingConfiguration: { level: "ALL", includeExecutionData: false, logDestination: ' +
    "pulumi.interpolate`${logGroup.arn}:*` }` and give the role the `logs:*LogDelivery*` actions.",
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.sfn.StateMachine, (machine, _args, reportViolation) => {
    const logging = machine.loggingConfiguration;
    const level = logging?.level ?? "OFF";
    if (level === "OFF") {
      reportViolation('Logging is off. Set loggingConfiguration with level "ALL" (or "ERROR") and a logDestination.');
      return;
    }
    if (!logging?.logDestination) {
      reportViolation(`Logging level is ${level} but there is no logDestination. Set it to \`\${logGroup.arn}:*\`.`);
    }
    if (logging?.includeExecutionData === true) {
      reportViolation(
        "Logs include execution data (inputs and outputs, i.e. card details). Set includeExecutionData: false.",
      );
    }
  }),
};

export const stepFunctionsTracing: ResourceValidationPolicy = {
  name: "stepfunctions-tracing",
  description:
    "Every state machine has X-Ray tracing enabled, so an order can be followed from the workflow into each function.",
  remediationSteps:
    "Set `tracingConfiguration: { enabled: true }` and grant the role `xray:PutTraceSegments`, " +
    '`xray:PutTelemetryRecords`, `xray:GetSamplingRules` and `xray:GetSamplingTargets` (on "*").',
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.sfn.StateMachine, (machine, _args, reportViolation) => {
    if (machine.tracingConfiguration?.enabled !== true) {
      reportViolation("X-Ray tracing is off. Set tracingConfiguration: { enabled: true }.");
    }
  }),
};

export const stepFunctionsPolicies = [stepFunctionsLogging, stepFunctionsTracing];
