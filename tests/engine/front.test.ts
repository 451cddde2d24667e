/**
 * A wire served at an endpoint (engine/front.ts): the SDK of this process is answered without a
 * socket, its request carrying the caller of its async context; over HTTP the same wire answers, the
 * caller taken from its header; a closed front is no longer answered.
 */
import * as assert from "assert";
import * as http from "http";
import { DescribeTableCommand } from "@aws-sdk/client-dynamodb";
import { serveFront } from "../../engine/front";
import { CALLER_HEADER, runAs } from "../../engine/iam/callers";
import { WireRequest, awsError, jsonResponse } from "../../engine/wire";
import { singleAttemptClient } from "../support/localDynamo";

/** A wire that answers every request ResourceNotFoundException, keeping what it was sent. */
function recording() {
  const seen: WireRequest[] = [];
  const wire = async (request: WireRequest) => {
    seen.push(request);
    return jsonResponse(400, awsError("ResourceNotFoundException", `no table (${request.operation})`));
  };
  return { seen, wire };
}

describe("a served DynamoDB wire", function () {
  this.timeout(20_000);

  it("answers the SDK in this process, as the caller of the async context, with no header", async () => {
    const { seen, wire } = recording();
    const front = await serveFront(wire);
    const sdk = singleAttemptClient(front.endpoint);
    try {
      await assert.rejects(
        runAs("7/reserve", () => sdk.send(new DescribeTableCommand({ TableName: "T" }))),
        { name: "ResourceNotFoundException", message: "no table (DescribeTable)" },
      );
      assert.deepStrictEqual(
        seen.map((r) => [r.operation, r.caller, r.headers[CALLER_HEADER]]),
        [["DescribeTable", "7/reserve", undefined]],
      );
    } finally {
      sdk.destroy();
      await front.close();
    }
  });

  it("answers over HTTP too, the caller from its header", async () => {
    const { seen, wire } = recording();
    const front = await serveFront(wire);
    try {
      const url = new URL(front.endpoint);
      const status = await new Promise<number>((resolve, reject) => {
        const req = http.request(
          {
            host: url.hostname,
            port: url.port,
            method: "POST",
            headers: { "x-amz-target": "DynamoDB_20120810.GetItem", [CALLER_HEADER]: "7/charge" },
          },
          (res) => {
            res.resume();
            res.on("end", () => resolve(res.statusCode ?? 0));
          },
        );
        req.on("error", reject);
        req.end("{}");
      });
      assert.deepStrictEqual(
        [status, seen[0].operation, seen[0].caller, seen[0].body],
        [400, "GetItem", "7/charge", "{}"],
      );
    } finally {
      await front.close();
    }
  });

  it("once closed, is no longer answered", async () => {
    const { seen, wire } = recording();
    const front = await serveFront(wire);
    await front.close();
    const sdk = singleAttemptClient(front.endpoint);
    try {
      await assert.rejects(
        sdk.send(new DescribeTableCommand({ TableName: "T" })),
        (e: Error) => e.name !== "ResourceNotFoundException",
      );
      assert.strictEqual(seen.length, 0);
    } finally {
      sdk.destroy();
    }
  });
});
