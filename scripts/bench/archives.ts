/**
 * The zipped size of each Lambda archive: its files deflated at Pulumi's level in a minimal zip
 * container (zip.ts), read back, and cross-checked with the `zip` CLI where it is installed.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { FUNCTION_NAMES, FunctionName } from "../../engine/bundles";
import { KIB } from "./common";
import type { FunctionOfStack } from "./stack";
import { unzipFiles, zipFiles } from "./zip";

export const ARCHIVE_LIMIT_BYTES = 16 * KIB;

export interface ArchiveFigures {
  readonly files: string[];
  readonly uncompressedBytes: number;
  readonly zippedBytes: number;
  /** The same files zipped by the `zip` CLI at level 5, when it is installed (a cross-check). */
  readonly zipCliBytes: number | null;
}

export interface Archives {
  readonly archives: Record<FunctionName, ArchiveFigures>;
  /** Each function's zipped bytes. */
  readonly lambdaArchiveBytes: Record<FunctionName, number>;
}

function hasCommand(command: string): boolean {
  try {
    execFileSync("which", [command], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** The files zipped by `zip -X -5` in a folder under `scratch`, after `unzip -t` accepts `zipped`; null without the CLI. */
function zipCliBytes(files: Record<string, string>, zipped: Buffer, scratch: string): number | null {
  if (!hasCommand("zip")) return null;
  const dir = fs.mkdtempSync(path.join(scratch, "zip-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  execFileSync("zip", ["-q", "-X", "-5", "cli.zip", ...Object.keys(files)], { cwd: dir });
  const bytes = fs.statSync(path.join(dir, "cli.zip")).size;
  fs.writeFileSync(path.join(dir, "node.zip"), zipped);
  if (hasCommand("unzip")) execFileSync("unzip", ["-tq", "node.zip"], { cwd: dir, stdio: "ignore" });
  return bytes;
}

export function measureArchive(files: Record<string, string>, scratch: string): ArchiveFigures {
  const zipped = zipFiles(files);
  // What was written must read back as the same files.
  const back = unzipFiles(zipped);
  for (const [name, text] of Object.entries(files)) {
    if (back[name]?.toString("utf8") !== text) throw new Error(`${name} did not survive the zip round trip`);
  }
  return {
    files: Object.keys(files),
    uncompressedBytes: Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text), 0),
    zippedBytes: zipped.length,
    zipCliBytes: zipCliBytes(files, zipped, scratch),
  };
}

export function measureArchives(functions: Record<FunctionName, FunctionOfStack>, scratch: string): Archives {
  const archives = {} as Record<FunctionName, ArchiveFigures>;
  for (const name of FUNCTION_NAMES) archives[name] = measureArchive(functions[name].files, scratch);
  const lambdaArchiveBytes = Object.fromEntries(FUNCTION_NAMES.map((n) => [n, archives[n].zippedBytes])) as Record<FunctionName, number>;
  return { archives, lambdaArchiveBytes };
}
