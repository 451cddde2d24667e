/**
 * `npm run redrive` with Step Functions mocked (aws-sdk-client-mock): which executions it lists,
 * which it redrives (never a business outcome), its flags and its exit statuses.
 */
import * as assert from "assert";
import {
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  ExecutionListItem,
  ExecutionNotRedrivable,
  ListExecutionsCommand,
  RedriveExecutionCommand,
  SFNClient,
} from "@aws-sdk/client-sfn";
import { AwsClientStub, mockClient } from "aws-sdk-client-mock";
import { RunCommand } from "../../cli/deployed";
import {
  DEFAULT_SINCE_MS,
  REDRIVE_USAGE,
  main,
  parseDuration,
  parseRedriveArgs,
  redriveToken,
} from "../../cli/redrive";
import { BUSINESS_OUTCOMES } from "../../workflow/execution/outcomes";
import { CapturedIo } from "../support/commands";

const STATE_MACHINE_ARN = "arn:aws:states:eu-west-1:123456789012:stateMachine:orders-state-machine-5d1e2f3";
const NOW = Date.parse("2026-03-01T12:00:00.000Z");
const HOUR = 3_600_000;
const arnOf = (name: string) => `arn:aws:states:eu-west-1:123456789012:execution:orders-state-machine-5d1e2f3:${name}`;
const item = (name: string, hoursAgo: number, status: "FAILED" | "TIMED_OUT" = "FAILED"): ExecutionListItem => ({
  executionArn: arnOf(name),
  stateMachineArn: STATE_MACHINE_ARN,
  name,
  status,
  startDate: new Date(NOW - hoursAgo * HOUR - 60_000),
  stopDate: new Date(NOW - hoursAgo * HOUR),
  redriveCount: 0,
});
const pulumi =
  (outputs: unknown): RunCommand =>
  () =>
    Promise.resolve(JSON.stringify(outputs));

