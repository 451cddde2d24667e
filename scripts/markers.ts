/**
 * Generated sections of a Markdown file: the text between `<!-- NAME:start -->` and
 * `<!-- NAME:end -->` belongs to a generator (the bench's figures, the sample output of npm start),
 * the rest to people. A test regenerates each section and fails when the file differs.
 */

export const startMarker = (name: string): string => `<!-- ${name}:start -->`;
export const endMarker = (name: string): string => `<!-- ${name}:end -->`;

/** The names of the sections `text` has, in order. */
export function sectionNames(text: string): string[] {
  return [...text.matchAll(/<!-- ([a-z0-9-]+(?::[a-z0-9-]+)?):start -->/g)].map((m) => m[1]);
}

/** What is between a section's markers (without them), or undefined when the section is missing. */
export function sectionBody(text: string, name: string): string | undefined {
  const start = text.indexOf(startMarker(name));
  const end = text.indexOf(endMarker(name), start);
  if (start < 0 || end < 0) return undefined;
  return text
    .slice(start + startMarker(name).length, end)
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
