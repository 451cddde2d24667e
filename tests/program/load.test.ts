/** The one offline Pulumi loader: module and callback programs, outputs, parents, IDs, archives, config. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { ArchiveError, archiveFiles } from "../../program/archives";
import { LoadedProgram, loadProgram, POLICY_CHECK, ProgramLoadError, RecordedResource } from "../../program/load";

const ROOT = path.resolve(__dirname, "..", "..");

/** A component with one child, constructed directly by a callback program. */
class Bucketed extends pulumi.ComponentResource {
  readonly topic: aws.sns.Topic;
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("test:index:Bucketed", name, {}, opts);
    this.topic = new aws.sns.Topic(`${name}-topic`, {}, { parent: this });
    this.registerOutputs({});
  }
}

function only(program: LoadedProgram, type: string): RecordedResource {
  const found = program.resources.filter((r) => r.type === type);
  assert.equal(found.length, 1, `expected one ${type}, found ${found.length}`);
  return found[0];
}

describe("loadProgram", function () {
  this.timeout(60_000);

  describe("a callback program", function () {
    let dir: string;

    before(function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "load-program-"));
      fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        "name: shop\nruntime: nodejs\nconfig:\n  size:\n    type: integer\n    default: 3\n",
      );
      fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  aws:region: eu-west-1\n");
    });

    after(function () {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("records what it constructs under the Stack, with IDs, mocked outputs and parents, and resolves what it returns", async function () {
      let size: number | undefined;
      const program = await loadProgram({
        projectDir: dir,
        program: () => {
          size = new pulumi.Config().requireNumber("size");
          const component = new Bucketed("orders");
          return { topicArn: component.topic.arn, nested: { name: component.topic.name, plain: 1 } };
        },
      });
      assert.equal(size, 3, "Pulumi.yaml's default reaches the program");
      assert.deepEqual(
        program.resources.map((r) => r.type),
        ["pulumi:pulumi:Stack", "test:index:Bucketed", "aws:sns/topic:Topic"],
      );
      const [stack, component, topic] = program.resources;
      assert.equal(stack.urn, "urn:pulumi:dev::shop::pulumi:pulumi:Stack::shop-dev");
      assert.equal(component.parent, stack.urn);
      assert.equal(component.urn, "urn:pulumi:dev::shop::test:index:Bucketed::orders");
      assert.equal(topic.parent, component.urn);
      assert.equal(topic.urn, "urn:pulumi:dev::shop::test:index:Bucketed$aws:sns/topic:Topic::orders-topic");
      assert.equal(component.id, undefined);
      assert.equal(topic.id, topic.outputs.arn, "an SNS topic's ID is its ARN");
      assert.match(String(topic.outputs.arn), /^arn:aws:sns:eu-west-1:123456789012:orders-topic-[0-9a-f]{7}$/);
      assert.deepEqual(program.outputs, {
        topicArn: topic.outputs.arn,
        nested: { name: topic.outputs.name, plain: 1 },
      });
    });

    it("records no Stack resource with stackResource false, and takes config on top of the stack's", async function () {
      let size: number | undefined;
      const program = await loadProgram({
        projectDir: dir,
        stackResource: false,
        config: { "shop:size": "5" },
        program: () => {
          size = new pulumi.Config().requireNumber("size");
          new Bucketed("orders");
        },
      });
      assert.equal(size, 5);
      assert.deepEqual(
        program.resources.map((r) => r.type),
        ["test:index:Bucketed", "aws:sns/topic:Topic"],
      );
      assert.equal(only(program, "test:index:Bucketed").parent, undefined);
      assert.deepEqual(program.outputs, {});
    });

    it("fails with the program's error", async function () {
      await assert.rejects(
        loadProgram({
          projectDir: dir,
          program: () => {
            throw new Error("no table configured");
          },
        }),
        (e: Error) => e instanceof ProgramLoadError && e.message.startsWith("no table configured"),
      );
    });
  });

  describe("a module program", function () {
    let dir: string;
    const program = (): string => path.join(dir, "index.ts");

    beforeEach(function () {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "load-module-"));
      // The program's own @pulumi/pulumi is the project's, as `npm install` would give it.
      fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(dir, "node_modules"), "dir");
      fs.writeFileSync(
        path.join(dir, "Pulumi.yaml"),
        "name: shop\nruntime: nodejs\nconfig:\n  greeting:\n    type: string\n    default: hello\n",
      );
      fs.writeFileSync(
        program(),
        'import * as pulumi from "@pulumi/pulumi";\nconst config = new pulumi.Config();\nexport const greeting = config.require("greeting");\nexport const token = config.get("token");\n',
      );
    });

    afterEach(function () {
      fs.rmSync(dir, { recursive: true, force: true });
    });

    it("exports the stack's outputs, the stack file on top of Pulumi.yaml's defaults", async function () {
      fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  shop:token: abc\n");
      const loaded = await loadProgram({ programPath: program() });
      assert.deepEqual(loaded.outputs, { greeting: "hello", token: "abc" });
      assert.equal(loaded.programPath, program());
    });

    it("refuses a secure: value, naming the key and the file", async function () {
      fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  shop:token:\n    secure: v1:abc:def\n");
      await assert.rejects(
        loadProgram({ programPath: program() }),
        (e: Error) =>
          e instanceof ProgramLoadError &&
          e.message.startsWith(`${path.join(dir, "Pulumi.dev.yaml")}: shop:token is a secret (secure:)`),
      );
    });

    it("hands a secure: value over as a placeholder for the policy check", async function () {
      fs.writeFileSync(path.join(dir, "Pulumi.dev.yaml"), "config:\n  shop:token:\n    secure: v1:abc:def\n");
      const loaded = await loadProgram({ programPath: program(), ...POLICY_CHECK });
      assert.deepEqual(loaded.outputs, { greeting: "hello", token: "[secret]" });
      assert.deepEqual(loaded.settings.secretKeys, ["shop:token"]);
    });

    it("refuses a stack without its file, unless it is the policy check, which has the defaults only", async function () {
      await assert.rejects(
        loadProgram({ programPath: program(), stack: "prod" }),
        (e: Error) =>
          e instanceof ProgramLoadError && e.message.startsWith(`${path.join(dir, "Pulumi.prod.yaml")} does not exist`),
      );
      const loaded = await loadProgram({ programPath: program(), stack: "prod", ...POLICY_CHECK });
      assert.deepEqual(loaded.outputs, { greeting: "hello" });
    });

    it("says when the program does not exist", async function () {
      const missing = path.join(dir, "missing.ts");
      await assert.rejects(loadProgram({ programPath: missing }), new ProgramLoadError(`${missing} does not exist`));
    });
  });

  describe("archiveFiles", function () {
    it("gives the files of an archive a resource registered, and says what is not one", async function () {
      const program = await loadProgram({
        program: () => {
          const role = new aws.iam.Role("fn-role", { assumeRolePolicy: "{}" });
          new aws.lambda.Function("fn", {
            role: role.arn,
            runtime: "nodejs22.x",
            handler: "index.handler",
            code: new pulumi.asset.AssetArchive({
              "index.js": new pulumi.asset.StringAsset("exports.handler = async () => 1;"),
              "package.json": new pulumi.asset.FileAsset(path.join(ROOT, "package.json")),
            }),
          });
        },
      });
      const fn = only(program, "aws:lambda/function:Function");
      assert.deepEqual(await archiveFiles(fn), {
        "index.js": "exports.handler = async () => 1;",
        "package.json": fs.readFileSync(path.join(ROOT, "package.json"), "utf8"),
      });
      await assert.rejects(
        archiveFiles(fn, "handler"),
        new ArchiveError("aws:lambda/function:Function fn: handler is not an AssetArchive"),
      );
    });
  });
});
