/**
 * Draws a state machine definition as a Mermaid `stateDiagram-v2`, from the same typed definition
 * that is deployed, so the picture in the README cannot drift from the workflow.
 *
 * Parallel states become composite states with one region per branch, a Map state a composite
 * state holding its iterator; Choice rules are labelled with their conditions, Catch edges with the
 * errors they catch; Succeed and Fail states, and states with `End`, lead to the end `[*]`.
 * Retries are not drawn: they return to the same state.
 */
import { Condition, State, SubMachine, children } from "./asl";

/** Mermaid's state diagram keywords, which cannot serve as state ids. */
const KEYWORDS = new Set([
  "click",
  "href",
  "default",
  "state",
  "note",
  "class",
  "classdef",
  "style",
  "scale",
  "direction",
  "end",
]);

/** Visual kinds of states, as Mermaid classes (declared once at the end of the diagram). */
const CLASS_DEFS: Readonly<Record<"choice" | "succeed" | "fail", string>> = {
  choice: "fill:#fff4d6,stroke:#b7791f",
  succeed: "fill:#e3f6e8,stroke:#2f855a",
  fail: "fill:#fde2e1,stroke:#c53030",
};

/** Mermaid ids: letters, digits and `_`; unique across the diagram, whose ids share one namespace. */
class Ids {
  private readonly used = new Set<string>();
  private readonly bySubMachine = new Map<SubMachine, Map<string, string>>();

