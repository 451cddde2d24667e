/**
 * The stack's access-relevant resources (roles, policies, functions, state machines, topics, keys,
 * tables), as the program registers them under mocks, kept in node_modules/.cache between runs:
 * loading the program takes seconds, and every `npm start` would pay it. The file is named by a
 * hash of every source the stack is built from (the program, its components, the workflow, the
 * handlers, the loader, the stack files, the lockfile), so any change loads the program again.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import type { RecordedResource } from "../../program/load";

export const PROJECT_ROOT = path.resolve(__dirname, "..", "..");

/** What the access model reads of a resource. */
export type CachedResource = Pick<RecordedResource, "type" | "name" | "inputs" | "outputs">;

export interface CachedStack {
  readonly resources: readonly CachedResource[];
  readonly region: string | undefined;
}

const SOURCES = ["index.ts", "components", "workflow", "handlers", "program", "engine/iam"];
const FILES = ["Pulumi.yaml", "Pulumi.dev.yaml", "package-lock.json"];
const TYPES = /^aws:(iam|lambda\/function|sfn\/stateMachine|sns\/topic|sns\/topicPolicy|kms|dynamodb\/table)/;

function sourceFiles(entry: string): string[] {
  const full = path.join(PROJECT_ROOT, entry);
  if (!fs.existsSync(full)) return [];
  if (!fs.statSync(full).isDirectory()) return [full];
  return fs
    .readdirSync(full)
    .sort()
    .flatMap((name) => sourceFiles(path.join(entry, name)));
}

/** A hash of every source the stack's resources depend on. */
export function sourceHash(): string {
  const hash = createHash("sha256");
  for (const file of [...SOURCES, ...FILES].flatMap(sourceFiles)) {
    hash.update(path.relative(PROJECT_ROOT, file)).update("\0").update(fs.readFileSync(file)).update("\0");
  }
  return hash.digest("hex").slice(0, 16);
}

/** A function's code is an archive of assets: not read, and not JSON. */
function withoutCode(props: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(props).filter(([key]) => key !== "code"));
}

/** The cached stack, or `load()`'s (then cached: written whole, then renamed, so readers never see half). */
export async function cachedStack(
  load: () => Promise<{ readonly resources: readonly RecordedResource[]; readonly region: string | undefined }>,
  dir = path.join(PROJECT_ROOT, "node_modules", ".cache", "order-workflow"),
): Promise<CachedStack> {
  const file = path.join(dir, `stack-access-${sourceHash()}.json`);
  try {
    return JSON.parse(fs.readFileSync(file, "utf8")) as CachedStack;
  } catch {
    // Not cached yet (or unreadable): load the program.
  }
  const { resources, region } = await load();
  const kept: CachedResource[] = resources
    .filter((r) => TYPES.test(r.type))
    .map(({ type, name, inputs, outputs }) => ({
      type,
      name,
      inputs: withoutCode(inputs),
      outputs: withoutCode(outputs),
    }));
  const stack: CachedStack = { resources: kept, region };
  fs.mkdirSync(dir, { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, JSON.stringify(stack));
  fs.renameSync(temporary, file);
  return stack;
}
