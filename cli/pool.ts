/** A bounded pool: many tasks, at most `concurrency` at a time, results handed on in input order. */

export interface PoolOptions<R> {
  readonly concurrency: number;
  /** Called once per item, in input order, as soon as that item and every one before it are done. */
  readonly onResult?: (result: R, index: number) => void;
  /** Called as each item completes, in whatever order they complete, with how many are done. */
  readonly onProgress?: (done: number) => void;
}

/**
 * Runs `task` over `items`, at most `concurrency` at once, and resolves with the results in input
 * order. When a task (or a callback) throws, no further task starts; the pool waits for those running and rejects
 * with the first error.
 */
export async function runPool<T, R>(
  items: readonly T[],
  task: (item: T, index: number) => Promise<R>,
  options: PoolOptions<R>,
): Promise<R[]> {
  if (!Number.isInteger(options.concurrency) || options.concurrency < 1) {
    throw new RangeError(`concurrency must be a positive integer (got ${options.concurrency})`);
  }
  const results = new Array<R>(items.length);
  const ready = new Array<boolean>(items.length).fill(false);
  let next = 0;
  let emitted = 0;
  let done = 0;
  let failure: { error: unknown } | undefined;

  const emitReady = () => {
    while (emitted < items.length && ready[emitted]) {
      options.onResult?.(results[emitted], emitted);
      emitted++;
    }
  };

  const worker = async () => {
    while (failure === undefined && next < items.length) {
      const index = next++;
      try {
        results[index] = await task(items[index], index);
        ready[index] = true;
        done++;
        options.onProgress?.(done);
        emitReady();
      } catch (error) {
        failure ??= { error };
        return;
      }
    }
  };

  await Promise.all(Array.from({ length: Math.min(options.concurrency, items.length) }, worker));
  if (failure !== undefined) throw failure.error;
  return results;
}