  of(sub: SubMachine, name: string): string {
    let names = this.bySubMachine.get(sub);
    if (names === undefined) {
      names = new Map();
      this.bySubMachine.set(sub, names);
    }
    const known = names.get(name);
    if (known !== undefined) return known;
    let base = name.replace(/[^A-Za-z0-9_]/g, "_");
    if (base === "" || /^\d/.test(base) || KEYWORDS.has(base.toLowerCase())) base = `s_${base}`;
    let id = base;
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`;
    this.used.add(id);
    names.set(name, id);
    return id;
  }
}

/** Text Mermaid accepts in a label: no line breaks, a `;` (a statement separator) becomes a full-width `；`, no `::` nor a trailing `:`. */
function label(text: string): string {
  return text.replace(/\s+/g, " ").trim().replace(/;/g, "；").replace(/:{2,}/g, ":").replace(/:$/, "");
}

/** A quoted state title: Mermaid's quoted strings cannot hold `"`. */
function title(text: string): string {
  return label(text).replace(/"/g, "'");
}

/** A JSON value as a condition shows it: strings quoted, the rest as JSON. */
function literal(value: string | number | boolean): string {
  return JSON.stringify(value);
}

/** A Choice rule's condition in words, e.g. `$.quantityInStock > 0` or `$.a is present and not ($.b == "x")`. */
export function describeCondition(condition: Condition): string {
  const nested = (c: Condition): string =>
    "And" in c || "Or" in c ? `(${describeCondition(c)})` : describeCondition(c);
  if ("And" in condition) return condition.And.map(nested).join(" and ");
  if ("Or" in condition) return condition.Or.map(nested).join(" or ");
  if ("Not" in condition) return `not ${nested(condition.Not)}`;
  const v = condition.Variable;
  if ("StringEquals" in condition) return `${v} == ${literal(condition.StringEquals)}`;
  if ("BooleanEquals" in condition) return `${v} == ${literal(condition.BooleanEquals)}`;
  if ("NumericEquals" in condition) return `${v} == ${literal(condition.NumericEquals)}`;
  if ("NumericGreaterThan" in condition) return `${v} > ${literal(condition.NumericGreaterThan)}`;
  if ("IsPresent" in condition) return condition.IsPresent ? `${v} is present` : `${v} is absent`;
  if ("IsString" in condition) return condition.IsString ? `${v} is a string` : `${v} is not a string`;
  return condition.IsNull ? `${v} is null` : `${v} is not null`;
}

/** What a state does, shown under its name. */
function describeState(state: State<string>): string | undefined {
  switch (state.Type) {
    case "Task": {
      // Service integrations read best by their service and action: arn:aws:states:::sns:publish → sns:publish.
      const integration = /^arn:aws:states:::(.+)$/.exec(state.Resource);
      return integration ? integration[1] : "Task";
    }
    case "Pass":
      return "Pass";
    case "Choice":
      return "Choice";
    case "Succeed":
      return "Succeed";
    case "Fail":
      return state.Error !== undefined ? `Fail ${state.Error}` : `Fail (ErrorPath ${state.ErrorPath})`;
    case "Parallel":
    case "Map":
      return undefined;
  }
}

function classOf(state: State<string>): keyof typeof CLASS_DEFS | undefined {
  if (state.Type === "Choice") return "choice";
  if (state.Type === "Succeed") return "succeed";
  if (state.Type === "Fail") return "fail";
  return undefined;
}

interface Edge {
  readonly from: string;
  readonly to: string;
  readonly label?: string;
}

/** The edges leaving a state, in the order the definition lists them. */
function edgesOf(state: State<string>, id: (name: string) => string, self: string): Edge[] {
  const edges: Edge[] = [];
  if (state.Type === "Choice") {
    for (const rule of state.Choices) edges.push({ from: self, to: id(rule.Next), label: describeCondition(rule) });
    if (state.Default !== undefined) edges.push({ from: self, to: id(state.Default), label: "otherwise" });
  }
  if ("Next" in state && typeof state.Next === "string") edges.push({ from: self, to: id(state.Next) });
  if ("Catch" in state && state.Catch) {
    for (const catcher of state.Catch) {
      edges.push({ from: self, to: id(catcher.Next), label: `catch ${catcher.ErrorEquals.join(", ")}` });
    }
  }
  const ends = state.Type === "Succeed" || state.Type === "Fail" || ("End" in state && state.End === true);
  if (ends) edges.push({ from: self, to: "[*]" });
  return edges;
}

/**
 * Renders `def` as a Mermaid `stateDiagram-v2`. Pure and deterministic: the same definition always
 * gives the same text, ending with a newline.
 */
export function toMermaid(def: SubMachine): string {
  const ids = new Ids();
  const classes = new Map<keyof typeof CLASS_DEFS, string[]>();
  const lines: string[] = ["stateDiagram-v2"];

  const emit = (sub: SubMachine, depth: number): void => {
    const pad = "  ".repeat(depth);
    const id = (name: string): string => ids.of(sub, name);
    lines.push(`${pad}[*] --> ${id(sub.StartAt)}`);
    for (const [name, state] of Object.entries(sub.States)) {
      const self = id(name);
      // A state shows its title and, under it, its description; with a description and no title,
      // Mermaid would show the description alone, so every state is declared with its title.
      const named = `"${title(name)}" as ${self}`;
      const regions = children(state);
      if (regions.length > 0) {
        lines.push(`${pad}state ${named} {`);
        regions.forEach((region, i) => {
          if (i > 0) lines.push(`${pad}  --`);
          emit(region, depth + 1);
        });
        lines.push(`${pad}}`);
      } else {
        lines.push(`${pad}state ${named}`);
      }
      const description = describeState(state);
      if (description !== undefined) lines.push(`${pad}${self} : ${label(description)}`);
      const kind = classOf(state);
      if (kind !== undefined) classes.set(kind, [...(classes.get(kind) ?? []), self]);
    }
    for (const [name, state] of Object.entries(sub.States)) {
      for (const edge of edgesOf(state, id, id(name))) {
        lines.push(`${pad}${edge.from} --> ${edge.to}${edge.label !== undefined ? ` : ${label(edge.label)}` : ""}`);
      }
    }
  };

  emit(def, 1);
  for (const [kind, style] of Object.entries(CLASS_DEFS) as Array<[keyof typeof CLASS_DEFS, string]>) {
    const members = classes.get(kind);
    if (members === undefined) continue;
    lines.push(`  classDef ${kind} ${style}`);
    lines.push(`  class ${members.join(",")} ${kind}`);
  }
  return `${lines.join("\n")}\n`;
}
