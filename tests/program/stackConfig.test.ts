/** The one stack-config reader: Pulumi.yaml's defaults, the stack file on top, secrets and missing files refused. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { readStackSettings, SECRET_PLACEHOLDER, StackConfigError } from "../../program/stackConfig";

const PROJECT = `name: shop
runtime: nodejs
config:
  rate:
    type: string
    default: "0.5"
  retentionDays:
    type: integer
    default: 30
  protect:
    type: boolean
    default: true
  region-less:
    type: string
  aws:region:
    value: eu-west-1
`;

describe("readStackSettings", function () {
  let dir: string;
  const write = (file: string, text: string): void => fs.writeFileSync(path.join(dir, file), text);

  beforeEach(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "stack-config-"));
    write("Pulumi.yaml", PROJECT);
  });

  afterEach(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("gives a stack Pulumi.yaml's defaults and values, as strings the way the CLI hands them over", function () {
    write("Pulumi.dev.yaml", "config: {}\n");
    const settings = readStackSettings(dir, "dev");
    assert.equal(settings.project, "shop");
    assert.deepEqual(settings.config, {
      "shop:rate": "0.5",
      "shop:retentionDays": "30",
      "shop:protect": "true",
      "aws:region": "eu-west-1",
    });
    assert.deepEqual(settings.written["shop:retentionDays"], { value: 30, file: path.join(dir, "Pulumi.yaml") });
    assert.equal(settings.stackFile, path.join(dir, "Pulumi.dev.yaml"));
  });

  it("lets the stack file override a default and add keys, and finds Pulumi.yaml above the program's folder", function () {
    write(
      "Pulumi.prod.yaml",
      'config:\n  shop:rate: "0"\n  shop:protect: false\n  aws:region: us-east-2\n  shop:tags:\n    team: orders\n',
    );
    fs.mkdirSync(path.join(dir, "src"));
    const settings = readStackSettings(path.join(dir, "src"), "prod");
    assert.deepEqual(settings.config, {
      "shop:rate": "0",
      "shop:retentionDays": "30",
      "shop:protect": "false",
      "aws:region": "us-east-2",
      "shop:tags": '{"team":"orders"}',
    });
    assert.deepEqual(settings.written["shop:protect"], { value: false, file: path.join(dir, "Pulumi.prod.yaml") });
  });

  it("reads stack files from Pulumi.yaml's stackConfigDir", function () {
    write("Pulumi.yaml", `${PROJECT}stackConfigDir: stacks\n`);
    fs.mkdirSync(path.join(dir, "stacks"));
    write("stacks/Pulumi.dev.yaml", 'config:\n  shop:rate: "0.1"\n');
    assert.equal(readStackSettings(dir, "dev").config["shop:rate"], "0.1");
  });

  it("refuses a secure: value, naming the key and the file", function () {
    write("Pulumi.dev.yaml", "config:\n  shop:apiKey:\n    secure: v1:abc:def\n");
    assert.throws(
      () => readStackSettings(dir, "dev"),
      (e: Error) =>
        e instanceof StackConfigError &&
        e.message.startsWith(
          `${path.join(dir, "Pulumi.dev.yaml")}: shop:apiKey is a secret (secure:), which only the Pulumi CLI can decrypt`,
        ),
    );
  });

  it("hands a secure: value over as a placeholder, marked secret, only when asked to", function () {
    write("Pulumi.dev.yaml", "config:\n  shop:apiKey:\n    secure: v1:abc:def\n");
    const settings = readStackSettings(dir, "dev", { secrets: "placeholder" });
    assert.equal(settings.config["shop:apiKey"], SECRET_PLACEHOLDER);
    assert.deepEqual(settings.secretKeys, ["shop:apiKey"]);
  });

  it("refuses a stack without its file, naming the file; with requireStackFile false it has the defaults only", function () {
    const missing = path.join(dir, "Pulumi.prdo.yaml");
    assert.throws(
      () => readStackSettings(dir, "prdo"),
      (e: Error) => e instanceof StackConfigError && e.message.startsWith(`${missing} does not exist`),
    );
    const settings = readStackSettings(dir, "prdo", { requireStackFile: false });
    assert.equal(settings.stackFile, undefined);
    assert.equal(settings.config["shop:rate"], "0.5");
  });

  it("says which file is not YAML, or has a config that is not a mapping", function () {
    write("Pulumi.dev.yaml", "config: [1, 2]\n");
    assert.throws(
      () => readStackSettings(dir, "dev"),
      new StackConfigError(`${path.join(dir, "Pulumi.dev.yaml")}: config must be a mapping of keys to values`),
    );
    write("Pulumi.dev.yaml", "config: {\n");
    assert.throws(
      () => readStackSettings(dir, "dev"),
      (e: Error) => e instanceof StackConfigError && e.message.startsWith(path.join(dir, "Pulumi.dev.yaml")),
    );
  });

  it("gives a folder outside any project no config and the project name Pulumi uses without one", function () {
    fs.rmSync(path.join(dir, "Pulumi.yaml"));
    const settings = readStackSettings(dir, "dev");
    assert.deepEqual([settings.project, settings.config, settings.projectFile], ["project", {}, undefined]);
  });
});
