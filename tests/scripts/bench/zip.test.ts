/** The zip writer `npm run bench` measures archives with, and the zlib-only reader that checks it (scripts/bench/zip.ts). */
import { strict as assert } from "assert";
import { readZip, unzipFiles, zipFiles } from "../../../scripts/bench/zip";

const files = { "__index.js": "exports.handler = async () => 42;\n".repeat(200), "lib/é.txt": "naïve" };

/**
 * An archive written by Info-ZIP (`zip -q -X -5 info.zip a.txt d/empty.txt d/one`): one deflated entry and two
 * stored ones, so the reader is checked against another writer, not only against its own.
 */
const INFO_ZIP =
  "UEsDBBQAAAAIAHxIgV0AiFkLCwAAABgAAAAFAAAAYS50eHTLSM3JyVfIQCe5AFBLAwQKAAAAAAB8SIFdAAAAAAAAAAAAAAAACwAAAGQvZW1wdHkudHh0" +
  "UEsDBAoAAAAAAHxIgV2DFtyMAQAAAAEAAAAFAAAAZC9vbmV4UEsBAh4DFAAAAAgAfEiBXQCIWQsLAAAAGAAAAAUAAAAAAAAAAQAAAKSBAAAAAGEudHh0" +
  "UEsBAh4DCgAAAAAAfEiBXQAAAAAAAAAAAAAAAAsAAAAAAAAAAAAAAKSBLgAAAGQvZW1wdHkudHh0UEsBAh4DCgAAAAAAfEiBXYMW3IwBAAAAAQAAAAUA" +
  "AAAAAAAAAQAAAKSBVwAAAGQvb25lUEsFBgAAAAADAAMAnwAAAHsAAAAAAA==";

function texts(zip: Buffer): Record<string, string> {
  return Object.fromEntries(Object.entries(unzipFiles(zip)).map(([name, data]) => [name, data.toString("utf8")]));
}

describe("the bench's zip writer and reader", function () {
  it("reads back the same files, deflated", function () {
    const zip = zipFiles(files);
    assert.deepEqual(texts(zip), files);
    assert.deepEqual(Object.keys(unzipFiles(zip)), Object.keys(files), "in the order written");
    assert.ok(readZip(zip).every((e) => e.method === 8));
    assert.ok(zip.length < Buffer.byteLength(files["__index.js"]) / 10, "repetitive code compresses");
  });

  it("round-trips empty files, binary content, many entries and an empty archive", function () {
    const binary = Buffer.from(Array.from({ length: 70_000 }, (_, i) => (i * 7919) % 251));
    const many: Record<string, string | Buffer> = { "empty.txt": "", "bin/data": binary };
    for (let i = 0; i < 300; i++) many[`dir/${i}.js`] = `module.exports = ${i};\n`;
    const back = unzipFiles(zipFiles(many));
    assert.equal(Object.keys(back).length, 302);
    assert.equal(back["empty.txt"].length, 0);
    assert.ok(back["bin/data"].equals(binary));
    assert.equal(back["dir/299.js"].toString("utf8"), "module.exports = 299;\n");
    assert.deepEqual(readZip(zipFiles({})), []);
  });

  it("reads an archive another writer made (Info-ZIP: deflated and stored entries)", function () {
    assert.deepEqual(texts(Buffer.from(INFO_ZIP, "base64")), {
      "a.txt": "hello hello hello hello\n",
      "d/empty.txt": "",
      "d/one": "x",
    });
    assert.deepEqual(
      readZip(Buffer.from(INFO_ZIP, "base64")).map((e) => e.method),
      [8, 0, 0],
    );
  });

  it("is reproducible byte for byte", function () {
    assert.ok(zipFiles(files).equals(zipFiles(files)));
  });

  it("refuses a damaged archive: flipped data byte, truncation, no end record", function () {
    const zip = zipFiles({ "a.txt": "stored? no: deflated, and checked" });
    const flipped = Buffer.from(zip);
    flipped[30 + "a.txt".length + 2] ^= 0xff;
    assert.throws(() => readZip(flipped), /not a readable zip|invalid/i);
    assert.throws(() => readZip(zip.subarray(0, zip.length - 1)), /no end of central directory record/);
    assert.throws(() => readZip(zip.subarray(10)), /not a readable zip/);
    assert.throws(() => readZip(Buffer.alloc(0)), /no end of central directory record/);
  });

  it("refuses a central directory whose entry disagrees with its local header", function () {
    const zip = Buffer.from(zipFiles({ "a.txt": "one", "b.txt": "two" }));
    const central = zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    zip.writeUInt32LE(zip.readUInt32LE(central + 16) ^ 1, central + 16); // the first entry's CRC in the directory
    assert.throws(() => readZip(zip), /a\.txt: the local header and the central directory disagree/);
  });
});
