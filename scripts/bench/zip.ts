/**
 * A minimal zip writer: each file deflated with Node's zlib (deflateRaw), in the plain zip container
 * (local headers, central directory, end record; no zip64, no extra fields). Enough to measure the
 * size of a Lambda deployment package; `readZip` reads it (or any plain zip) back with zlib's inflateRaw.
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

/** One entry of an archive, as its central directory describes it, with its content inflated. */
export interface ZipEntry {
  readonly name: string;
  /** 0 stored, 8 deflated. */
  readonly method: number;
  readonly compressedSize: number;
  readonly data: Buffer;
}

const END_SIGNATURE = 0x06054b50;
const CENTRAL_SIGNATURE = 0x02014b50;
const LOCAL_SIGNATURE = 0x04034b50;
const ZIP64_MARK = 0xffffffff;

function fail(message: string): never {
  throw new Error(`not a readable zip: ${message}`);
}

/** The end of central directory record: searched backwards over a comment of at most 64 KiB. */
function endRecord(zip: Buffer): { count: number; size: number; offset: number } {
  for (let at = zip.length - 22; at >= Math.max(0, zip.length - 22 - 0xffff); at--) {
    if (zip.readUInt32LE(at) !== END_SIGNATURE || at + 22 + zip.readUInt16LE(at + 20) !== zip.length) continue;
    const count = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 12);
    const offset = zip.readUInt32LE(at + 16);
    if (zip.readUInt16LE(at + 4) !== 0 || zip.readUInt16LE(at + 8) !== count)
      fail("multi-disk archives are not supported");
    if (offset === ZIP64_MARK || count === 0xffff) fail("zip64 is not supported");
    if (offset + size > at) fail("the central directory runs past its end record");
    return { count, size, offset };
  }
  return fail("no end of central directory record");
}

/** The entry whose central directory header starts at `at`, and where the next header starts. */
function readEntry(zip: Buffer, at: number): { entry: ZipEntry; next: number } {
  if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL_SIGNATURE) fail(`no central directory header at ${at}`);
  const flags = zip.readUInt16LE(at + 8);
  const method = zip.readUInt16LE(at + 10);
  const crc = zip.readUInt32LE(at + 16);
  const compressedSize = zip.readUInt32LE(at + 20);
  const size = zip.readUInt32LE(at + 24);
  const nameLength = zip.readUInt16LE(at + 28);
  const next = at + 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  const localAt = zip.readUInt32LE(at + 42);
  const nameBytes = zip.subarray(at + 46, at + 46 + nameLength);
  const name = nameBytes.toString(flags & 0x0800 ? "utf8" : "latin1");
  if (flags & 0x0001) fail(`${name}: encrypted entries are not supported`);
  if (method !== 0 && method !== 8) fail(`${name}: compression method ${method} is not supported`);
  if (compressedSize === ZIP64_MARK || size === ZIP64_MARK || localAt === ZIP64_MARK)
    fail(`${name}: zip64 is not supported`);
  if (localAt + 30 > zip.length || zip.readUInt32LE(localAt) !== LOCAL_SIGNATURE)
    fail(`${name}: no local header at ${localAt}`);
  const localNameLength = zip.readUInt16LE(localAt + 26);
  if (!zip.subarray(localAt + 30, localAt + 30 + localNameLength).equals(nameBytes))
    fail(`${name}: the local header names another file`);
  if (
    !(flags & 0x0008) &&
    (zip.readUInt32LE(localAt + 14) !== crc || zip.readUInt32LE(localAt + 18) !== compressedSize)
  ) {
    fail(`${name}: the local header and the central directory disagree`);
  }
  const dataAt = localAt + 30 + localNameLength + zip.readUInt16LE(localAt + 28);
  if (dataAt + compressedSize > zip.length) fail(`${name}: the data runs past the end of the archive`);
  const raw = zip.subarray(dataAt, dataAt + compressedSize);
  const data = method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw);
  if (data.length !== size) fail(`${name}: ${data.length} bytes inflated, ${size} expected`);
  if (zlib.crc32(data) !== crc) fail(`${name}: CRC-32 mismatch`);
  return { entry: { name, method, compressedSize, data }, next };
}

/**
 * Reads a zip archive with Node's zlib alone: the end record, the central directory, then each entry's
 * local header and data, inflated (inflateRaw) or stored, its size and CRC-32 checked. Plain zip only:
 * no zip64, no encryption, one disk.
 */
export function readZip(zip: Buffer): ZipEntry[] {
  const { count, size, offset } = endRecord(zip);
  const entries: ZipEntry[] = [];
  let at = offset;
  for (let i = 0; i < count; i++) {
    const { entry, next } = readEntry(zip, at);
    entries.push(entry);
    at = next;
  }
  if (at !== offset + size) fail(`the central directory holds ${at - offset} bytes, its end record says ${size}`);
  return entries;
}

/** Reads back a zip archive as name → content (see `readZip`). */
export function unzipFiles(zip: Buffer): Record<string, Buffer> {
  return Object.fromEntries(readZip(zip).map((e) => [e.name, e.data]));
}
