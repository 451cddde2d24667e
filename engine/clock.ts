/**
 * The virtual clock of an execution: retry backoff, Task timeouts and the execution's
 * TimeoutSeconds are counted on it, and nothing really sleeps. Each Parallel branch and Map
 * iteration runs on its own timeline (they run concurrently on AWS); the state that started them
 * resumes at the latest of theirs.
 */
import { AsyncLocalStorage } from "async_hooks";

/** One timeline of one clock: milliseconds since the execution started. */
interface Timeline {
  readonly clock: VirtualClock;
  t: number;
}

/**
 * One store for every clock in the process, not one per clock. Node keeps each AsyncLocalStorage
 * that ever ran in a process-wide list and calls every one of them on each promise created, so a
 * storage per execution made every promise cost O(executions run so far): 500 orders spent a
 * quarter of their CPU there (docs/bench.md). A timeline names its clock; another clock's is ignored.
 */
const TIMELINES = new AsyncLocalStorage<Timeline>();

/** Where the clock stands when the execution's TimeoutSeconds is reached, and what then happens. */
interface Deadline {
  readonly at: number;
  readonly fire: () => void;
}

export class VirtualClock {
  private readonly root: Timeline = { clock: this, t: 0 };
  private deadline: Deadline | undefined;
  private fired = false;
  /** The latest moment any timeline reached. */
  private latest = 0;

  private get current(): Timeline {
    const store = TIMELINES.getStore();
    return store?.clock === this ? store : this.root;
  }

  /** Milliseconds of virtual time since the execution started, on the caller's timeline. */
  now(): number {
    return this.current.t;
  }

  /** How long the execution has run: the latest moment reached on any timeline. */
  get elapsedMs(): number {
    return Math.max(this.latest, this.root.t);
  }

  /** Moves the caller's timeline on by `ms`; past the deadline, the execution times out there. */
  advance(ms: number): void {
    const timeline = this.current;
    timeline.t += ms;
    if (this.deadline !== undefined && timeline.t >= this.deadline.at) {
      timeline.t = this.deadline.at;
      if (!this.fired) {
        this.fired = true;
        this.deadline.fire();
      }
    }
    this.latest = Math.max(this.latest, timeline.t);
  }

  /** What the library calls instead of its `sleep`: the time passes at once. */
  readonly sleep = async (ms: number, abortSignal?: AbortSignal): Promise<void> => {
    if (abortSignal?.aborted) return;
    this.advance(ms);
    // Let other work (the timeout's abort, concurrent branches) run, as a real wait would.
    await new Promise<void>((resolve) => setImmediate(resolve));
  };

  /** Called by the library in place of `setTimeout` for the execution's TimeoutSeconds. */
  readonly setDeadline = (fire: () => void, ms: number): undefined => {
    this.deadline = { at: ms, fire };
    return undefined;
  };

  /** A Task that ran `startedAt`..now with a timeout of `timeoutMs`: whether it timed out (the clock then stands at its timeout). */
  timedOut(startedAt: number, timeoutMs: number | null): boolean {
    const timeline = this.current;
    if (timeoutMs === null || timeline.t - startedAt <= timeoutMs) return false;
    timeline.t = startedAt + timeoutMs;
    return true;
  }

  /** Runs a Parallel branch or a Map iteration on its own timeline, joined to the caller's when it ends. */
  branch<E extends { result: Promise<unknown> }>(start: () => E): E {
    const parent = this.current;
    const child: Timeline = { clock: this, t: parent.t };
    const execution = TIMELINES.run(child, start);
    const join = () => {
      parent.t = Math.max(parent.t, child.t);
    };
    const result = execution.result.then(
      (value) => {
        join();
        return value;
      },
      (error: unknown) => {
        join();
        throw error;
      },
    );
    return { ...execution, result };
  }
}
