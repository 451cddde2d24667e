/**
 * IAM for the local engine, in one object: every call the engine carries out is authorized as AWS
 * would authorize it, by the stack's own policies (stack.ts, from the program under mocks), with the
 * stack's ARNs. The engine calls `authorizeTask` before each Task's integration, runs each Lambda
 * `asFunction`, and puts `guard` in front of DynamoDB for the Lambdas' SDK calls. Implicit calls are
 * authorized once, when the engine starts: the state machine's log delivery (checked by AWS when the
 * machine is created: an engine whose role cannot deliver logs does not start), its execution data
 * key, X-Ray, and each function's log writes (denied: its log lines are dropped, as AWS drops them).
 */
import * as path from "path";
import { loadProgram } from "../../program/load";
import { PROJECT_ROOT, cachedStack } from "./stackCache";
import { DEFAULT_ENVIRONMENT } from "../../program/mocks";
import { registerGuard, runAs, type RequestGuard } from "./callers";
import { AccessEvaluator, decisionKey, sessionArn, type AccessRequest, type PolicySource } from "./evaluator";
import { deniedMessage, dynamodbRefusal, taskDenial } from "./errors";
import { dynamodbRequirements, integrationOf, taskRequirements, type Requirement, type Scope } from "./requests";
import { StackAccessModel, type StackFunction, type StackStateMachine } from "./stack";

/** One call the engine authorized: who, what, on what (the statement-removal test replays these). */
export type RecordedCall = AccessRequest;

/**
 * What Step Functions checks when a state machine with logging is created (Step Functions developer
 * guide). These lists and the ones below are written out again, not imported from
 * components/policies.ts, on purpose: they say what AWS calls, the stack's lists what it grants, and
 * one shared list would let an action dropped from both go unnoticed.
 */
const LOG_DELIVERY_ACTIONS = [
  "logs:CreateLogDelivery",
  "logs:GetLogDelivery",
  "logs:UpdateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:ListLogDeliveries",
  "logs:PutResourcePolicy",
  "logs:DescribeResourcePolicies",
  "logs:DescribeLogGroups",
];
const MACHINE_TRACING = [
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
];
const FUNCTION_TRACING = ["xray:PutTraceSegments", "xray:PutTelemetryRecords"];

/** An error with AWS's name for it. */
function named(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return error;
}

/** Pairs every string of the local definition with the stack's at the same place: local name → stack name. */
function pairNames(local: unknown, stack: unknown, names: Map<string, string>): boolean {
  if (typeof local === "string" || typeof stack === "string") {
    if (local === stack) return true;
    if (typeof local !== "string" || typeof stack !== "string") return false;
    const known = names.get(local);
    names.set(local, stack);
    return known === undefined || known === stack;
  }
  if (Array.isArray(local) !== Array.isArray(stack) || typeof local !== typeof stack) return false;
  if (typeof local !== "object" || local === null || stack === null) return local === stack;
  const [l, s] = [local as Record<string, unknown>, stack as Record<string, unknown>];
  const keys = Object.keys(l);
  if (keys.length !== Object.keys(s).length) return false;
  return keys.every((k) => k in s && pairNames(l[k], s[k], names));
}

let devStack: Promise<StackAccessModel> | undefined;

/**
 * The project's stack (index.ts, dev config) under mocks, loaded once per process and kept on disk
 * (stackCache.ts) until a source it is built from changes: loading the program takes seconds.
 */
export function projectStackAccess(): Promise<StackAccessModel> {
  devStack ??= cachedStack(async () => {
    const program = await loadProgram({ programPath: path.join(PROJECT_ROOT, "index.ts"), stack: "dev" });
    return { resources: program.resources, region: program.settings.config["aws:region"] };
  }).then(({ resources, region }) => {
    const { accountId: account, partition } = DEFAULT_ENVIRONMENT;
    return new StackAccessModel(resources, { account, partition, region: region ?? DEFAULT_ENVIRONMENT.region });
  });
  return devStack;
}

