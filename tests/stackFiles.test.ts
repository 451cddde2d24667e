/**
 * The stack files: every key is declared in Pulumi.yaml (or is aws:region), every value is valid
 * for its declared type and for what index.ts accepts, and dev and prod differ as docs/stacks.md says.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { readStackSettings, StackSettings } from "../program/stackConfig";
import { checkThresholds } from "../components/alarms";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

/** The types Pulumi's project schema allows for a config key (it has no `number`). */
const PULUMI_CONFIG_TYPES = ["string", "integer", "boolean", "array", "object"] as const;
type ConfigType = (typeof PULUMI_CONFIG_TYPES)[number];

interface Declared {
  readonly type: unknown;
  readonly default?: unknown;
}

/** Pulumi.yaml's name and config block; checked by the tests rather than here, so a bad file fails a test. */
const project = parse(fs.readFileSync("Pulumi.yaml", "utf8")) as unknown;
const projectName = isRecord(project) && typeof project.name === "string" ? project.name : "";
const declared = new Map<string, Declared>(
  Object.entries(isRecord(project) && isRecord(project.config) ? project.config : {}).map(([key, spec]) => [
    key,
    isRecord(spec) ? { type: spec.type, default: spec.default } : { type: undefined },
  ]),
);

const isConfigType = (type: unknown): type is ConfigType => (PULUMI_CONFIG_TYPES as readonly unknown[]).includes(type);

/** Whether Pulumi accepts `value` (from a stack file or a default) for a key of `type`: its own rules. */
function validForType(type: ConfigType, value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return (
        (typeof value === "number" && Number.isInteger(value)) ||
        (typeof value === "string" && /^[+-]?\d+$/.test(value))
      );
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "array":
      return Array.isArray(value);
    case "object":
      return isRecord(value);
  }
}

/**
 * What index.ts accepts beyond the type (its `pulumi.Config` checks), so that a stack file that
 * `pulumi preview` would reject fails here first.
 */
const rate = (v: string) => /^\d+(\.\d+)?$/.test(v) && Number(v) >= 0 && Number(v) <= 1;
/** The retention periods CloudWatch Logs accepts (PutRetentionPolicy). */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];
const ACCEPTS: Readonly<Record<string, (value: string) => boolean>> = {
  paymentFailureRate: rate,
  stockFailureRate: rate,
  chargeFailureRate: rate,
  workflowType: (v) => ["STANDARD", "EXPRESS"].includes(v),
  logLevel: (v) => ["ALL", "ERROR", "FATAL", "OFF"].includes(v),
  logRetentionDays: (v) => LOG_RETENTION_DAYS.includes(Number(v)),
  tableDeletionProtection: (v) => v === "true" || v === "false",
  inventoryMode: (v) => ["simulated", "table"].includes(v),
  lambdaRuntime: (v) => /^nodejs(2[2-9]|[3-9]\d)\.x$/.test(v),
  lambdaArchitecture: (v) => ["arm64", "x86_64"].includes(v),
  lambdaMemorySize: (v) => Number(v) >= 128 && Number(v) <= 10240,
  alarmsEnabled: (v) => v === "true" || v === "false",
  alarmPeriodSeconds: (v) => Number.isInteger(Number(v)) && Number(v) >= 60,
  alarmEvaluationPeriods: (v) => Number.isInteger(Number(v)) && Number(v) >= 1,
  alarmThresholds: (v) => {
    try {
      checkThresholds(JSON.parse(v));
      return true;
    } catch {
      return false;
    }
  },
};

const stackFiles = fs
  .readdirSync(".")
  .filter((f) => /^Pulumi\.[\w-]+\.yaml$/.test(f))
  .sort();

/** A stack's configuration as the program gets it (the one reader: program/stackConfig.ts; it refuses `secure:` values). */
const settingsOf = (stack: string): StackSettings => readStackSettings(".", stack);
const stackOf = (file: string): string => file.replace(/^Pulumi\.|\.yaml$/g, "");

