/**
 * The zipped size of each Lambda archive: its files deflated at Pulumi's level in a minimal zip
 * container (zip.ts), then read back with zlib's inflateRaw (central directory → entries), each size
 * and CRC-32 checked. No system tool is needed.
 */
import { FUNCTION_KEYS, FunctionKey } from "../../workflow/functions";
import { KIB } from "./common";
import type { FunctionOfStack } from "./stack";
import { readZip, zipFiles } from "./zip";

export const ARCHIVE_LIMIT_BYTES = 16 * KIB;

export interface ArchiveFigures {
  readonly files: string[];
  readonly uncompressedBytes: number;
  readonly zippedBytes: number;
  /** The bytes `readZip` inflated back from the archive; the bench fails unless each file reads back unchanged. */
  readonly inflatedBytes: number;
}

export interface Archives {
  readonly archives: Record<FunctionKey, ArchiveFigures>;
  /** Each function's zipped bytes. */
  readonly lambdaArchiveBytes: Record<FunctionKey, number>;
}

export function measureArchive(files: Record<string, string>): ArchiveFigures {
  const zipped = zipFiles(files);
  // What was written must read back as the same files, and nothing else.
  const back = readZip(zipped);
  if (back.map((e) => e.name).join("\n") !== Object.keys(files).join("\n"))
    throw new Error("the zip read back holds other files");
  for (const { name, data } of back) {
    if (data.toString("utf8") !== files[name]) throw new Error(`${name} did not survive the zip round trip`);
  }
  return {
    files: Object.keys(files),
    uncompressedBytes: Object.values(files).reduce((sum, text) => sum + Buffer.byteLength(text), 0),
    zippedBytes: zipped.length,
    inflatedBytes: back.reduce((sum, e) => sum + e.data.length, 0),
  };
}

export function measureArchives(functions: Record<FunctionKey, FunctionOfStack>): Archives {
  const archives = {} as Record<FunctionKey, ArchiveFigures>;
  for (const name of FUNCTION_KEYS) archives[name] = measureArchive(functions[name].files);
  const lambdaArchiveBytes = Object.fromEntries(FUNCTION_KEYS.map((n) => [n, archives[n].zippedBytes])) as Record<
    FunctionKey,
    number
  >;
  return { archives, lambdaArchiveBytes };
}
