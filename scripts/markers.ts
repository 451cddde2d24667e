/**
 * Generated sections of a Markdown file: the text between `<!-- NAME:start -->` and
 * `<!-- NAME:end -->` belongs to a generator (the workflow's diagram, the bench's figures, the
 * sample output of npm start), the rest to people. A test regenerates each section and fails when
 * the file differs. Also the generators' writes (a file is written only when it changes) and their
 * command (`npm run diagram`, `npm run docs`).
 */
import * as fs from "fs";
import * as path from "path";
import { noPositionals, parseFlags } from "../cli/flags";

export const startMarker = (name: string): string => `<!-- ${name}:start -->`;
export const endMarker = (name: string): string => `<!-- ${name}:end -->`;

/** The names of the sections `text` has, in order. */
export function sectionNames(text: string): string[] {
  return [...text.matchAll(/<!-- ([a-z0-9-]+(?::[a-z0-9-]+)?):start -->/g)].map((m) => m[1]);
}

/** A section with its markers, or undefined when the section is missing. */
export function section(text: string, name: string): string | undefined {
  const start = text.indexOf(startMarker(name));
  const end = text.indexOf(endMarker(name), start);
  if (start < 0 || end < 0) return undefined;
  return text.slice(start, end + endMarker(name).length);
}

/** What is between a section's markers (without them), or undefined when the section is missing. */
export function sectionBody(text: string, name: string): string | undefined {
  return section(text, name)
    ?.slice(startMarker(name).length, -endMarker(name).length)
    .replace(/^\n/, "")
    .replace(/\n$/, "");
}

/**
 * `text` with each named section's body replaced, everything else kept. A section named that
 * `text` lacks, or one marker without the other, is an error naming the file: which text is
 * generated would be unclear, so nothing is touched.
 */
export function withSections(text: string, file: string, bodies: Readonly<Record<string, string>>): string {
  let out = text;
  for (const [name, body] of Object.entries(bodies)) {
    const start = out.indexOf(startMarker(name));
    const end = out.indexOf(endMarker(name), start < 0 ? 0 : start);
    if (start < 0 || end < 0) {
      throw new Error(`${file} has no section ${startMarker(name)} … ${endMarker(name)}`);
    }
    out = `${out.slice(0, start + startMarker(name).length)}\n${body.trimEnd()}\n${out.slice(end)}`;
  }
  return out;
}

/** Writes `text` to `file` under `dir` (creating its folder) unless it holds it already; true when written. */
export function writeIfChanged(dir: string, file: string, text: string): boolean {
  const full = path.join(dir, file);
  if (fs.existsSync(full) && fs.readFileSync(full, "utf8") === text) return false;
  fs.mkdirSync(path.dirname(full), { recursive: true });
  fs.writeFileSync(full, text);
  return true;
}

/** Replaces sections of `file` under `dir` (withSections; the file must exist); true when it changed. */
export function writeSections(dir: string, file: string, bodies: Readonly<Record<string, string>>): boolean {
  return writeIfChanged(dir, file, withSections(fs.readFileSync(path.join(dir, file), "utf8"), file, bodies));
}

/** A generator's command line: `usage` on --help; else it writes and says which files changed, or `upToDate`. */
export async function generatorMain(
  argv: readonly string[],
  usage: string,
  write: () => string[] | Promise<string[]>,
  upToDate: string,
): Promise<number> {
  const parsed = parseFlags(argv, {});
  if (parsed.values.has("help")) {
    process.stdout.write(usage);
    return 0;
  }
  noPositionals(parsed);
  const changed = await write();
  process.stdout.write(changed.length > 0 ? `updated ${[...new Set(changed)].join(", ")}\n` : `${upToDate}\n`);
  return 0;
}
