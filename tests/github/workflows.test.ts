/** The GitHub Actions workflows: what runs on pull requests and on main, and how they authenticate. */
import { strict as assert } from "assert";
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

const WORKFLOWS_DIR = path.join(".github", "workflows");
const STACKS = ["dev", "prod"];
const PULUMI_ACTION = "pulumi/actions";
const AWS_CREDENTIALS_ACTION = "aws-actions/configure-aws-credentials";
const SETUP_NODE_ACTION = "actions/setup-node";

type Fields = Readonly<Record<string, unknown>>;

interface Step {
  readonly uses?: string;
  readonly run?: string;
  readonly workingDirectory?: string;
  readonly with: Fields;
  readonly env: Fields;
}

interface Job {
  readonly id: string;
  readonly steps: readonly Step[];
  readonly needs: readonly string[];
  /** The job's own permissions, else the workflow's (a job's block replaces the workflow's). */
  readonly permissions: Fields;
  readonly matrix: Fields;
  readonly env: Fields;
}

interface Workflow {
  readonly file: string;
  readonly text: string;
  readonly on: Fields;
  readonly env: Fields;
  readonly jobs: readonly Job[];
}

const isRecord = (value: unknown): value is Fields =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const fields = (value: unknown): Fields => (isRecord(value) ? value : {});
const text = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);
const list = (value: unknown): string[] =>
  typeof value === "string"
    ? [value]
    : Array.isArray(value)
      ? value.filter((v): v is string => typeof v === "string")
      : [];

function readWorkflow(file: string): Workflow {
  const source = fs.readFileSync(file, "utf8");
  const doc = fields(parse(source));
  const workflowPermissions = fields(doc.permissions);
  const jobs = Object.entries(fields(doc.jobs)).map(([id, value]): Job => {
    const job = fields(value);
    const steps = (Array.isArray(job.steps) ? job.steps : []).map((raw): Step => {
      const step = fields(raw);
      return {
        uses: text(step.uses),
        run: text(step.run),
        workingDirectory: text(step["working-directory"]),
        with: fields(step.with),
        env: fields(step.env),
      };
    });
    return {
      id,
      steps,
      needs: list(job.needs),
      permissions: "permissions" in job ? fields(job.permissions) : workflowPermissions,
      matrix: fields(fields(job.strategy).matrix),
      env: fields(job.env),
    };
  });
  return { file, text: source, on: fields(doc.on), env: fields(doc.env), jobs };
}

const workflowFiles = fs.existsSync(WORKFLOWS_DIR)
  ? fs
      .readdirSync(WORKFLOWS_DIR)
      .filter((f) => /\.ya?ml$/.test(f))
      .sort()
      .map((f) => path.join(WORKFLOWS_DIR, f))
  : [];
const workflows = workflowFiles.map(readWorkflow);

const action = (step: Step): string | undefined => step.uses?.split("@")[0];
const usesAction = (name: string) => (step: Step) => action(step) === name;
const runs = (pattern: RegExp) => (step: Step) => step.run !== undefined && pattern.test(step.run.trim());

const installsRoot = (step: Step): boolean =>
  runs(/^npm ci(\s|$)/)(step) &&
  !/--prefix/.test(step.run ?? "") &&
  [undefined, ".", "./"].includes(step.workingDirectory);
const installsPolicy = (step: Step): boolean =>
  (runs(/^npm ci(\s|$)/)(step) && ["policy", "./policy"].includes(step.workingDirectory ?? "")) ||
  runs(/^npm ci\b.*--prefix[ =]\.?\/?policy\b/)(step);
const lints = runs(/^npm run lint\b/);
const tests = runs(/^npm (test|run test)\b/);

/** Index of the first step that satisfies `predicate`, or -1. */
const indexOf = (job: Job, predicate: (step: Step) => boolean): number => job.steps.findIndex(predicate);

/** The job and the jobs it needs, transitively. */
function withNeeds(workflow: Workflow, job: Job): Job[] {
  const seen = new Map<string, Job>();
  const visit = (j: Job): void => {
    if (seen.has(j.id)) return;
    seen.set(j.id, j);
    for (const id of j.needs) {
      const needed = workflow.jobs.find((candidate) => candidate.id === id);
      assert.ok(needed, `${workflow.file}: job ${j.id} needs unknown job ${id}`);
      visit(needed);
    }
  };
  visit(job);
  return [...seen.values()];
}

/** Asserts that `job`, or a job it needs, installs both packages, lints and tests, in that order. */
function assertChecked(workflow: Workflow, job: Job): void {
  const checking = withNeeds(workflow, job).find((j) => indexOf(j, lints) >= 0 && indexOf(j, tests) >= 0);
  assert.ok(checking, `${workflow.file}: job ${job.id} neither lints and tests nor needs a job that does`);
  const order = [installsRoot, installsPolicy, lints, tests].map((p) => indexOf(checking, p));
  assert.ok(
    order.every((i) => i >= 0),
    `${workflow.file}: job ${checking.id} must install root and policy/, lint and test`,
  );
  assert.deepEqual(
    [...order].sort((a, b) => a - b),
    order,
    `${workflow.file}: job ${checking.id} must install before it lints and tests`,
  );
}

