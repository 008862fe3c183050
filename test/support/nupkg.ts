// Minimal unsigned .nupkg files that `dotnet nuget sign` accepts, and the tampering a test
// needs after signing: change an entry, compress the signature entry, add a second
// signature entry, or swap in another signature. All edits go through the raw ZIP model,
// so the result is a well-formed archive that differs only where the scenario says.

import { DEFLATED, STORED, buildEntry, readZip, writeZip, type RawZip } from "./zip";

export const SIGNATURE_ENTRY_NAME = ".signature.p7s";

export interface PackageSpec {
  id: string;
  version: string;
  /** Extra files, path inside the package → text content. */
  files?: Record<string, string>;
  /** Defaults to a sentence naming the test suite. */
  description?: string;
  /** Extra nuspec elements placed inside <metadata> as written (tags, dependencies, readme...). */
  metadataXml?: string;
}

const CORE_PROPERTIES_NAME = "package/services/metadata/core-properties/7b5e3c1a9d2f4e6b8a0c1d2e3f4a5b6c.psmdcp";

const DEFAULT_DESCRIPTION = "A package built by the Signet test suite.";

const text = (value: string) => new TextEncoder().encode(value);

function nuspec({ id, version, description = DEFAULT_DESCRIPTION, metadataXml = "" }: PackageSpec): string {
  return `<?xml version="1.0" encoding="utf-8"?>
<package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd">
  <metadata>
    <id>${id}</id>
    <version>${version}</version>
    <authors>Signet Tests</authors>
    <description>${description}</description>${metadataXml}
  </metadata>
</package>
`;
}

const CONTENT_TYPES = `<?xml version="1.0" encoding="utf-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml" /><Default Extension="nuspec" ContentType="application/octet" /><Default Extension="txt" ContentType="application/octet" /><Default Extension="psmdcp" ContentType="application/vnd.openxmlformats-package.core-properties+xml" /></Types>`;

function relationships({ id }: PackageSpec): string {
  return `<?xml version="1.0" encoding="utf-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Type="http://schemas.microsoft.com/packaging/2010/07/manifest" Target="/${id}.nuspec" Id="R1" /><Relationship Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties" Target="/${CORE_PROPERTIES_NAME}" Id="R2" /></Relationships>`;
}

function coreProperties({ id, version }: PackageSpec): string {
  return `<?xml version="1.0" encoding="utf-8"?><coreProperties xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns="http://schemas.openxmlformats.org/package/2006/metadata/core-properties"><dc:creator>Signet Tests</dc:creator><dc:description>A package built by the Signet test suite.</dc:description><dc:identifier>${id}</dc:identifier><version>${version}</version><keywords></keywords><lastModifiedBy>Signet tests</lastModifiedBy></coreProperties>`;
}

export function buildUnsignedPackage(spec: PackageSpec): Uint8Array {
  const files = spec.files ?? { "content/readme.txt": `${spec.id} ${spec.version}\n` };
  return writeZip({
    entries: [
      buildEntry("_rels/.rels", text(relationships(spec)), DEFLATED),
      buildEntry(`${spec.id}.nuspec`, text(nuspec(spec)), DEFLATED),
      ...Object.entries(files).map(([name, content]) => buildEntry(name, text(content), DEFLATED)),
      buildEntry(CORE_PROPERTIES_NAME, text(coreProperties(spec)), DEFLATED),
      buildEntry("[Content_Types].xml", text(CONTENT_TYPES), DEFLATED),
    ],
    comment: new Uint8Array(0),
  });
}

function editZip(packageBytes: Uint8Array, edit: (zip: RawZip) => RawZip): Uint8Array {
  return writeZip(edit(readZip(packageBytes)));
}

function requireEntry(zip: RawZip, name: string): void {
  if (!zip.entries.some((entry) => entry.name === name)) throw new Error(`The package has no entry named ${name}.`);
}

/** Replaces an entry's content in place (same position, same compression). */
export function replaceEntryContent(packageBytes: Uint8Array, name: string, content: string): Uint8Array {
  return editZip(packageBytes, (zip) => {
    requireEntry(zip, name);
    return {
      ...zip,
      entries: zip.entries.map((entry) => (entry.name === name ? buildEntry(name, text(content), DEFLATED) : entry)),
    };
  });
}

export function signatureOf(packageBytes: Uint8Array): Uint8Array {
  const entry = readZip(packageBytes).entries.find((candidate) => candidate.name === SIGNATURE_ENTRY_NAME);
  if (!entry) throw new Error("The package is not signed.");
  return entry.data;
}

/** The same signature bytes, deflated, which NuGet forbids for the signature entry. */
export function compressSignatureEntry(packageBytes: Uint8Array): Uint8Array {
  const signature = signatureOf(packageBytes);
  return editZip(packageBytes, (zip) => ({
    ...zip,
    entries: zip.entries.map((entry) =>
      entry.name === SIGNATURE_ENTRY_NAME ? buildEntry(SIGNATURE_ENTRY_NAME, signature, DEFLATED) : entry,
    ),
  }));
}

/** Appends another stored `.signature.p7s` entry after the existing one. */
export function addSignatureEntry(packageBytes: Uint8Array, signature: Uint8Array): Uint8Array {
  return editZip(packageBytes, (zip) => ({
    ...zip,
    entries: [...zip.entries, buildEntry(SIGNATURE_ENTRY_NAME, signature, STORED)],
  }));
}

/** Swaps the signature entry for one holding `signature`, written last as NuGet writes it. */
export function replaceSignature(packageBytes: Uint8Array, signature: Uint8Array): Uint8Array {
  return editZip(packageBytes, (zip) => {
    requireEntry(zip, SIGNATURE_ENTRY_NAME);
    return {
      ...zip,
      entries: [
        ...zip.entries.filter((entry) => entry.name !== SIGNATURE_ENTRY_NAME),
        buildEntry(SIGNATURE_ENTRY_NAME, signature, STORED),
      ],
    };
  });
}
