/** What code under test writes to the console, captured. */

/** Runs `body` with console.log captured; returns what was logged. */
export async function captureLogs(body: () => Promise<unknown>): Promise<string[]> {
  const lines: string[] = [];
  const original = console.log;
  console.log = (...args: unknown[]) => {
    lines.push(args.map(String).join(" "));
  };
  try {
    await body();
  } finally {
    console.log = original;
  }
  return lines;
}
