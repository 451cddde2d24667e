/**
 * An append-only file of JSON objects, one a line, that survives a crash: every append is written
 * (and, unless told otherwise, fsync'd) before it returns, and a last line torn by a crash (bytes
 * after the last newline) is cut off when the file is opened again. Synchronous on purpose: in one
 * process nothing runs between reading the entries and appending one, so check-then-append is atomic.
 */
import * as fs from "fs";
import * as path from "path";

export class JsonLinesFile<T> {
  private constructor(
    private readonly fd: number,
    /** The entries in the file when it was opened (a torn last line dropped). */
    public readonly entries: readonly T[],
    private readonly file: string,
    private readonly parse: (value: unknown) => T,
  ) {}

  /** The entries in the file now, those other writers appended since it was opened included. */
  current(): readonly T[] {
    return readLines(fs.readFileSync(this.file, "utf8"), this.parse, this.file).entries;
  }

  /** Opens `file` (creating it and its folder if needed); `parse` checks each line's shape, throwing if wrong. */
  static open<T>(file: string, parse: (value: unknown) => T): JsonLinesFile<T> {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const fd = fs.openSync(file, "a+");
    const text = fs.readFileSync(fd, "utf8");
    const { entries, keep } = readLines(text, parse, file);
    if (keep < Buffer.byteLength(text, "utf8")) {
      // A crash cut the last append short: drop it, so that the next append starts a line of its own.
      fs.ftruncateSync(fd, keep);
      fs.fsyncSync(fd);
    }
    return new JsonLinesFile(fd, entries, file, parse);
  }

  /** Appends `entry` as one line; once this returns the line is written, and with `sync` on disk. */
  append(entry: T, options: { readonly sync: boolean } = { sync: true }): void {
    fs.writeSync(this.fd, `${JSON.stringify(entry)}\n`);
    if (options.sync) fs.fsyncSync(this.fd);
  }

  close(): void {
    fs.closeSync(this.fd);
  }
}

/**
 * The entries of `text`, and how many of its bytes to keep. Only what follows the last newline can
 * be torn (a write is cut short at its end, and the newline is its last byte); a bad line before it
 * is corruption, and fails loudly with the file and line.
 */
export function readLines<T>(text: string, parse: (value: unknown) => T, file: string): { entries: T[]; keep: number } {
  const end = text.lastIndexOf("\n") + 1;
  const whole = text.slice(0, end);
  const entries = whole === "" ? [] : whole.slice(0, -1).split("\n");
  return {
    entries: entries.map((line, i) => {
      try {
        return parse(JSON.parse(line) as unknown);
      } catch (error) {
        throw new Error(
          `Line ${i + 1} of ${file} is not a valid entry (${(error as Error).message}); the file is corrupt.`,
        );
      }
    }),
    keep: Buffer.byteLength(whole, "utf8"),
  };
}