/** The engine's IAM setting: the stack (default: the project's) and its policies, or `false` for none. */
export type EngineIam = false | { readonly model?: StackAccessModel; readonly policies?: PolicySource };

/**
 * The access of an engine running `definition` (JSON text); undefined with IAM turned off. Rejects,
 * as CreateStateMachine refuses, when the role may not deliver its logs or use its execution key.
 */
export async function engineAccess(
  iam: EngineIam | undefined,
  definition: string,
  environments: LocalEnvironments = {},
): Promise<WorkflowAccess | undefined> {
  if (iam === false) return undefined;
  const model = iam?.model ?? (await projectStackAccess());
  return WorkflowAccess.create(model, JSON.parse(definition) as unknown, iam?.policies, environments);
}

/**
 * The local functions' environment variables that name a resource (a table the function's SDK calls
 * use but the definition does not name), by the local function's ARN: paired with the stack's.
 */
export type LocalEnvironments = Readonly<Record<string, Readonly<Record<string, string>>>>;

/** Environment variables whose value is a resource's name, to pair with the stack's. */
const NAME_VARIABLES = new Set(["ORDERS_TABLE_NAME", "INVENTORY_TABLE_NAME"]);

/** Pairs each local function's table names with its stack function's (their Lambdas reach them by name). */
function pairEnvironments(
  model: StackAccessModel,
  environments: LocalEnvironments,
  names: Map<string, string>,
): boolean {
  return Object.entries(environments).every(([localArn, env]) => {
    const stackFunction = model.functionOf(names.get(localArn) ?? localArn);
    if (stackFunction === undefined) return true;
    return Object.entries(env).every(
      ([key, value]) =>
        !NAME_VARIABLES.has(key) ||
        stackFunction.environment[key] === undefined ||
        pairNames(value, stackFunction.environment[key], names),
    );
  });
}

export class WorkflowAccess {
  /** Every distinct call authorized so far, allowed or not. */
  readonly calls = new Map<string, RecordedCall>();
  private readonly evaluator: AccessEvaluator;
  private readonly scope: Scope;
  private readonly logsDenied = new Set<string>();
  /** Step Functions' session name for the role (random, as AWS's). */
  private readonly session = Array.from({ length: 32 }, () =>
    String.fromCharCode(65 + Math.floor(Math.random() * 26)),
  ).join("");

  private constructor(
    private readonly model: StackAccessModel,
    private readonly machine: StackStateMachine,
    names: ReadonlyMap<string, string>,
    policies: PolicySource,
  ) {
    this.evaluator = new AccessEvaluator(policies);
    this.scope = { ...model.env, resolve: (name) => names.get(name) ?? name };
    this.registration = registerGuard(this.guard);
  }

  private readonly registration: { readonly id: string; dispose(): void };

  /** The engine has stopped: its functions' requests are no longer decided. */
  close(): void {
    this.registration.dispose();
  }

  /**
   * Access for an engine running `localDefinition`: the stack's state machine whose definition is
   * the same but for names. `policies` replaces the stack's (a test removes a statement).
   */
  static async create(
    model: StackAccessModel,
    localDefinition: unknown,
    policies: PolicySource = model,
    environments: LocalEnvironments = {},
  ): Promise<WorkflowAccess> {
    for (const machine of model.stateMachines) {
      const names = new Map<string, string>();
      if (pairNames(localDefinition, machine.definition, names) && pairEnvironments(model, environments, names)) {
        const access = new WorkflowAccess(model, machine, names, policies);
        try {
          await access.authorizeImplicitCalls();
        } catch (error) {
          access.close();
          throw error;
        }
        return access;
      }
    }
    throw new Error("no state machine of the stack has the engine's definition: the engine cannot evaluate its IAM");
  }

  private async check(roleArn: string, session: string, requirement: Requirement): Promise<string | undefined> {
    const request: AccessRequest = { roleArn, session, ...requirement };
    const key = decisionKey(request);
    this.calls.set(key, request);
    const decision = await this.evaluator.decide(request, key);
    if (decision.allowed) return undefined;
    return deniedMessage(sessionArn(roleArn, session), requirement.action, requirement.resource, decision.reason);
  }

