/**
 * The repository's own rules, as the README's "Repository layout" section and the code standards
 * state them: no source file over 400 lines; no function over 80 lines outside tests; handlers
 * never import Pulumi; components take from handlers/ only the data contract and the settings (the
 * handlers themselves reach them through the registry, workflow/functions.ts); every file opens
 * with a `/** … *\/` header; and every path the layout section names exists, so that the section
 * cannot drift from the tree.
 */
import { strict as assert } from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

const ROOT = path.resolve(__dirname, "..");
const MAX_FILE_LINES = 400;
const MAX_FUNCTION_LINES = 80;

/** The source files git tracks: TypeScript and JavaScript, outside node_modules. */
function sourceFiles(): string[] {
  const out = execFileSync("git", ["ls-files", "-z", "--", "*.ts", "*.js", "*.mjs"], { cwd: ROOT, encoding: "utf8" });
  return out
    .split("\0")
    .filter((file) => file !== "" && !file.split("/").includes("node_modules"))
    .filter((file) => fs.existsSync(path.join(ROOT, file)))
    .sort();
}

const read = (file: string): string => fs.readFileSync(path.join(ROOT, file), "utf8");
const isTest = (file: string): boolean => file.startsWith("tests/");

function lineCount(text: string): number {
  const lines = text.split("\n").length;
  return text.endsWith("\n") ? lines - 1 : lines;
}

function parse(file: string): ts.SourceFile {
  return ts.createSourceFile(file, read(file), ts.ScriptTarget.Latest, true);
}

/** Every function, method, constructor, accessor and arrow of `source`, with its name and its lines. */
function functionsOf(source: ts.SourceFile): Array<{ readonly where: string; readonly lines: number }> {
  const found: Array<{ where: string; lines: number }> = [];
  const line = (pos: number): number => source.getLineAndCharacterOfPosition(pos).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && "body" in node && node.body !== undefined) {
      const start = line(node.getStart(source));
      const name = node.name !== undefined && ts.isIdentifier(node.name) ? node.name.text : nameFromParent(node);
      found.push({ where: `${source.fileName}:${start} ${name}`, lines: line(node.getEnd()) - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** An anonymous function's name from what holds it: `const x = () => …`, `{ x: () => … }`, or its kind. */
function nameFromParent(node: ts.Node): string {
  const parent = node.parent;
  if ((ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent)) && ts.isIdentifier(parent.name)) {
    return parent.name.text;
  }
  return ts.isConstructorDeclaration(node) ? "constructor" : `(${ts.SyntaxKind[node.kind]})`;
}

/** The modules a file imports: import and export declarations, `import x = require()`, require() and import(). */
function importsOf(source: ts.SourceFile): string[] {
  const specifiers: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier !== undefined) {
      if (ts.isStringLiteral(node.moduleSpecifier)) specifiers.push(node.moduleSpecifier.text);
    } else if (ts.isExternalModuleReference(node) && ts.isStringLiteral(node.expression)) {
      specifiers.push(node.expression.text);
    } else if (ts.isCallExpression(node) && node.arguments.length > 0 && ts.isStringLiteral(node.arguments[0])) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === "require")) {
        specifiers.push(node.arguments[0].text);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return specifiers;
}

/** A relative import of `file` as a path from the repository's root (without extension); undefined for a package. */
function resolveLocal(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  return path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier)).replace(/\.(ts|js)$/, "");
}

/** The README's "Repository layout" section, up to the next `## ` heading. */
function layoutSection(): string {
  const readme = read("README.md");
  const start = readme.indexOf("\n## Repository layout\n");
  assert.ok(start >= 0, "README.md has a '## Repository layout' section");
  const end = readme.indexOf("\n## ", start + 1);
  return readme.slice(start, end < 0 ? undefined : end);
}

const PATH_LIKE = /^[\w.<>/-]+$/;
const FILE_LIKE = /\.(ts|js|mjs|json|md|yaml|yml|html)$/;
const isDir = (p: string): boolean =>
  fs.existsSync(path.join(ROOT, p)) && fs.statSync(path.join(ROOT, p)).isDirectory();

/**
 * The paths a piece of the section names, from the root: a backticked token with a `/` or a file
 * ending. A token whose first segment is not a top-level folder is relative to `folder` (a table
 * row's: `asl.ts` in the `workflow/` row is workflow/asl.ts). A placeholder segment (`<name>.ts`)
 * names its folder.
 */