/** A stack file's own keys ("order-workflow:logLevel", "aws:region") and their values as written. */
function stackConfig(file: string): Record<string, unknown> {
  const settings = settingsOf(stackOf(file));
  assert.equal(settings.stackFile, path.resolve(file));
  const own = Object.entries(settings.written).filter(([, w]) => w.file === settings.stackFile);
  assert.ok(own.length > 0, `${file} has a config block`);
  return Object.fromEntries(own.map(([key, w]) => [key, w.value]));
}

/** A value as the program receives it: strings as they are, anything else as JSON. */
const asText = (value: unknown): string => (typeof value === "string" ? value : JSON.stringify(value));

/** A stack's effective value of a project key, as the program reads it: the stack's, else the default. */
function effective(stack: string, key: string): string {
  const value = settingsOf(stack).config[`${projectName}:${key}`];
  assert.ok(value !== undefined, `${stack}: ${key} has no value`);
  return value;
}

describe("stack configuration", function () {
  it("has a dev and a prod stack file", function () {
    assert.deepEqual(stackFiles, ["Pulumi.dev.yaml", "Pulumi.prod.yaml"]);
  });

  it("declares in Pulumi.yaml keys of types Pulumi knows, whose defaults fit their types and what index.ts accepts", function () {
    assert.equal(projectName, "order-workflow");
    assert.deepEqual([...declared.keys()].sort(), Object.keys(ACCEPTS).sort(), "every declared key has a check here");
    for (const [key, { type, default: value }] of declared) {
      assert.ok(
        isConfigType(type),
        `Pulumi.yaml: ${key} has type ${asText(type)}; Pulumi allows ${PULUMI_CONFIG_TYPES.join(", ")}`,
      );
      if (value === undefined) continue;
      assert.ok(validForType(type, value), `Pulumi.yaml: default of ${key} is not a valid ${type}`);
      assert.ok(
        ACCEPTS[key](asText(value)),
        `Pulumi.yaml: default of ${key} (${asText(value)}) is not accepted by index.ts`,
      );
    }
  });

  for (const file of stackFiles) {
    // No declared key is a secret: a `secure:` value fails stackConfig (the reader refuses it, naming the key and file).
    it(`${file} sets only declared keys (or aws:region), each valid for its type`, function () {
      for (const [key, value] of Object.entries(stackConfig(file))) {
        if (key === "aws:region") {
          assert.match(asText(value), /^[a-z]{2}(-gov)?-[a-z]+-\d$/, `${file}: aws:region`);
          continue;
        }
        const [namespace, name] = key.split(":");
        assert.equal(
          namespace,
          projectName,
          `${file}: ${key} is neither aws:region nor in the ${projectName} namespace`,
        );
        const declaration = declared.get(name);
        assert.ok(declaration, `${file}: ${key} is not declared in Pulumi.yaml`);
        assert.ok(isConfigType(declaration.type), `Pulumi.yaml: ${name} has no valid type`);
        assert.ok(
          validForType(declaration.type, value),
          `${file}: ${key}: ${JSON.stringify(value)} is not a valid ${declaration.type}`,
        );
        assert.ok(
          ACCEPTS[name](asText(value)),
          `${file}: ${key}: ${JSON.stringify(value)} is not accepted by index.ts`,
        );
      }
      assert.ok("aws:region" in stackConfig(file), `${file} sets aws:region`);
    });
  }

  it("dev keeps the default simulated failure rates, so every route of the workflow shows up", function () {
    assert.deepEqual(
      ["paymentFailureRate", "stockFailureRate", "chargeFailureRate"].map((k) => Number(effective("dev", k))),
      [0.25, 0.1, 0.25],
    );
  });

  it("prod simulates no failures, protects the table, keeps logs a year, runs STANDARD and logs errors only", function () {
    for (const key of ["paymentFailureRate", "stockFailureRate", "chargeFailureRate"])
      assert.equal(Number(effective("prod", key)), 0, key);
    assert.equal(effective("prod", "tableDeletionProtection"), "true");
    assert.ok(Number(effective("prod", "logRetentionDays")) >= 365, "logRetentionDays");
    assert.equal(effective("prod", "workflowType"), "STANDARD");
    assert.equal(effective("prod", "logLevel"), "ERROR");
  });
});
