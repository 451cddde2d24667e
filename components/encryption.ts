/**
 * The customer managed key that encrypts the state machine's definition and execution history
 * (execution input holds card details, kept in the history for 90 days), and its key policy.
 *
 * The key policy names the state machine's ARN (the encryption-context condition), so it is a
 * resource of its own, created once the state machine exists; until then the key has KMS's default
 * policy (the account administers it), under which Pulumi creates the state machine.
 */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { KeyAccount, executionKeyPolicy } from "./operationsPolicies";

/** Seconds Step Functions reuses a data key before it asks KMS for a new one (60 to 900). */
export const DATA_KEY_REUSE_SECONDS = 300;

export function executionDataKey(name: string, parent: { readonly parent: pulumi.Resource }): aws.kms.Key {
  return new aws.kms.Key(
    `${name}-execution-data-key`,
    {
      description: `Encrypts the ${name} state machine's definition and execution history`,
      enableKeyRotation: true,
      deletionWindowInDays: 30,
    },
    parent,
  );
}

/** The state machine's encryptionConfiguration with the stack's key. */
export function encryptionConfiguration(key: aws.kms.Key): aws.types.input.sfn.StateMachineEncryptionConfiguration {
  return { type: "CUSTOMER_MANAGED_KMS_KEY", kmsKeyId: key.arn, kmsDataKeyReusePeriodSeconds: DATA_KEY_REUSE_SECONDS };
}

export function executionKeyPolicyResource(
  name: string,
  key: aws.kms.Key,
  grants: {
    readonly stateMachineArn: pulumi.Output<string>;
    readonly stateMachineRoleArn: pulumi.Output<string>;
    readonly account: pulumi.Output<KeyAccount>;
  },
  parent: { readonly parent: pulumi.Resource },
): aws.kms.KeyPolicy {
  return new aws.kms.KeyPolicy(
    `${name}-execution-data-key-policy`,
    {
      keyId: key.id,
      policy: pulumi
        .all([grants.account, grants.stateMachineArn, grants.stateMachineRoleArn])
        .apply(([account, stateMachineArn, stateMachineRoleArn]) =>
          JSON.stringify(executionKeyPolicy({ ...account, stateMachineArn, stateMachineRoleArn })),
        ),
    },
    parent,
  );
}
