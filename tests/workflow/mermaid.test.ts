/** workflow/mermaid.ts: a state machine definition drawn as a Mermaid stateDiagram-v2. */
import { strict as assert } from "assert";
import { allStates, machine, successors } from "../../workflow/asl";
import { orderWorkflowDefinition, workflowResources } from "../../workflow/definition";
import { describeCondition, toMermaid } from "../../workflow/mermaid";

const lines = (mermaid: string): string[] => mermaid.split("\n").map((l) => l.trim());

describe("the Mermaid rendering", function () {
  it("starts at StartAt, draws Next edges unlabelled and End as the end state", function () {
    const text = toMermaid(
      machine({
        StartAt: "A",
        States: {
          A: { Type: "Pass", Next: "B" },
          B: { Type: "Task", Resource: "arn:aws:states:::sns:publish", End: true },
        },
      }),
    );
    assert.deepEqual(text.split("\n"), [
      "stateDiagram-v2",
      "  [*] --> A",
      '  state "A" as A',
      "  A : Pass",
      '  state "B" as B',
      "  B : sns:publish",
      "  A --> B",
      "  B --> [*]",
      "",
    ]);
  });

  it("draws a Parallel state as a composite state with one region per branch", function () {
    const text = toMermaid(
      machine({
        StartAt: "Both",
        States: {
          Both: {
            Type: "Parallel",
            Branches: [
              machine({ StartAt: "Left", States: { Left: { Type: "Pass", End: true } } }),
              machine({ StartAt: "Right", States: { Right: { Type: "Pass", End: true } } }),
            ],
            End: true,
          },
        },
      }),
    );
    const body = lines(text);
    const open = body.indexOf('state "Both" as Both {');
    const separator = body.indexOf("--");
    const close = body.indexOf("}");
    assert.ok(open >= 0 && open < separator && separator < close, text);
    assert.ok(
      body.indexOf("[*] --> Left") > open && body.indexOf("[*] --> Left") < separator,
      "left branch in the first region",
    );
    assert.ok(
      body.indexOf("[*] --> Right") > separator && body.indexOf("[*] --> Right") < close,
      "right branch in the second region",
    );
    assert.ok(body.indexOf("Both --> [*]") > close, "the Parallel state's own edges are outside it");
  });

  it("draws a Map state as a composite state holding its iterator", function () {
    const text = toMermaid(
      machine({
        StartAt: "Each",
        States: {
          Each: {
            Type: "Map",
            ItemsPath: "$.items",
            ItemProcessor: {
              ProcessorConfig: { Mode: "INLINE" },
              ...machine({ StartAt: "Item", States: { Item: { Type: "Succeed" } } }),
            },
            End: true,
          },
        },
      }),
    );
    const body = lines(text);
    assert.ok(body.indexOf('state "Each" as Each {') < body.indexOf("[*] --> Item"));
    assert.ok(body.indexOf("[*] --> Item") < body.indexOf("}"));
    assert.ok(body.indexOf("Item --> [*]") < body.indexOf("}"), "the iterator's end is inside the Map");
  });

  it("labels Choice rules with their conditions and the default with 'otherwise'", function () {
    const text = toMermaid(
      machine({
        StartAt: "Ok?",
        States: {
          "Ok?": {
            Type: "Choice",
            Choices: [
              { Variable: "$.ok", BooleanEquals: true, Next: "Yes" },
              { Variable: "$.reason", StringEquals: "LATE", Next: "No" },
            ],
            Default: "No",
          },
          Yes: { Type: "Succeed" },
          No: { Type: "Fail", Error: "NOPE", Cause: "no" },
        },
      }),
    );
    const body = lines(text);
    assert.ok(body.includes("Ok_ --> Yes : $.ok == true"), text);
    assert.ok(body.includes('Ok_ --> No : $.reason == "LATE"'), text);
    assert.ok(body.includes("Ok_ --> No : otherwise"), text);
  });

  it("words conditions, nesting And, Or and Not with parentheses", function () {
    assert.equal(describeCondition({ Variable: "$.n", NumericGreaterThan: 0 }), "$.n > 0");
    assert.equal(describeCondition({ Variable: "$.n", NumericEquals: 2 }), "$.n == 2");
    assert.equal(describeCondition({ Variable: "$.x", IsPresent: false }), "$.x is absent");
    assert.equal(describeCondition({ Variable: "$.x", IsNull: true }), "$.x is null");
    assert.equal(
      describeCondition({
        And: [
          { Variable: "$.id", IsPresent: true },
          { Or: [{ Variable: "$.id", IsString: true }, { Not: { Variable: "$.id", IsNull: false } }] },
        ],
      }),
      "$.id is present and ($.id is a string or not $.id is not null)",
    );
    assert.equal(
      describeCondition({
        Not: {
          And: [
            { Variable: "$.a", BooleanEquals: true },
            { Variable: "$.b", BooleanEquals: false },
          ],
        },
      }),
      "not ($.a == true and $.b == false)",
    );
  });

  it("labels Catch edges with the errors they catch", function () {
    const text = toMermaid(
      machine({
        StartAt: "Charge",
        States: {
          Charge: {
            Type: "Task",
            Resource: "arn:aws:states:::lambda:invoke",
            Catch: [
              { ErrorEquals: ["PaymentError", "CardError"], Next: "Declined" },
              { ErrorEquals: ["States.ALL"], Next: "Broken" },
            ],
            End: true,
          },
          Declined: { Type: "Fail", Error: "PAYMENT_FAILED", Cause: "declined" },
          Broken: { Type: "Fail", ErrorPath: "$.error", CausePath: "$.cause" },
        },
      }),
    );
    const body = lines(text);
    assert.ok(body.includes("Charge --> Declined : catch PaymentError, CardError"), text);
    assert.ok(body.includes("Charge --> Broken : catch States.ALL"), text);
    assert.ok(body.includes("Charge : lambda:invoke"), text);
  });

  it("ends Succeed and Fail states at the end state, styled as such, with the Fail state's error", function () {
    const text = toMermaid(
      machine({
        StartAt: "Ok?",
        States: {
          "Ok?": {
            Type: "Choice",
            Choices: [{ Variable: "$.ok", BooleanEquals: true, Next: "Done" }],
            Default: "Failed",
          },
          Done: { Type: "Succeed" },
          Failed: { Type: "Fail", ErrorPath: "$.error", CausePath: "$.cause" },
        },
      }),
    );
    const body = lines(text);
    assert.ok(body.includes("Done --> [*]") && body.includes("Failed --> [*]"), text);
    assert.ok(body.includes("Done : Succeed"), text);
    assert.ok(body.includes("Failed : Fail (ErrorPath $.error)"), text);
    assert.ok(
      body.includes("class Ok_ choice") && body.includes("class Done succeed") && body.includes("class Failed fail"),
      text,
    );
    assert.ok(
      body.some((l) => l.startsWith("classDef fail ")),
      text,
    );
  });

  it("gives states Mermaid-safe, unique ids and keeps their names as titles", function () {
    const text = toMermaid(
      machine({
        StartAt: "end",
        States: {
          end: { Type: "Pass", Next: "Is it?" },
          "Is it?": {
            Type: "Choice",
            Choices: [{ Variable: "$.x", StringEquals: "a;b", Next: "Is_it_" }],
            Default: "1st",
          },
          Is_it_: { Type: "Succeed" },
          "1st": { Type: "Succeed" },
        },
      }),
    );
    const body = lines(text);
    assert.ok(body.includes('state "end" as s_end'), "a keyword is not an id");
    assert.ok(body.includes('state "Is it?" as Is_it_'), text);
    assert.ok(body.includes('state "Is_it_" as Is_it__2'), "a clash gets a suffix");
    assert.ok(body.includes('state "1st" as s_1st'), "ids do not start with a digit");
    assert.ok(body.includes('Is_it_ --> Is_it__2 : $.x == "a；b"'), "a ';' would end the statement");
    for (const line of body.filter((l) => l.includes("-->")))
      assert.match(line, /^(\[\*\]|\w+) --> (\[\*\]|\w+)( : [^;]+)?$/, line);
  });

  it("is deterministic", function () {
    const resources = workflowResources((key) => key, "t", "a");
    assert.equal(toMermaid(orderWorkflowDefinition(resources)), toMermaid(orderWorkflowDefinition(resources)));
  });

  it("draws every state of the order workflow and every transition between them", function () {
    const definition = orderWorkflowDefinition(workflowResources((key) => key, "t", "a"));
    const body = lines(toMermaid(definition));
    const idOf = new Map<string, string>();
    for (const line of body) {
      const declared = /^state "([^"]+)" as (\w+)/.exec(line);
      if (declared) idOf.set(declared[1], declared[2]);
    }
    const states = allStates(definition);
    assert.deepEqual([...idOf.keys()].sort(), states.map(([name]) => name).sort());
    for (const [name, state] of states) {
      const id = idOf.get(name) ?? "";
      const out = body
        .filter((l) => l.startsWith(`${id} --> `) && !l.startsWith(`${id} --> [*]`))
        .map((l) => l.split(" ")[2]);
      assert.deepEqual(
        out.sort(),
        successors(state)
          .map((n) => idOf.get(n))
          .sort(),
        name,
      );
    }
    for (const parent of ["VerifyPaymentAndCheckStock", "CheckStock"])
      assert.ok(body.includes(`state "${parent}" as ${parent} {`), parent);
  });
});
