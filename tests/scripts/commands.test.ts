/** Every command and script, run as a user runs it: an unknown flag exits 2 naming it, --help exits 0 with the usage. */
import * as assert from "assert";
import { runScript } from "../support/commands";

const COMMANDS: ReadonlyArray<readonly [string, string]> = [
  ["npm start", "cli/start.ts"],
  ["npm run order", "cli/order.ts"],
  ["npm run redrive", "cli/redrive.ts"],
  ["npm run load", "scripts/load.ts"],
  ["npm run bench", "scripts/bench/main.ts"],
  ["npm run diagram", "scripts/diagram.ts"],
  ["npm run docs", "scripts/docs.ts"],
  ["npm run policy", "policy/run.ts"],
];

describe("every command's flags", function () {
  this.timeout(180_000);

  for (const [command, script] of COMMANDS) {
    it(`${command} -- --bogus exits 2 naming the flag, without a stack trace; --help exits 0 with the usage on standard output`, async function () {
      const [bogus, help] = await Promise.all([runScript(script, ["--bogus"]), runScript(script, ["--help"])]);
      assert.strictEqual(bogus.status, 2, bogus.stderr);
      assert.strictEqual(bogus.stdout, "");
      assert.match(bogus.stderr, /unknown option --bogus\n/);
      assert.doesNotMatch(bogus.stderr, /^\s+at /m);
      assert.strictEqual(help.status, 0, help.stderr);
      assert.match(bogus.stderr, new RegExp(`^Run ${command} -- --help for usage\\.$`, "m"));
      assert.match(help.stdout, /^usage: npm (start|run [a-z]+)/im);
    });
  }

  it("npm run policy -- --stack no-such-stack exits 2, naming the missing stack file", async function () {
    const result = await runScript("policy/run.ts", ["--stack", "no-such-stack"]);
    assert.strictEqual(result.status, 2, result.stdout);
    assert.match(
      result.stderr,
      /Pulumi\.no-such-stack\.yaml does not exist: .*Pulumi\.yaml has no stack no-such-stack/,
    );
  });
});
