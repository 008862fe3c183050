// Sample packages for the demo gallery (npm run db:seed -- --sample-packages). Every one goes
// through the real upload pipeline, so the demo shows exactly what an upload would:
// - real nuget.org packages from the machine's NuGet folders (repository- and often
//   author-signed; the newest version of each ID), pushed by the demo author, who first
//   registers each author signer's fingerprint (as the gallery requires of a signed package's
//   owners; in the demo, one account stands in for those publishers);
// - a small "Contoso" family built here (unsigned, with readme, tags and dependencies) inside a
//   prefix the demo author holds, so their IDs carry the Verified check.
// Versions already in the gallery are skipped, so seeding twice changes nothing.
import { createReadStream, existsSync, readdirSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";

import { createReservation } from "@/lib/admin/reservations";
import { registerFingerprint } from "@/lib/certificates/registry";
import type { Db } from "@/lib/db";
import { IssueError } from "@/lib/issues";
import { verifyPackageSignatures } from "@/lib/signing";
import type { PackageStorage } from "@/lib/storage";
import { openFileSource } from "@/lib/zip/source";
import { maxPackageBytes } from "@/lib/config";
import { receivePackageStream, submitPackage } from "@/lib/uploads";
import { compareVersions, parseVersion, type NuGetVersion } from "@/lib/versioning/version";
import { buildUnsignedPackage, type PackageSpec } from "@/test/support/nupkg";
import { galleryTrustStore, services } from "@/lib/services";

const NUGET_FOLDERS = [
  process.env.SIGNET_SAMPLE_NUGET_FOLDER,
  "/opt/nuget/packages",
  path.join(homedir(), ".nuget", "packages"),
];
const SAMPLE_PREFIX = "Contoso.*";

const CONTOSO_PACKAGES: PackageSpec[] = [
  contoso("Contoso.Core", "1.0.0", "Core types shared by every Contoso library.", ""),
  contoso("Contoso.Core", "1.1.0", "Core types shared by every Contoso library.", ""),
  contoso(
    "Contoso.Http",
    "2.0.0-beta.1",
    "A small HTTP client with retries, built on Contoso.Core.",
    `<dependencies><group targetFramework="net8.0"><dependency id="Contoso.Core" version="[1.1.0, 2.0.0)" /><dependency id="Newtonsoft.Json" version="13.0.1" /></group><group targetFramework="netstandard2.0"><dependency id="Contoso.Core" version="1.0.0" /></group></dependencies>`,
  ),
];

function contoso(id: string, version: string, summary: string, dependencies: string): PackageSpec {
  return {
    id,
    version,
    description: summary,
    metadataXml: `<title>${id}</title><tags>contoso sample demo</tags><license type="expression">MIT</license><projectUrl>https://example.com/contoso</projectUrl><readme>README.md</readme><releaseNotes>Sample release of ${version}.</releaseNotes>${dependencies}`,
    files: { "README.md": `# ${id}\n\n${summary}\n\nThis is a sample package in the Signet demo gallery.\n` },
  };
}

function versionOrNothing(folderName: string): NuGetVersion[] {
  try {
    return [parseVersion(folderName)];
  } catch {
    return []; // not a version folder
  }
}

/** The newest version's .nupkg of every ID in a NuGet global-packages layout (<id>/<version>/<id>.<version>.nupkg). */
function newestPackagesIn(folder: string): string[] {
  if (!existsSync(folder)) return [];
  return readdirSync(folder).flatMap((id) => {
    const versions = readdirSync(path.join(folder, id)).flatMap((name) => versionOrNothing(name));
    const newest = versions.sort((a, b) => compareVersions(b, a))[0]?.original;
    const file = newest && path.join(folder, id, newest, `${id}.${newest}.nupkg`);
    return file && existsSync(file) ? [file] : [];
  });
}

async function push(db: Db, storage: PackageStorage, uploaderId: string, label: string, body: Readable): Promise<void> {
  const received = await receivePackageStream(body, { maxBytes: maxPackageBytes(), staging: services.staging });
  const outcome = await submitPackage(db, storage, received, { ...services.judging(), uploaderId, source: "WEB" });
  if (outcome.status === "accepted") {
    console.log(`published ${outcome.packageVersion.packageId} ${outcome.packageVersion.version}`);
  } else if (outcome.issues.some((issue) => issue.code === "PACKAGE_VERSION_EXISTS")) {
    console.log(`kept      ${label} (already published)`);
  } else {
    const errors = outcome.issues.filter((issue) => issue.level === "error");
    console.log(`refused   ${label}: ${errors.map((issue) => `${issue.code} ${issue.message}`).join("; ")}`);
  }
}

/** Registers the package's author signer (by fingerprint) to the uploader, unless it already is. */
async function registerAuthorSigner(db: Db, uploaderId: string, file: string): Promise<void> {
  const source = await openFileSource(file);
  try {
    const report = await verifyPackageSignatures(source, { trust: galleryTrustStore(), now: new Date() });
    const signer = report.author?.signer;
    if (!signer) return;
    await registerFingerprint(db, uploaderId, signer.sha256Fingerprint).catch((caught: unknown) => {
      if (!(caught instanceof IssueError && caught.code === "CERTIFICATE_REGISTRATION_EXISTS")) throw caught;
    });
  } finally {
    await source.close();
  }
}

async function reserveSamplePrefix(db: Db, adminId: string, ownerUsername: string): Promise<void> {
  try {
    await createReservation(db, adminId, {
      pattern: SAMPLE_PREFIX,
      owners: [ownerUsername],
      reason: "Demo data: the sample Contoso packages.",
    });
    console.log(`reserved  ${SAMPLE_PREFIX} for ${ownerUsername}`);
  } catch (caught) {
    if (!(caught instanceof IssueError && caught.code === "RESERVATION_EXISTS")) throw caught;
  }
}

export async function seedSamplePackages(
  db: Db,
  storage: PackageStorage,
  accounts: { adminUsername: string; authorUsername: string },
): Promise<void> {
  const admin = await db.user.findUniqueOrThrow({ where: { username: accounts.adminUsername } });
  const author = await db.user.findUniqueOrThrow({ where: { username: accounts.authorUsername } });
  await reserveSamplePrefix(db, admin.id, author.username);
  for (const spec of CONTOSO_PACKAGES) {
    await push(db, storage, author.id, `${spec.id} ${spec.version}`, Readable.from([buildUnsignedPackage(spec)]));
  }
  const files = [
    ...new Set(NUGET_FOLDERS.filter((folder): folder is string => Boolean(folder)).flatMap(newestPackagesIn)),
  ];
  if (files.length === 0) console.log("No NuGet package folder found: only the built sample packages were published.");
  for (const file of files) {
    await registerAuthorSigner(db, author.id, file);
    await push(db, storage, author.id, path.basename(file), createReadStream(file));
  }
}
