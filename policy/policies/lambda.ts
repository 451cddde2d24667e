/**
 * Lambda: a runtime AWS still patches, traces, logs that expire, no secrets in plain sight, and a
 * role per function so that each one's permissions can be read on their own.
 */
import * as aws from "@pulumi/aws";
import {
  PolicyResource,
  ResourceValidationPolicy,
  StackValidationPolicy,
  validateResourceOfType,
} from "@pulumi/policy";
import { secretFinding, snake } from "../lib/secrets";
import { StackIndex, stringProp } from "../lib/stack";

const FUNCTION = "aws:lambda/function:Function";

export const lambdaSupportedRuntime: ResourceValidationPolicy = {
  name: "lambda-supported-runtime",
  description:
    "Every zip-packaged function runs on a supported runtime: Node.js 22 or newer today " +
    "(`nodejs22.x`, `nodejs24.x`, ...). Deprecated runtimes stop getting security patches.",
  remediationSteps:
    "Set `runtime: aws.lambda.Runtime.NodeJS22dX` (or newer). Raise `minimumNodejsMajorVersion` in this " +
    "policy's config as runtimes are deprecated; list other languages' runtimes in `allowedRuntimes`.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      minimumNodejsMajorVersion: { type: "integer", default: 22, description: "Oldest Node.js major version allowed." },
      allowedRuntimes: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: 'Further runtimes allowed, e.g. "python3.13".',
      },
    },
  },
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
    if (fn.packageType === "Image") {
      return;
    }
    const config = args.getConfig<{ minimumNodejsMajorVersion?: number; allowedRuntimes?: string[] }>();
    const minimum = config.minimumNodejsMajorVersion ?? 22;
    const runtime = fn.runtime === undefined ? undefined : String(fn.runtime);
    const node = runtime === undefined ? null : /^nodejs(\d+)\.x$/.exec(runtime);
    if (
      runtime !== undefined &&
      ((node && Number(node[1]) >= minimum) || (config.allowedRuntimes ?? []).includes(runtime))
    ) {
      return;
    }
    reportViolation(
      `Function runs on ${runtime === undefined ? "no declared runtime" : `"${runtime}"`}; ` +
        `allowed are nodejs${minimum}.x or newer${(config.allowedRuntimes ?? []).length > 0 ? ` and ${(config.allowedRuntimes ?? []).join(", ")}` : ""}. ` +
        `Set runtime: "nodejs${minimum}.x" or newer.`,
    );
  }),
};

export const lambdaTracingActive: ResourceValidationPolicy = {
  name: "lambda-tracing-active",
  description: "Every function has X-Ray tracing Active, so one execution can be followed through the workflow.",
  remediationSteps:
    'Set `tracingConfig: { mode: "Active" }` and grant the role `xray:PutTraceSegments` and ' +
    '`xray:PutTelemetryRecords` (on "*": they have no resource type).',
  enforcementLevel: "mandatory",
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, _args, reportViolation) => {
    const mode = fn.tracingConfig?.mode;
    if (mode !== "Active") {
      reportViolation(
        `Function tracing mode is ${mode === undefined ? "not set (PassThrough)" : `"${mode}"`}. Set tracingConfig: { mode: "Active" }.`,
      );
    }
  }),
};

