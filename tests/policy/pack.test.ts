/**
 * The pack as the Pulumi CLI sees it: its files and its policies' metadata. That the CLI can serve
 * it is shown by protocol.test.ts, which talks to it as the engine does.
 */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { packArgs, packName } from "../../policy/pack";
import { ROOT } from "../support/commands";

const PACK_DIR = path.join(ROOT, "policy");

describe("the policy pack", function () {
  it("is a Pulumi policy pack directory: PulumiPolicy.yaml, package.json with a version, index.ts", function () {
    const manifest = parse(fs.readFileSync(path.join(PACK_DIR, "PulumiPolicy.yaml"), "utf8")) as Record<
      string,
      unknown
    >;
    assert.equal(manifest["runtime"], "nodejs");
    assert.ok(typeof manifest["description"] === "string" && manifest["description"].length > 0);
    const pkg = JSON.parse(fs.readFileSync(path.join(PACK_DIR, "package.json"), "utf8")) as Record<string, unknown>;
    assert.match(String(pkg["version"]), /^\d+\.\d+\.\d+$/);
    assert.ok(fs.existsSync(path.join(PACK_DIR, "index.ts")));
    assert.match(packName, /^[a-zA-Z0-9-_.]{1,100}$/);
  });

  it("gives every policy a unique name, a description and how to fix a violation", function () {
    const names = packArgs.policies.map((p) => p.name);
    assert.equal(new Set(names).size, names.length);
    for (const policy of packArgs.policies) {
      assert.match(policy.name, /^[a-z0-9]+(-[a-z0-9]+)+$/);
      assert.notEqual(policy.name, "all");
      assert.ok(policy.description.length >= 60, `${policy.name}: description too short to explain the rule`);
      assert.ok((policy.remediationSteps ?? "").length >= 30, `${policy.name}: no remediation steps`);
      assert.ok(
        !("enforcementLevel" in (policy.configSchema?.properties ?? {})),
        `${policy.name}: enforcementLevel is reserved`,
      );
    }
  });

  it("lists every policy with its level in the README's table", function () {
    const readme = fs.readFileSync(path.join(PACK_DIR, "README.md"), "utf8");
    for (const policy of packArgs.policies) {
      assert.match(
        readme,
        new RegExp(`^\\| \`${policy.name}\` \\| ${policy.enforcementLevel} \\|`, "m"),
        `${policy.name} is missing from the README`,
      );
    }
  });

  it("is the number of rules the project's README states", function () {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const stated = [...readme.matchAll(/\b(\d+) rules\b/g)].map((m) => Number(m[1]));
    assert.ok(stated.length > 0, 'the README states no rule count ("N rules")');
    for (const count of stated) {
      assert.equal(
        count,
        packArgs.policies.length,
        `README.md says ${count} rules; the pack has ${packArgs.policies.length}`,
      );
    }
  });
});
