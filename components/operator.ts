/**
 * The managed policies a person (or CI) attaches to read and run this workflow: the operator's
 * (`npm run redrive`) and the deployed runner's (`npm run order`). Neither is attached to any role
 * here: attach the one you need to your own role or group.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { operatorPolicy, runnerPolicy } from "./operationsPolicies";

export interface AccessTargets {
  readonly stateMachineArn: pulumi.Output<string>;
  readonly aliasArn: pulumi.Output<string>;
  readonly tableArn: pulumi.Output<string>;
  readonly executionKeyArn: pulumi.Output<string>;
}

export interface Access {
  readonly operatorPolicy: aws.iam.Policy;
  readonly runnerPolicy: aws.iam.Policy;
}

export function accessPolicies(name: string, t: AccessTargets, parent: { readonly parent: pulumi.Resource }): Access {
  const operator = new aws.iam.Policy(
    `${name}-operator`,
    {
      description: `Lists, reads and redrives the executions of the ${name} state machine (npm run redrive)`,
      policy: pulumi
        .all([t.stateMachineArn, t.executionKeyArn])
        .apply(([stateMachineArn, executionKeyArn]) =>
          JSON.stringify(operatorPolicy({ stateMachineArn, executionKeyArn })),
        ),
    },
    parent,
  );
  const runner = new aws.iam.Policy(
    `${name}-runner`,
    {
      description: `Starts executions of the ${name} state machine through its live alias and reads them (npm run order)`,
      policy: pulumi
        .all([t.stateMachineArn, t.executionKeyArn, t.aliasArn, t.tableArn])
        .apply(([stateMachineArn, executionKeyArn, aliasArn, tableArn]) =>
          JSON.stringify(runnerPolicy({ stateMachineArn, executionKeyArn, aliasArn, tableArn })),
        ),
    },
    parent,
  );
  return { operatorPolicy: operator, runnerPolicy: runner };
}
