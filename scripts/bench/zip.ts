/**
 * A minimal zip writer: each file deflated with Node's zlib (deflateRaw), in the plain zip container
 * (local headers, central directory, end record; no zip64, no extra fields). Enough to measure the
 * size of a Lambda deployment package; `unzip -t` accepts what it writes.
 */
import * as zlib from "zlib";

/**
 * Deflate level. Pulumi's engine zips an AssetArchive with Go's archive/zip (method Deflate), whose
 * compressor runs at level 5; zlib's level 5 is the nearest equivalent. Go also adds a data descriptor
 * and a timestamp extra field per file, so its archive is a few dozen bytes larger than this one.
 */
export const PULUMI_LIKE_LEVEL = 5;

/** 1990-01-01 00:00, the constant stamp Pulumi gives every file, so the output is reproducible. */
const DOS_TIME = 0;
const DOS_DATE = ((1990 - 1980) << 9) | (1 << 5) | 1;

/** Zips `files` (name → content) in the given order. */
export function zipFiles(files: Readonly<Record<string, string | Buffer>>, level: number = PULUMI_LIKE_LEVEL): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of Object.entries(files)) {
    const data = typeof content === "string" ? Buffer.from(content, "utf8") : content;
    const compressed = zlib.deflateRawSync(data, { level });
    const crc = zlib.crc32(data);
    const fileName = Buffer.from(name, "utf8");
    if (data.length > 0xffffffff || offset > 0xffffffff) throw new Error(`${name}: zip64 is not supported`);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0); // local file header signature
    local.writeUInt16LE(20, 4); // version needed: 2.0 (deflate)
    local.writeUInt16LE(0x0800, 6); // flags: names are UTF-8
    local.writeUInt16LE(8, 8); // method: deflate
    local.writeUInt16LE(DOS_TIME, 10);
    local.writeUInt16LE(DOS_DATE, 12);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    local.writeUInt16LE(0, 28); // extra field length

    const entry = Buffer.alloc(46);
    entry.writeUInt32LE(0x02014b50, 0); // central directory header signature
    entry.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
    entry.writeUInt16LE(20, 6);
    entry.writeUInt16LE(0x0800, 8);
    entry.writeUInt16LE(8, 10);
    entry.writeUInt16LE(DOS_TIME, 12);
    entry.writeUInt16LE(DOS_DATE, 14);
    entry.writeUInt32LE(crc, 16);
    entry.writeUInt32LE(compressed.length, 20);
    entry.writeUInt32LE(data.length, 24);
    entry.writeUInt16LE(fileName.length, 28);
    // extra, comment, disk number start, internal attributes: 0
    entry.writeUInt32LE((0o100644 << 16) >>> 0, 38); // external attributes: a regular file, rw-r--r--
    entry.writeUInt32LE(offset, 42);

    parts.push(local, fileName, compressed);
    central.push(entry, fileName);
    offset += local.length + fileName.length + compressed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0); // end of central directory signature
  const count = Object.keys(files).length;
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

/** Reads back what `zipFiles` wrote (stored or deflated entries, no zip64): name → content. */
export function unzipFiles(zip: Buffer): Record<string, Buffer> {
  const endAt = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  if (endAt < 0) throw new Error("no end of central directory record");
  const count = zip.readUInt16LE(endAt + 10);
  let at = zip.readUInt32LE(endAt + 16);
  const files: Record<string, Buffer> = {};
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`bad central directory entry at ${at}`);
    const method = zip.readUInt16LE(at + 10);
    const crc = zip.readUInt32LE(at + 16);
    const compressedSize = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const localAt = zip.readUInt32LE(at + 42);
    const name = zip.toString("utf8", at + 46, at + 46 + nameLength);
    const dataAt = localAt + 30 + zip.readUInt16LE(localAt + 26) + zip.readUInt16LE(localAt + 28);
    const raw = zip.subarray(dataAt, dataAt + compressedSize);
    const data = method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw);
    if (zlib.crc32(data) !== crc) throw new Error(`${name}: CRC mismatch`);
    files[name] = data;
    at += 46 + nameLength + extraLength + commentLength;
  }
  return files;
}
