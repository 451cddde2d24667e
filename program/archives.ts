/**
 * The files of an archive a loaded program registered, such as the deployment package each
 * aws.lambda.CallbackFunction registers as its `code` (an AssetArchive of StringAssets).
 */
import * as fs from "fs";
import { isRecord } from "../policy/lib/document";
import type { RecordedResource } from "./recorder";

/** Thrown when the property is not an archive of files this can read. */
export class ArchiveError extends Error {}

/** An AssetArchive as @pulumi/pulumi builds it: its members behind a promise. */
function isAssetArchive(value: unknown): value is { readonly assets: Promise<unknown> } {
  return isRecord(value) && value["assets"] instanceof Promise;
}

/**
 * The archive in `resource.inputs[property]` as file name → text. StringAssets give their text,
 * FileAssets the file's; anything else (a nested archive, a remote asset) is an ArchiveError.
 */
export async function archiveFiles(resource: RecordedResource, property = "code"): Promise<Record<string, string>> {
  const where = `${resource.type} ${resource.name}: ${property}`;
  const archive = resource.inputs[property];
  if (!isAssetArchive(archive)) {
    throw new ArchiveError(`${where} is not an AssetArchive`);
  }
  const assets = await archive.assets;
  if (!isRecord(assets)) {
    throw new ArchiveError(`${where} has no members`);
  }
  const files: Record<string, string> = {};
  for (const [name, asset] of Object.entries(assets)) {
    if (isRecord(asset) && asset["text"] instanceof Promise) {
      files[name] = String(await asset["text"]);
    } else if (isRecord(asset) && asset["path"] instanceof Promise) {
      files[name] = fs.readFileSync(String(await asset["path"]), "utf8");
    } else {
      throw new ArchiveError(`${where}: ${name} is neither a StringAsset nor a FileAsset`);
    }
  }
  return files;
}
