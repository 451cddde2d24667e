/**
 * aws-local-stepfunctions 3 calls `Promise.withResolvers` (Node.js 22+); Node.js 20 lacks it.
 * Imported for its side effect before the engine.
 */
interface WithResolvers {
  withResolvers?: <T>() => { promise: Promise<T>; resolve: (value: T) => void; reject: (reason?: unknown) => void };
}

const promise = Promise as unknown as WithResolvers;
if (typeof promise.withResolvers !== "function") {
  promise.withResolvers = <T>() => {
    let resolve!: (value: T) => void;
    let reject!: (reason?: unknown) => void;
    const created = new Promise<T>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise: created, resolve, reject };
  };
}

export {};