function namedPaths(text: string, folder: string | undefined): string[] {
  const tokens = [...text.matchAll(/`([^`]+)`/g)].map((m) => m[1]);
  return tokens
    .filter((token) => PATH_LIKE.test(token) && (token.includes("/") || FILE_LIKE.test(token)))
    .map((token) => {
      const rooted = folder === undefined || isDir(token.split("/")[0]) || token === folder;
      const full = rooted ? token : path.posix.join(folder, token);
      const placeholder = full.split("/").findIndex((segment) => segment.includes("<"));
      return placeholder < 0 ? full : `${full.split("/").slice(0, placeholder).join("/")}/`;
    });
}

/** The table's rows: each row's folder (its first cell) and the paths its description names. */
function tableRows(section: string): Array<{ readonly folder: string; readonly paths: string[] }> {
  return section
    .split("\n")
    .filter((row) => /^\| `[^`]+` \|/.test(row))
    .map((row) => {
      const [, first, ...rest] = row.split("|");
      const folder = first.trim().replace(/^`|`$/g, "");
      return { folder, paths: [folder, ...namedPaths(rest.join("|"), folder.replace(/\/$/, ""))] };
    });
}

/** The section's paths outside the table (the recipes), from the root. */
function recipePaths(section: string): string[] {
  const prose = section
    .split("\n")
    .filter((row) => !row.startsWith("|"))
    .join("\n");
  return namedPaths(prose, undefined);
}

describe("the repository", () => {
  const files = sourceFiles();

  it("finds the source files (git ls-files)", () => {
    assert.ok(files.includes("index.ts") && files.includes("workflow/functions.ts"), files.join(", "));
  });

  it(`has no source file over ${MAX_FILE_LINES} lines`, () => {
    const long = files
      .map((file) => ({ file, lines: lineCount(read(file)) }))
      .filter(({ lines }) => lines > MAX_FILE_LINES)
      .map(({ file, lines }) => `${file} (${lines} lines)`);
    assert.deepEqual(long, []);
  });

  it(`has no function over ${MAX_FUNCTION_LINES} lines outside tests (the TypeScript compiler's view)`, () => {
    const long = files
      .filter((file) => !isTest(file))
      .flatMap((file) => functionsOf(parse(file)))
      .filter((fn) => fn.lines > MAX_FUNCTION_LINES)
      .map((fn) => `${fn.where} (${fn.lines} lines)`);
    assert.deepEqual(long, []);
  });

  it("imports no Pulumi package anywhere under handlers/", () => {
    const pulumi = files
      .filter((file) => file.startsWith("handlers/"))
      .flatMap((file) => importsOf(parse(file)).map((specifier) => `${file} imports ${specifier}`))
      .filter((line) => / imports @pulumi\//.test(line));
    assert.deepEqual(pulumi, []);
  });

  it("lets components take from handlers/ only the data contract and the settings (the rest through the registry)", () => {
    const allowed = new Set(["handlers/contract", "handlers/ports/config"]);
    const reached = files
      .filter((file) => file.startsWith("components/"))
      .flatMap((file) => importsOf(parse(file)).map((specifier) => ({ file, local: resolveLocal(file, specifier) })))
      .filter(({ local }) => local !== undefined && local.startsWith("handlers/") && !allowed.has(local))
      .map(({ file, local }) => `${file} imports ${local}`);
    assert.deepEqual(reached, []);
  });

  it("opens every source file with a /** */ header", () => {
    const bare = files.filter((file) => !read(file).trimStart().startsWith("/**"));
    assert.deepEqual(bare, []);
  });

  describe("README's Repository layout section", () => {
    const section = layoutSection();
    const rows = tableRows(section);

    it("names only paths that exist, in its table", () => {
      const missing = rows.flatMap((row) => row.paths).filter((p) => !fs.existsSync(path.join(ROOT, p)));
      assert.ok(rows.length > 0, "the section has a table of folders");
      assert.deepEqual(missing, []);
    });

    it("names only paths that exist, in its recipes (adding a function, a policy rule, a gateway)", () => {
      const paths = recipePaths(section);
      assert.ok(paths.includes("workflow/functions.ts"), "the recipe for a new function names the registry");
      assert.deepEqual(
        paths.filter((p) => !fs.existsSync(path.join(ROOT, p))),
        [],
      );
    });

    it("names every folder that holds source outside tests/", () => {
      const named = new Set(
        rows
          .flatMap((row) => row.paths)
          .concat(recipePaths(section))
          .map((p) => (isDir(p) ? p.replace(/\/$/, "") : path.posix.dirname(p))),
      );
      const folders = [...new Set(files.map((file) => path.posix.dirname(file)))]
        .filter((dir) => dir !== "." && !dir.startsWith(".") && !isTest(`${dir}/`))
        .filter((dir) => !named.has(dir))
        .sort();
      assert.deepEqual(folders, []);
    });
  });
});