/** Asserts that `job` installs root and policy/ and gets AWS credentials before its Pulumi step. */
function assertReadyForPulumi(workflow: Workflow, job: Job): void {
  const pulumi = indexOf(job, usesAction(PULUMI_ACTION));
  for (const [what, predicate] of [
    ["install the root packages", installsRoot],
    ["install the policy pack", installsPolicy],
    ["get AWS credentials", usesAction(AWS_CREDENTIALS_ACTION)],
  ] as const) {
    const at = indexOf(job, predicate);
    assert.ok(at >= 0 && at < pulumi, `${workflow.file}: job ${job.id} must ${what} before running Pulumi`);
  }
}

const triggeredBy = (workflow: Workflow, event: string): boolean => event in workflow.on;
const branchesOf = (workflow: Workflow, event: string): string[] => list(fields(workflow.on[event]).branches);
const pulumiSteps = (job: Job): Step[] => job.steps.filter(usesAction(PULUMI_ACTION));

/** The jobs running `pulumi <command>`, each with its Pulumi step. */
function pulumiJobs(workflow: Workflow, command: string): Array<{ job: Job; step: Step }> {
  return workflow.jobs.flatMap((job) =>
    pulumiSteps(job)
      .filter((s) => s.with.command === command)
      .map((step) => ({ job, step })),
  );
}

/** The stacks a Pulumi step runs on: `${{ matrix.stack }}` expands to the job's matrix. */
function stacksOf(job: Job, step: Step): string[] {
  const name = text(step.with["stack-name"]) ?? "";
  return /^\$\{\{\s*matrix\.stack\s*\}\}$/.test(name) ? list(job.matrix.stack) : [name];
}

