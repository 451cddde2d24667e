/**
 * The pack as the Pulumi engine drives it: served by the CLI's launcher and asked over the analyzer
 * gRPC protocol, it reports the same violations as the offline runner does for the same resources.
 */
import { strict as assert } from "assert";
import * as grpc from "@grpc/grpc-js";
import * as analyzerpb from "@pulumi/pulumi/proto/analyzer_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { packArgs } from "../../policy/pack";
import { evaluate } from "../../policy/runner/evaluate";
import { RecordedResource } from "../../program/load";
import { loadFixture, ServedPack, servePack } from "../support/policy";

/** Properties as JSON, the form the engine sends (assets become empty objects, which no policy reads). */
function struct(props: Record<string, unknown>): Struct {
  return Struct.fromJavaScript(JSON.parse(JSON.stringify(props)) as Parameters<typeof Struct.fromJavaScript>[0]);
}

function options(resource: RecordedResource): analyzerpb.AnalyzerResourceOptions {
  const opts = new analyzerpb.AnalyzerResourceOptions();
  opts.setProtect(resource.opts.protect);
  opts.setIgnorechangesList(resource.opts.ignoreChanges);
  opts.setAliasesList(resource.opts.aliases);
  opts.setAdditionalsecretoutputsList(resource.opts.additionalSecretOutputs);
  if (resource.parent !== undefined) {
    opts.setParent(resource.parent);
  }
  return opts;
}

const LEVELS: Record<number, string> = {
  [analyzerpb.EnforcementLevel.ADVISORY]: "advisory",
  [analyzerpb.EnforcementLevel.MANDATORY]: "mandatory",
};

function call<Req, Res>(
  method: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
  req: Req,
): Promise<Res> {
  return new Promise((resolve, reject) => method(req, (err, res) => (err ? reject(err) : resolve(res))));
}

describe("the policy pack over the analyzer protocol", function () {
  this.timeout(180_000);
  let pack: ServedPack;
  let client: AnalyzerClient;

  before(async function () {
    pack = await servePack();
    client = new AnalyzerClient(`127.0.0.1:${pack.port}`, grpc.credentials.createInsecure());
  });

  after(function () {
    client?.close();
    pack?.stop();
  });

  for (const fixture of ["callback-default-role", "sfn-invokes-foreign-function", "lambda-shared-role", "compliant"]) {
    it(`reports what the offline runner reports for ${fixture}`, async function () {
      const { resources } = await loadFixture(fixture);
      const served: string[] = [];
      // A resource's diagnostics leave the URN to the engine, which knows what it asked about.
      const collect = (response: analyzerpb.AnalyzeResponse, urn = ""): void => {
        for (const d of response.getDiagnosticsList()) {
          served.push(
            `${d.getPolicyname()} ${LEVELS[d.getEnforcementlevel()] ?? d.getEnforcementlevel()} ${d.getUrn() || urn}`,
          );
        }
      };
      for (const r of resources) {
        const request = new analyzerpb.AnalyzeRequest();
        request.setType(r.type);
        request.setName(r.name);
        request.setUrn(r.urn);
        request.setProperties(struct(r.inputs));
        request.setOptions(options(r));
        collect(await call(client.analyze.bind(client), request), r.urn);
      }
      const stack = new analyzerpb.AnalyzeStackRequest();
      for (const r of resources) {
        const resource = new analyzerpb.AnalyzerResource();
        resource.setType(r.type);
        resource.setName(r.name);
        resource.setUrn(r.urn);
        resource.setProperties(struct(r.outputs));
        resource.setOptions(options(r));
        resource.setDependenciesList([...r.dependencies]);
        if (r.parent !== undefined) {
          resource.setParent(r.parent);
        }
        stack.addResources(resource);
      }
      collect(await call(client.analyzeStack.bind(client), stack));

      const offline = await evaluate(packArgs.policies, resources, { packEnforcementLevel: packArgs.enforcementLevel });
      assert.deepEqual(served.sort(), offline.map((v) => `${v.policy} ${v.enforcementLevel} ${v.urn}`).sort());
    });
  }
});
