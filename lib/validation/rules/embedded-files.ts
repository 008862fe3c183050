// Files the manifest points into the package (<license type="file">, <icon>, <readme>) must be
// there and be of a kind the gallery can show, as nuget.org checks at push
// (PackageUploadService): license files .txt, .md or no extension; icons .png, .jpg,
// .jpeg; readmes .md. Lookup is exact (case-sensitive, like nuget.org's zip entry lookup, and like
// clients on Linux), after turning the manifest's backslashes into the zip's forward slashes.
// Limits on the files' sizes and encodings need their bytes and are checked where they are read.

import { error, type Issue } from "@/lib/issues";
import { percentDecoded } from "@/lib/nuspec/entries";
import type { NuspecMetadata } from "@/lib/nuspec/metadata";
import { listOf } from "./wording";

interface EmbeddedFileKind {
  element: string;
  noun: string;
  /** Lower-case, with the dot; "" allows a name without an extension. */
  extensions: readonly string[];
}

const LICENSE_FILE: EmbeddedFileKind = { element: "license", noun: "license file", extensions: ["", ".txt", ".md"] };
const ICON_FILE: EmbeddedFileKind = { element: "icon", noun: "icon", extensions: [".png", ".jpg", ".jpeg"] };
const README_FILE: EmbeddedFileKind = { element: "readme", noun: "readme", extensions: [".md"] };

function entryPath(manifestPath: string): string {
  return manifestPath.replaceAll("\\", "/").replace(/^\/+/, "");
}

function extensionOf(path: string): string {
  const fileName = path.slice(path.lastIndexOf("/") + 1);
  const dot = fileName.lastIndexOf(".");
  return dot <= 0 ? "" : fileName.slice(dot).toLowerCase();
}

function allowedExtensions(kind: EmbeddedFileKind): string {
  return listOf(
    kind.extensions.map((extension) => (extension === "" ? "no extension" : `'${extension}'`)),
    "or",
  );
}

function checkEmbeddedFile(kind: EmbeddedFileKind, manifestPath: string, entries: ReadonlySet<string>): Issue[] {
  const path = entryPath(manifestPath);
  if (!entries.has(path)) {
    return [
      error(
        "EMBEDDED_FILE_MISSING",
        `The nuspec's <${kind.element}> names '${manifestPath}', but the package has no such file (names must match exactly, including case).`,
      ),
    ];
  }
  const extension = extensionOf(path);
  if (!kind.extensions.includes(extension)) {
    const found = extension === "" ? "has no extension" : `has the extension '${extension}'`;
    return [
      error("EMBEDDED_FILE_TYPE", `The ${kind.noun} '${manifestPath}' ${found}; allowed: ${allowedExtensions(kind)}.`),
    ];
  }
  return [];
}

export function checkEmbeddedFiles(metadata: NuspecMetadata, entryNames: readonly string[]): Issue[] {
  // Entry names may be stored percent-encoded (OPC), so both spellings can be looked up.
  const entries = new Set([...entryNames, ...entryNames.map(percentDecoded)]);
  const referenced: [EmbeddedFileKind, string | undefined][] = [
    [LICENSE_FILE, metadata.license?.type === "file" ? metadata.license.path : undefined],
    [ICON_FILE, metadata.icon],
    [README_FILE, metadata.readme],
  ];
  return referenced.flatMap(([kind, path]) => (path === undefined ? [] : checkEmbeddedFile(kind, path, entries)));
}