describe("npm run redrive", () => {
  let sfn: AwsClientStub<SFNClient>;
  before(() => {
    sfn = mockClient(SFNClient);
  });
  after(() => sfn.restore());

  /** FAILED executions by error (one per business outcome, one INTERNAL_ERROR, one too old) and one TIMED_OUT. */
  const errors: Record<string, string> = { "web-internal": "INTERNAL_ERROR", "web-old": "INTERNAL_ERROR" };
  BUSINESS_OUTCOMES.forEach((outcome, i) => (errors[`web-business-${i}`] = outcome));
  beforeEach(() => {
    sfn.reset();
    sfn.on(DescribeStateMachineCommand).resolves({ stateMachineArn: STATE_MACHINE_ARN, type: "STANDARD" });
    const failed = [
      item("web-internal", 1),
      ...BUSINESS_OUTCOMES.map((_, i) => item(`web-business-${i}`, 2)),
      item("web-old", 30),
    ];
    // Two pages, newest first; the second starts before --since, so no third is asked for.
    sfn
      .on(ListExecutionsCommand, { statusFilter: "FAILED" })
      .callsFake((input: { nextToken?: string }) =>
        input.nextToken === undefined
          ? { executions: failed.slice(0, 3), nextToken: "page-2" }
          : input.nextToken === "page-2"
            ? { executions: failed.slice(3), nextToken: "page-3" }
            : { executions: [] },
      );
    sfn
      .on(ListExecutionsCommand, { statusFilter: "TIMED_OUT" })
      .resolves({ executions: [item("web-timeout", 3, "TIMED_OUT")] });
    sfn.on(DescribeExecutionCommand).callsFake((input: { executionArn: string }) => {
      const name = input.executionArn.split(":").pop() as string;
      return name === "web-timeout"
        ? {
            executionArn: input.executionArn,
            status: "TIMED_OUT",
            error: "States.Timeout",
            redriveStatus: "REDRIVABLE",
          }
        : { executionArn: input.executionArn, status: "FAILED", error: errors[name], redriveStatus: "REDRIVABLE" };
    });
    sfn.on(RedriveExecutionCommand).resolves({ redriveDate: new Date(NOW) });
  });

  const run = async (argv: string[], outputs: unknown = { stateMachineArn: STATE_MACHINE_ARN }) => {
    const io = new CapturedIo();
    const status = await main(argv, io, {
      runCommand: pulumi(outputs),
      sfn: sfn as unknown as SFNClient,
      now: () => NOW,
    });
    return { status, io };
  };
  const redriven = () => sfn.commandCalls(RedriveExecutionCommand).map((c) => c.args[0].input.executionArn);

  it("redrives the INTERNAL_ERROR and TIMED_OUT executions of the last day, and no business outcome", async () => {
    const { status, io } = await run(["--stack", "dev"]);
    assert.strictEqual(status, 0, io.err);
    assert.deepStrictEqual(redriven(), [arnOf("web-internal"), arnOf("web-timeout")]);
    for (const outcome of BUSINESS_OUTCOMES)
      assert.ok(io.out.includes(`business outcome ${outcome}: never redriven`), outcome);
    assert.ok(!io.out.includes("web-old"), "ended before --since: not even listed");
    assert.deepStrictEqual(
      sfn.commandCalls(ListExecutionsCommand).map((c) => [c.args[0].input.statusFilter, c.args[0].input.nextToken]),
      [
        ["FAILED", undefined],
        ["FAILED", "page-2"],
        ["TIMED_OUT", undefined],
      ],
    );
    assert.ok(
      io.out.endsWith(
        `redriven 2 of ${2 + BUSINESS_OUTCOMES.length} failed executions since ${new Date(NOW - DEFAULT_SINCE_MS).toISOString()}\n`,
      ),
      io.out,
    );
  });

  it("asks for each redrive with an idempotency token of the execution and its redrive count", async () => {
    await run(["--stack", "dev"]);
    const [first] = sfn.commandCalls(RedriveExecutionCommand);
    assert.strictEqual(first.args[0].input.clientToken, redriveToken(arnOf("web-internal"), 0));
    assert.notStrictEqual(redriveToken(arnOf("web-internal"), 0), redriveToken(arnOf("web-internal"), 1));
  });

  it("--since 2d reaches further back; --dry-run redrives nothing", async () => {
    const { status, io } = await run(["--stack", "dev", "--since", "2d", "--dry-run"]);
    assert.strictEqual(status, 0, io.err);
    assert.deepStrictEqual(redriven(), []);
    assert.ok(io.out.includes("would redrive web-old (FAILED INTERNAL_ERROR)"), io.out);
    assert.ok(io.out.includes("would redrive 3 of"), io.out);
  });

  it("skips what Step Functions says is not redrivable, and exits 1 when AWS refuses a redrive", async () => {
    sfn.on(DescribeExecutionCommand, { executionArn: arnOf("web-timeout") }).resolves({
      status: "TIMED_OUT",
      redriveStatus: "NOT_REDRIVABLE",
      redriveStatusReason: "the execution is older than 14 days",
    });
    sfn
      .on(RedriveExecutionCommand)
      .rejects(new ExecutionNotRedrivable({ message: "Execution is not redrivable", $metadata: {} }));
    const { status, io } = await run(["--stack", "dev"]);
    assert.strictEqual(status, 1);
    assert.ok(
      io.out.includes("skipped   web-timeout: Step Functions says the execution is older than 14 days"),
      io.out,
    );
    assert.ok(
      io.err.includes(
        "error: AWS refused to redrive web-internal: ExecutionNotRedrivable: Execution is not redrivable",
      ),
      io.err,
    );
  });

  it("refuses an EXPRESS state machine with exit status 2", async () => {
    sfn.on(DescribeStateMachineCommand).resolves({ stateMachineArn: STATE_MACHINE_ARN, type: "EXPRESS" });
    const { status, io } = await run(["--state-machine-arn", STATE_MACHINE_ARN]);
    assert.strictEqual(status, 2);
    assert.match(io.err, /EXPRESS state machine: Step Functions redrives STANDARD executions only/);
    assert.deepStrictEqual(redriven(), []);
  });

  it("says what is wrong with the stack, with exit status 2", async () => {
    const { status, io } = await run(["--stack", "dev"], { topicArn: "x" });
    assert.strictEqual(status, 2);
    assert.strictEqual(io.err, "error: stack dev has no stateMachineArn output: has it been deployed (pulumi up)?\n");
  });

  describe("flags", () => {
    it("--help prints the usage and exits 0", async () => {
      const { status, io } = await run(["--help"]);
      assert.deepStrictEqual([status, io.out], [0, REDRIVE_USAGE]);
    });

    for (const [argv, message] of [
      [[], "--stack NAME is required (or --state-machine-arn ARN)"],
      [["--stack", "dev", "--state-machine-arn", STATE_MACHINE_ARN], "give --stack or --state-machine-arn, not both"],
      [
        ["--stack", "dev", "--since", "yesterday"],
        '--since must be a duration such as 45m, 6h or 2d, more than 0 and at most 14d (got "yesterday")',
      ],
      [["--stack", "dev", "--since", "15d"], "at most 14d"],
      [["--stack", "dev", "--force"], "unknown option --force"],
      [["--stack", "dev", "extra"], "unexpected argument extra"],
      [["--stack"], "--stack needs a value"],
    ] as const) {
      it(`${argv.join(" ") || "(none)"}: exit 2, ${message}`, async () => {
        const { status, io } = await run([...argv]);
        assert.strictEqual(status, 2);
        assert.ok(io.err.startsWith("error: ") && io.err.includes(message), io.err);
        assert.ok(io.err.endsWith("Run npm run redrive -- --help for usage.\n"));
        assert.strictEqual(sfn.commandCalls(ListExecutionsCommand).length, 0);
      });
    }

    it("reads durations in minutes, hours and days", () => {
      assert.deepStrictEqual(["45m", "6h", "2d", "14d"].map(parseDuration), [
        45 * 60_000,
        6 * HOUR,
        48 * HOUR,
        14 * 24 * HOUR,
      ]);
      assert.deepStrictEqual(parseRedriveArgs(["--stack", "prod"]), {
        help: false,
        target: { stack: "prod" },
        sinceMs: DEFAULT_SINCE_MS,
        dryRun: false,
      });
    });
  });
});