  private async authorizeImplicitCalls(): Promise<void> {
    const m = this.machine;
    const asMachine = (action: string, resource: string, context?: Record<string, string>) =>
      this.check(m.roleArn, this.session, { action, resource, ...(context ? { context } : {}) });
    for (const action of m.logging ? LOG_DELIVERY_ACTIONS : []) {
      if ((await asMachine(action, "*")) !== undefined)
        throw named(
          "AccessDeniedException",
          "The state machine IAM Role is not authorized to access the Log Destination",
        );
    }
    for (const action of m.executionKeyArn === undefined ? [] : ["kms:GenerateDataKey", "kms:Decrypt"]) {
      const context = { "kms:EncryptionContext:aws:states:stateMachineArn": m.arn };
      const denied = await asMachine(action, m.executionKeyArn as string, context);
      if (denied !== undefined) throw named("KmsAccessDeniedException", denied);
    }
    for (const action of m.tracing ? MACHINE_TRACING : []) await asMachine(action, "*");
    for (const fn of this.model.functions) await this.authorizeRuntime(fn);
  }

  /** The Lambda runtime's own calls with the function's role: its log stream and, when tracing, X-Ray. */
  private async authorizeRuntime(fn: StackFunction): Promise<void> {
    const stream = `${fn.logGroupArn}:log-stream:local/[$LATEST]${fn.name}`;
    for (const action of ["logs:CreateLogStream", "logs:PutLogEvents"]) {
      if ((await this.check(fn.roleArn, fn.name, { action, resource: stream })) !== undefined)
        this.logsDenied.add(fn.name);
    }
    for (const action of fn.tracing ? FUNCTION_TRACING : [])
      await this.check(fn.roleArn, fn.name, { action, resource: "*" });
  }

  /** Throws, as the Task state fails, when the state machine's role may not make its integration's call. */
  async authorizeTask(resource: string, params: unknown): Promise<void> {
    const integration = integrationOf(resource);
    if (integration === undefined) throw new Error(`${resource} is no Step Functions integration the engine knows`);
    for (const r of taskRequirements(this.scope, integration, params, (topic) => this.model.topicKey(topic))) {
      const denied = await this.check(this.machine.roleArn, this.session, r);
      if (denied !== undefined) throw taskDenial(integration, r.action, denied);
    }
  }

  /** The stack's function a local function name (or ARN) stands for. */
  private functionFor(localName: string): StackFunction {
    const fn = this.model.functionOf(this.scope.resolve(localName));
    if (fn === undefined) throw new Error(`${localName} is no function of the stack`);
    return fn;
  }

  /** Runs an invocation of `localName` as its function: its SDK requests are signed, so to speak, by its role. */
  asFunction<T>(localName: string, invoke: () => Promise<T>): Promise<T> {
    return runAs(`${this.registration.id}/${this.functionFor(localName).name}`, invoke);
  }

  /** False when the function's role may not write its logs: AWS keeps none of its lines. */
  mayLog(localName: string): boolean {
    return !this.logsDenied.has(this.functionFor(localName).name);
  }

  /** DynamoDB's check of a function's request; denied calls are answered as DynamoDB answers them. */
  readonly guard: RequestGuard = async ({ caller, operation, body }) => {
    const fn = this.model.functions.find((f) => f.name === caller);
    if (fn === undefined) return undefined;
    for (const r of dynamodbRequirements(this.scope, operation, body)) {
      const denied = await this.check(fn.roleArn, fn.name, r);
      if (denied !== undefined) return dynamodbRefusal(denied);
    }
    return undefined;
  };

  /** The calls recorded so far, decided again against other policies: the ones they deny. */
  static async deniedUnder(calls: Iterable<RecordedCall>, policies: PolicySource): Promise<RecordedCall[]> {
    const evaluator = new AccessEvaluator(policies);
    const denied: RecordedCall[] = [];
    for (const call of calls) if (!(await evaluator.decide(call)).allowed) denied.push(call);
    return denied;
  }
}