describe("GitHub Actions workflows", function () {
  const pullRequest = workflows.filter((w) => triggeredBy(w, "pull_request"));
  const main = workflows.filter((w) => triggeredBy(w, "push") && branchesOf(w, "push").includes("main"));

  it("exist, parse, and each has a trigger and jobs", function () {
    assert.ok(workflows.length >= 2, `expected the pull request and deploy workflows in ${WORKFLOWS_DIR}`);
    for (const w of workflows) {
      assert.ok(Object.keys(w.on).length > 0, `${w.file} has no trigger`);
      assert.ok(w.jobs.length > 0, `${w.file} has no jobs`);
    }
  });

  it("on pull requests into main, install root and policy/, lint and test", function () {
    assert.equal(pullRequest.length, 1, "one workflow runs on pull requests");
    const [w] = pullRequest;
    assert.ok(branchesOf(w, "pull_request").includes("main"), `${w.file}: pull requests into main`);
    assert.ok(!triggeredBy(w, "push"), `${w.file} must not also run on pushes (it only previews)`);
    assert.ok(
      w.jobs.some((j) => indexOf(j, lints) >= 0),
      `${w.file} lints`,
    );
    for (const job of w.jobs) if (indexOf(job, lints) >= 0 || indexOf(job, tests) >= 0) assertChecked(w, job);
  });

  it("on pull requests, preview every stack with the policy pack and comment on the pull request", function () {
    const [w] = pullRequest;
    assert.equal(pulumiJobs(w, "up").length, 0, `${w.file} must not deploy`);
    const previews = pulumiJobs(w, "preview");
    assert.ok(previews.length > 0, `${w.file} runs no pulumi preview`);
    const previewed = new Set<string>();
    for (const { job, step } of previews) {
      assert.deepEqual(list(step.with.policyPacks), ["policy"], `${w.file}: preview with policyPacks: policy`);
      assert.ok(
        step.with["comment-on-pr"] === true || step.with["comment-on-pr"] === "true",
        `${w.file}: preview with comment-on-pr: true`,
      );
      assert.equal(
        job.permissions["pull-requests"],
        "write",
        `${w.file}: job ${job.id} needs pull-requests: write to comment`,
      );
      assertReadyForPulumi(w, job);
      assertChecked(w, job);
      stacksOf(job, step).forEach((s) => previewed.add(s));
    }
    assert.deepEqual([...previewed].sort(), [...STACKS].sort());
  });

  it("on pushes to main, lint and test, then pulumi up each stack (a matrix over dev and prod) with the policy pack", function () {
    assert.equal(main.length, 1, "one workflow runs on pushes to main");
    const [w] = main;
    assert.ok(
      !triggeredBy(w, "pull_request") && !triggeredBy(w, "pull_request_target"),
      `${w.file} must not run on pull requests`,
    );
    const ups = pulumiJobs(w, "up");
    assert.equal(ups.length, 1, `${w.file}: one job runs pulumi up`);
    const [{ job, step }] = ups;
    assert.match(
      text(step.with["stack-name"]) ?? "",
      /^\$\{\{\s*matrix\.stack\s*\}\}$/,
      "stack-name comes from the matrix",
    );
    assert.deepEqual(list(job.matrix.stack), STACKS, "dev first, then prod");
    assert.deepEqual(list(step.with.policyPacks), ["policy"], `${w.file}: up with policyPacks: policy`);
    assertReadyForPulumi(w, job);
    assertChecked(w, job);
  });

  it("deploy only stacks that have a stack file", function () {
    for (const w of workflows) {
      for (const { job, step } of [...pulumiJobs(w, "preview"), ...pulumiJobs(w, "up")]) {
        for (const stack of stacksOf(job, step))
          assert.ok(fs.existsSync(`Pulumi.${stack}.yaml`), `${w.file}: no Pulumi.${stack}.yaml`);
      }
    }
  });

  it("get AWS credentials only through OIDC, by assuming a role", function () {
    let assumed = 0;
    for (const w of workflows) {
      for (const job of w.jobs) {
        const steps = job.steps.filter(usesAction(AWS_CREDENTIALS_ACTION));
        if (pulumiSteps(job).length > 0)
          assert.ok(steps.length > 0, `${w.file}: job ${job.id} runs Pulumi without AWS credentials`);
        if (steps.length === 0) continue;
        assert.equal(
          job.permissions["id-token"],
          "write",
          `${w.file}: job ${job.id} needs permissions id-token: write`,
        );
        for (const step of steps) {
          assert.match(text(step.with["role-to-assume"]) ?? "", /\S/, `${w.file}: job ${job.id} must assume a role`);
          for (const key of ["aws-access-key-id", "aws-secret-access-key", "aws-session-token"]) {
            assert.ok(!(key in step.with), `${w.file}: job ${job.id} passes ${key}`);
          }
          assumed++;
        }
      }
    }
    assert.ok(assumed > 0);
  });

  it("never mention long-lived AWS keys", function () {
    for (const w of workflows) {
      assert.doesNotMatch(
        w.text,
        /AWS_ACCESS_KEY_ID|AWS_SECRET_ACCESS_KEY|aws-access-key-id|aws-secret-access-key/i,
        w.file,
      );
    }
  });

  it("give Pulumi its access token from secrets.PULUMI_ACCESS_TOKEN", function () {
    for (const w of workflows) {
      for (const job of w.jobs) {
        for (const step of pulumiSteps(job)) {
          const env = { ...w.env, ...job.env, ...step.env };
          assert.match(
            text(env.PULUMI_ACCESS_TOKEN) ?? "",
            /^\$\{\{\s*secrets\.PULUMI_ACCESS_TOKEN\s*\}\}$/,
            `${w.file}: job ${job.id}`,
          );
        }
      }
    }
  });

  it("set up Node 22", function () {
    let setups = 0;
    for (const w of workflows) {
      for (const job of w.jobs) {
        const needsNode =
          job.steps.some((s) => s.run !== undefined && /\bnpm\b/.test(s.run)) || pulumiSteps(job).length > 0;
        const setup = job.steps.filter(usesAction(SETUP_NODE_ACTION));
        if (needsNode) assert.equal(setup.length, 1, `${w.file}: job ${job.id} sets up Node once`);
        for (const step of setup) {
          assert.equal(String(step.with["node-version"]), "22", `${w.file}: job ${job.id}`);
          setups++;
        }
      }
    }
    assert.ok(setups > 0);
  });

  it("pin every action to a full commit SHA, with its version in a comment", function () {
    const pins = new Map<string, string>();
    for (const w of workflows) {
      const parsed = w.jobs.flatMap((j) => j.steps.flatMap((s) => (s.uses === undefined ? [] : [s.uses])));
      const lines = w.text.split("\n").filter((line) => /^\s*(-\s+)?uses\s*:/.test(line));
      assert.equal(lines.length, parsed.length, `${w.file}: every uses: on its own line`);
      for (const line of lines) {
        assert.match(
          line,
          /^\s*(-\s+)?uses:\s+[\w.-]+\/[\w./-]+@[0-9a-f]{40}\s+#\s+v\d+\.\d+\.\d+\s*$/,
          `${w.file}: ${line.trim()}`,
        );
      }
      for (const uses of parsed) {
        const [name, sha] = uses.split("@");
        assert.match(sha, /^[0-9a-f]{40}$/, `${w.file}: ${uses}`);
        const pinned = pins.get(name);
        assert.ok(pinned === undefined || pinned === sha, `${name} is pinned to two commits`);
        pins.set(name, sha);
      }
    }
    for (const name of ["actions/checkout", SETUP_NODE_ACTION, PULUMI_ACTION, AWS_CREDENTIALS_ACTION])
      assert.ok(pins.has(name), name);
  });

  it("run only npm scripts that the package in their directory defines", function () {
    for (const w of workflows) {
      for (const job of w.jobs) {
        for (const step of job.steps) {
          if (step.run === undefined) continue;
          const dir = step.workingDirectory ?? ".";
          const manifest = fields(JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")));
          const scripts = fields(manifest.scripts);
          for (const match of step.run.matchAll(/\bnpm (?:run(?:-script)? ([\w:-]+)|(?:test|t)\b)/g)) {
            const script = match[1] ?? "test";
            assert.ok(
              script in scripts,
              `${w.file}: job ${job.id} runs "npm run ${script}", which ${dir}/package.json does not define`,
            );
          }
        }
      }
    }
  });
});
