/**
 * The changes engine/runtime.ts makes to aws-local-stepfunctions 3.0.0's text. Each `from` must
 * occur exactly once, or loading fails: a new version of the library is reviewed, never guessed at.
 * The hooks read `runOptions.clock` (engine/clock.ts) and `runOptions.limits` (engine/limits.ts);
 * without them the library behaves as before, except for the intrinsic-function and timeout fixes.
 */
export interface Patch {
  readonly why: string;
  readonly from: string;
  readonly to: string;
}

export const PATCHES: readonly Patch[] = [
  {
    why: "Intrinsics: unescape a string literal argument (\\' \\{ \\} \\\\) once, where it is parsed, instead of deleting every backslash from every result",
    from: String.raw`    const parsedArgs = parseArguments(input, context, ...args);
    validateArguments(this.funcDefinition, ...parsedArgs);
    let result = this.execute(...parsedArgs);
    if (typeof result === "string") {
      result = result.replaceAll("\\", "");
    }
    return result;`,
    to: String.raw`    const parsedArgs = parseArguments(input, context, ...args).map(
      (value, i) => typeof value === "string" && args[i][0] === "'" && !(this.funcDefinition.name === "States.Format" && i === 0) ? value.replace(/\\([\s\S])/g, "$1") : value
    );
    validateArguments(this.funcDefinition, ...parsedArgs);
    return this.execute(...parsedArgs);`,
  },
  {
    why: "States.Format: an escaped \\{ \\} is not a placeholder (the template keeps its escapes until here)",
    from: String.raw`    const placeholdersNumber = templateStr.match(/\{\}/g)?.length ?? 0;`,
    to: String.raw`    const placeholdersNumber = templateStr.match(/\\[\s\S]|\{\}/g)?.filter((token) => token === "{}").length ?? 0;`,
  },
  {
    why: "States.Format: substitute placeholders and unescape in one pass",
    from: String.raw`    return templateStr.replace(/\{\}/g, () => placeholderValues[i++]);`,
    to: String.raw`    return templateStr.replace(/\\([\s\S])|\{\}/g, (token, escaped) => escaped ?? String(placeholderValues[i++]));`,
  },
  {
    why: "Retry backoff waits on the virtual clock",
    from: `        await sleep(waitTimeBeforeRetry, options.abortSignal);`,
    to: `        await (options.runOptions?.clock?.sleep ?? sleep)(waitTimeBeforeRetry, options.abortSignal);`,
  },
  {
    why: "A Task without TimeoutSeconds has no 60 s default (AWS: 99999999 s, never reached here)",
    from: `    let timeout = DEFAULT_TIMEOUT_SECONDS;`,
    to: `    let timeout = null;`,
  },
  { why: "(same)", from: `    return timeout * 1e3;`, to: `    return timeout === null ? null : timeout * 1e3;` },
  {
    why: "The Task learns the clock",
    from: `    const executionResult = await taskStateAction.execute(input, context, { overrideFn, awsConfig });`,
    to: `    const executionResult = await taskStateAction.execute(input, context, { overrideFn, awsConfig, clock: options.runOptions?.clock, limits: options.runOptions?.limits, stateName });`,
  },
  {
    why: "The Task's start on the virtual clock",
    from: `    const taskPromise = options.overrideFn ? (`,
    to: `    const startedAt = options.clock?.now();
    const taskPromise = options.overrideFn ? (`,
  },
  {
    why: "A Task's TimeoutSeconds on the virtual clock; its integration's result measured; no timer without TimeoutSeconds",
    from: `    const timeoutMs = this.getTimeoutMs(input, context);
    const { promise: timeoutPromise, reject: rejectTimeout } = Promise.withResolvers();
    const timeoutId = setTimeout(() => rejectTimeout(new StatesTimeoutError()), timeoutMs);`,
    to: `    const timeoutMs = this.getTimeoutMs(input, context);
    if (options.clock) {
      const result = await taskPromise;
      if (options.clock.timedOut(startedAt, timeoutMs)) throw new StatesTimeoutError();
      options.limits?.check(options.stateName, "result", result);
      return this.buildExecutionResult(result);
    }
    const { promise: timeoutPromise, reject: rejectTimeout } = Promise.withResolvers();
    const timeoutId = timeoutMs === null ? void 0 : setTimeout(() => rejectTimeout(new StatesTimeoutError()), timeoutMs);`,
  },
  {
    why: "The execution's TimeoutSeconds on the virtual clock",
    from: `      rejectOnTimeout = new Promise((_, reject) => {
        timeoutId = setTimeout(() => {`,
    to: `      rejectOnTimeout = new Promise((_, reject) => {
        const startTimer = options?.clock && !options._rootAbortSignal ? options.clock.setDeadline : setTimeout;
        timeoutId = startTimer(() => {`,
  },
  {
    why: "Each Parallel branch on its own timeline",
    from: `    const execution = stateMachine.run(input, options.runOptions);`,
    to: `    const run = () => stateMachine.run(input, options.runOptions);
    const execution = options.runOptions?.clock ? options.runOptions.clock.branch(run) : run();`,
  },
  {
    why: "Each Map iteration on its own timeline",
    from: `    const execution = stateMachine.run(paramValue ?? item, options.runOptions);`,
    to: `    const run = () => stateMachine.run(paramValue ?? item, options.runOptions);
    const execution = options.runOptions?.clock ? options.runOptions.clock.branch(run) : run();`,
  },
  {
    why: "Every state's input is measured, as received and after Parameters",
    from: `    const rawInput = cloneJSON(input);
    try {
      const processedInput = this.processInput(input, context);`,
    to: `    const rawInput = cloneJSON(input);
    const limits = options.runOptions?.limits;
    try {
      limits?.check(this.stateName, "input", input);
      const processedInput = this.processInput(input, context);
      if (processedInput !== input) limits?.check(this.stateName, "parameters", processedInput);`,
  },
  {
    why: "Every state's output is measured",
    from: `      const processedResult = this.processResult(currResult, rawInput, context);`,
    to: `      const processedResult = this.processResult(currResult, rawInput, context);
      limits?.check(this.stateName, "output", processedResult);`,
  },
  {
    why: "A terminal error (States.DataLimitExceeded) is not retried by a wildcard",
    from: `        const isErrorWildcard = retrierError === WILDCARD_ERROR;`,
    to: `        const isErrorWildcard = retrierError === WILDCARD_ERROR && !error.terminal;`,
  },
  {
    why: "A terminal error is not caught by a wildcard",
    from: `        const isErrorWildcard = catcherError === WILDCARD_ERROR;`,
    to: `        const isErrorWildcard = catcherError === WILDCARD_ERROR && !error.terminal;`,
  },
  {
    why: "A terminal error is not caught by States.TaskFailed either",
    from: `        const isErrorTaskWildcard = catcherError === TASK_STATE_WILDCARD_ERROR && this.stateDefinition.Type === "Task" && !(error instanceof StatesTimeoutError);`,
    to: `        const isErrorTaskWildcard = catcherError === TASK_STATE_WILDCARD_ERROR && this.stateDefinition.Type === "Task" && !(error instanceof StatesTimeoutError) && !error.terminal;`,
  },
  {
    why: "Speed: a Parallel branch or Map iteration aborts with its execution through one listener on the execution's signal, removed when it ends, instead of AbortSignal.any (a composite signal per branch, its weak references, 1 % of the engine's CPU); aborted the same, at the same moment",
    from: `    const abortSignal = options?._rootAbortSignal ? AbortSignal.any([abortController.signal, options._rootAbortSignal]) : abortController.signal;`,
    to: `    const abortSignal = abortController.signal;
    const rootSignal = options?._rootAbortSignal;
    const abortWithRoot = () => abortController.abort(rootSignal.reason);
    if (rootSignal?.aborted) abortController.abort(rootSignal.reason);
    else rootSignal?.addEventListener("abort", abortWithRoot, { once: true });`,
  },
  {
    why: "(same) the listener is removed when the branch or iteration ends",
    from: `      () => {
        abortSignal.removeEventListener("abort", onAbortHandler);
        clearTimeout(timeoutId);`,
    to: `      () => {
        abortSignal.removeEventListener("abort", onAbortHandler);
        rootSignal?.removeEventListener("abort", abortWithRoot);
        clearTimeout(timeoutId);`,
  },
  {
    why: "Speed: the event log wakes its reader by calling the waiting resolvers, not through an EventTarget (an Event object, a listener added and removed, per event); the same events in the same order",
    from: `    this.eventTarget = new EventTarget();`,
    to: `    this.waiters = [];`,
  },
  {
    why: "(same) closing wakes every waiting reader",
    from: `    this.isLoggerClosed = true;
    this.eventTarget.dispatchEvent(new Event("newEvent"));`,
    to: `    this.isLoggerClosed = true;
    this.waiters.splice(0).forEach((wake) => wake());`,
  },
  {
    why: "(same) an event wakes every waiting reader",
    from: `    this.eventQueue.push(event);
    this.eventTarget.dispatchEvent(new Event("newEvent"));`,
    to: `    this.eventQueue.push(event);
    this.waiters.splice(0).forEach((wake) => wake());`,
  },
  {
    why: "(same) a reader waits for the next event",
    from: `      this.eventTarget.addEventListener("newEvent", resolve, { once: true });`,
    to: `      this.waiters.push(resolve);`,
  },
  {
    why: "Speed: a JSONPath query that selects a scalar returns it, instead of jsonpath-plus throwing (and the caller catching) an Error to hand it back, a stack trace captured per query (4 % of the engine's CPU); the same query, the same result",
    from: `  if (pathExpression.startsWith("$$")) {
    evaluation = (0, import_jsonpath_plus.JSONPath)({ path: pathExpression.slice(1), json: context ?? null, wrap: false });
  } else {
    evaluation = (0, import_jsonpath_plus.JSONPath)({ path: pathExpression, json, wrap: false });
  }`,
    to: `  const query = pathExpression.startsWith("$$") ? { path: pathExpression.slice(1), json: context ?? null } : { path: pathExpression, json };
  evaluation = new import_jsonpath_plus.JSONPath({ ...query, wrap: false, autostart: false }).evaluate(query);`,
  },
];