export const lambdaLogGroupRetention: StackValidationPolicy = {
  name: "lambda-log-group-retention",
  description:
    "Every function writes to a log group of this stack that has a retention period: the group named in " +
    "`loggingConfig.logGroup`, or else `/aws/lambda/<function name>`. A group Lambda creates by itself " +
    "keeps logs, and their cost, forever and is left behind when the stack is destroyed.",
  remediationSteps:
    "Declare an `aws.cloudwatch.LogGroup` with `retentionInDays` (e.g. 14) and set the function's " +
    '`loggingConfig: { logFormat: "JSON", logGroup: logGroup.name }`.',
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const stack = new StackIndex(args.resources);
    const groups = stack.ofType("aws:cloudwatch/logGroup:LogGroup");
    for (const fn of stack.ofType(FUNCTION)) {
      const props = fn.asType(aws.lambda.Function);
      const groupName = props?.loggingConfig?.logGroup || `/aws/lambda/${props?.name ?? fn.name}`;
      const group = groups.find((g) => stringProp(g, "name") === groupName);
      if (group === undefined) {
        reportViolation(
          `Function ${fn.name} logs to "${groupName}", which is not a log group of this stack, so Lambda ` +
            "creates it with no retention. Declare the log group with retentionInDays and name it in loggingConfig.logGroup.",
          fn.urn,
        );
        continue;
      }
      const retention = group.asType(aws.cloudwatch.LogGroup)?.retentionInDays;
      if (!retention || retention <= 0) {
        reportViolation(
          `Function ${fn.name} logs to log group ${group.name} ("${groupName}"), which keeps logs forever. ` +
            "Set retentionInDays on the log group.",
          fn.urn,
        );
      }
    }
  },
};

export const lambdaNoSecretEnvironment: ResourceValidationPolicy = {
  name: "lambda-no-secret-environment",
  description:
    "No function environment variable looks like a secret, by its name (PASSWORD, TOKEN, API_KEY, ...) or " +
    "its value (access keys, private keys, Stripe `sk_`/`rk_` keys, connection strings with a password, long " +
    "high-entropy tokens). A variable holding an ARN (`..._SECRET_ARN`) is a reference and passes. Environment " +
    "variables are shown to anyone who may read the function's configuration and are stored in the Pulumi state.",
  remediationSteps:
    "Keep the secret in Secrets Manager or an SSM SecureString, pass its ARN or name (e.g. `API_KEY_SECRET_ARN`) " +
    "and read it at run time. A variable wrongly flagged can be listed in `allowedVariables`.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowedVariables: {
        type: "array",
        items: { type: "string" },
        default: [],
        description: "Variable names accepted although they look secret.",
      },
    },
  },
  validateResource: validateResourceOfType(aws.lambda.Function, (fn, args, reportViolation) => {
    const allowed = new Set(args.getConfig<{ allowedVariables?: string[] }>().allowedVariables ?? []);
    for (const [name, value] of Object.entries(fn.environment?.variables ?? {})) {
      const finding = allowed.has(name) ? undefined : secretFinding(name, String(value));
      if (finding !== undefined) {
        reportViolation(
          `Environment variable ${name} ${finding}. Keep the value in Secrets Manager or SSM ` +
            `and pass a reference (e.g. ${snake(name)}_SECRET_ARN) instead.`,
        );
      }
    }
  }),
};

export const lambdaDedicatedRole: StackValidationPolicy = {
  name: "lambda-dedicated-role",
  description:
    "Every function has a role of its own, used by no other function or state machine, so each one gets " +
    "only the permissions it needs and a reviewer can read them in one place.",
  remediationSteps:
    "Create one `aws.iam.Role` per function (named after it) and grant each only what that function calls.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const stack = new StackIndex(args.resources);
    const users = new Map<string, PolicyResource[]>();
    for (const r of [...stack.ofType(FUNCTION), ...stack.ofType("aws:sfn/stateMachine:StateMachine")]) {
      const role = stringProp(r, r.type === FUNCTION ? "role" : "roleArn");
      if (role !== undefined) {
        users.set(role, [...(users.get(role) ?? []), r]);
      }
    }
    for (const fn of stack.ofType(FUNCTION)) {
      const role = stringProp(fn, "role");
      const sharing = (users.get(role ?? "") ?? []).filter((r) => r.urn !== fn.urn);
      if (role !== undefined && sharing.length > 0) {
        reportViolation(
          `Function ${fn.name} shares its role ${role} with ${sharing.map((r) => r.name).join(", ")}. ` +
            "Give each function a role of its own.",
          fn.urn,
        );
      }
    }
  },
};

export const lambdaPolicies = [
  lambdaSupportedRuntime,
  lambdaTracingActive,
  lambdaLogGroupRetention,
  lambdaNoSecretEnvironment,
  lambdaDedicatedRole,
];
