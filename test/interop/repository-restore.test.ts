// Consumers requiring the gallery's repository signature, with the real client: the gallery
// (route handlers on a scratch database, test/interop/push-gallery.ts) behind a TLS front,
// because NuGet reads RepositorySignatures only over https. Two packages are published through
// the upload pipeline, so the gallery signs them: an unsigned one (repository primary
// signature) and one the client author-signed (repository countersignature). Then:
// - `dotnet restore` with signatureValidationMode=require and a <repository> trustedSigners
//   entry naming the gallery's certificate restores both;
// - the same with an entry naming another certificate fails with NU3034;
// - `dotnet nuget verify --all` passes on every downloaded copy, and the content hash restore
//   recorded is the one the uploaded package had.
// The client trusts the interop roots (the author) and the gallery's development root (its
// repository certificate and timestamp authority) through an overlay SDK, and the TLS front's
// test CA through SSL_CERT_FILE.
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { createOverlaySdk, runDotnet, type DotnetResult, type OverlaySdk, findTestSdk } from "@/test/support/dotnet";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { certificatePem } from "@/test/support/pki";
import { startInteropGallery, type InteropGallery } from "@/test/support/interop-gallery";
import type { TlsFront } from "@/test/support/tls-front";
import { InteropWorld } from "./harness";
import type { RunningGallery } from "./push-gallery";
import { services } from "@/lib/services";

const installed = await findTestSdk(
  "test/interop/repository-restore.test.ts",
  "dotnet restore requiring the gallery's repository signature",
);

const [dialect] = testDialects();

describe.skipIf(!installed || !dialect)("dotnet restore requiring the gallery's repository signature", () => {
  const database = useAppDatabase(dialect ?? "sqlite");
  let db: Db;
  let world: InteropWorld;
  let running: InteropGallery & { front: TlsFront };
  let gallery: RunningGallery;
  let front: TlsFront;
  let client: OverlaySdk;
  let serviceIndexUrl: string;
  let galleryFingerprint: string;
  const uploadedContentHashes = new Map<string, string>();
  const packages = [
    { id: "Signet.Restore.Unsigned", version: "1.0.0" },
    { id: "Signet.Interop.RestoreSigned", version: "1.0.0" },
  ];

  beforeAll(async () => {
    if (!installed) return;
    world = await InteropWorld.create(installed);
    db = database();
    running = await startInteropGallery({
      directory: world.directory,
      codeSigningRoot: world.certificates.root,
      timestampingRoot: world.certificates.tsaRoot,
      tls: true,
    });
    ({ gallery, front, serviceIndexUrl } = running);

    const { submitPackage, receivePackageStream } = await import("@/lib/uploads");
    const { Readable } = await import("node:stream");
    const alice = (await db.user.create({ data: { email: "alice@example.test", username: "alice" } })).id;
    const carol = (await db.user.create({ data: { email: "carol@example.test", username: "carol" } })).id;
    const signer = world.certificates.signer;
    const certificate = await db.certificate.create({
      data: { sha256Fingerprint: createHash("sha256").update(signer.der).digest("hex") },
    });
    await db.registeredCertificate.create({ data: { userId: carol, certificateId: certificate.id } });
    const unsigned = buildUnsignedPackage(packages[0] as { id: string; version: string });
    const authorSigned = new Uint8Array(await readFile(await world.signWithClient("RestoreSigned", signer)));
    uploadedContentHashes.set("signet.restore.unsigned", createHash("sha512").update(unsigned).digest("base64"));
    uploadedContentHashes.set(
      "signet.interop.restoresigned",
      (await world.clientVerdict(await writeTemporary("uploaded-signed.nupkg", authorSigned))).output.match(
        /^Content hash:\s*(\S+)/m,
      )?.[1] ?? "",
    );
    for (const [uploaderId, bytes] of [
      [alice, unsigned],
      [carol, authorSigned],
    ] as const) {
      const received = await receivePackageStream(Readable.from([Buffer.from(bytes)]), {
        maxBytes: 10 * 1024 * 1024,
        staging: services.staging,
      });
      const outcome = await submitPackage(db, (await import("@/lib/services")).getStorage(), received, {
        ...services.judging(),
        uploaderId,
        source: "API",
      });
      if (outcome.status !== "accepted") throw new Error(`not published: ${JSON.stringify(outcome.issues)}`);
    }
    const listed = await db.repositorySigningCertificate.findMany({ select: { sha256Fingerprint: true } });
    galleryFingerprint = listed[0]?.sha256Fingerprint ?? "";
    const developmentRoot = await readFile(path.join(running.dataDirectory, "repository-signing", "root.pem"), "utf8");
    client = await createOverlaySdk(installed, path.join(world.directory, "consumer"), {
      codeSigning: [certificatePem(world.certificates.root), developmentRoot],
      timestamping: [certificatePem(world.certificates.tsaRoot), developmentRoot],
    });
    client.environment.SSL_CERT_FILE = front.caFile;
    client.environment.DOTNET_NUGET_SIGNATURE_VERIFICATION = "true";
  }, 240_000);

  afterAll(async () => {
    await running?.close();
    await world?.dispose();
  });

  async function writeTemporary(name: string, bytes: Uint8Array): Promise<string> {
    const file = path.join(world.directory, name);
    await writeFile(file, bytes);
    return file;
  }

  /** A project referencing both packages, restored into its own package folder with the given trusted fingerprint. */
  async function restore(
    name: string,
    trustedFingerprint: string,
  ): Promise<{ result: DotnetResult; packagesFolder: string }> {
    const project = path.join(world.directory, name);
    const packagesFolder = path.join(project, "packages");
    await mkdir(project, { recursive: true });
    await writeFile(
      path.join(project, "Consumer.csproj"),
      `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net${installed?.version.split(".")[0]}.0</TargetFramework><NuGetAudit>false</NuGetAudit></PropertyGroup>
  <ItemGroup>${packages.map((reference) => `<PackageReference Include="${reference.id}" Version="${reference.version}" />`).join("")}</ItemGroup>
</Project>
`,
    );
    await writeFile(
      path.join(project, "nuget.config"),
      `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="signet" value="${serviceIndexUrl}" />
  </packageSources>
  <config>
    <add key="signatureValidationMode" value="require" />
  </config>
  <trustedSigners>
    <repository name="signet" serviceIndex="${serviceIndexUrl}">
      <certificate fingerprint="${trustedFingerprint.toUpperCase()}" hashAlgorithm="SHA256" allowUntrustedRoot="false" />
    </repository>
  </trustedSigners>
</configuration>
`,
    );
    const result = await runDotnet(
      { ...client, environment: { ...client.environment, NUGET_PACKAGES: packagesFolder } },
      ["restore", project],
    );
    return { result, packagesFolder };
  }

  it("announces RepositorySignatures over https, listing the gallery's certificate, with allRepositorySigned", async () => {
    const index = (await (await fetch(serviceIndexUrl.replace(front.origin, gallery.origin))).json()) as {
      resources: { "@id": string; "@type": string }[];
    };
    const resource = index.resources.find((candidate) => candidate["@type"] === "RepositorySignatures/5.0.0");
    expect(resource?.["@id"]).toBe(`${front.origin}/v3/repository-signatures/5.0.0/index.json`);
    const list = (await (await fetch(`${gallery.origin}/v3/repository-signatures/5.0.0/index.json`)).json()) as {
      allRepositorySigned: boolean;
      signingCertificates: { fingerprints: Record<string, string>; contentUrl: string }[];
    };
    expect(list.allRepositorySigned).toBe(true);
    expect(list.signingCertificates.map((entry) => entry.fingerprints["2.16.840.1.101.3.4.2.1"])).toEqual([
      galleryFingerprint,
    ]);
    const download = await fetch(list.signingCertificates[0]?.contentUrl.replace(front.origin, gallery.origin) ?? "");
    expect(
      createHash("sha256")
        .update(new Uint8Array(await download.arrayBuffer()))
        .digest("hex"),
    ).toBe(galleryFingerprint);
  });

  it("restores both packages in require mode with a <repository> entry for the gallery's certificate; every copy verifies and keeps its content hash", async () => {
    const { result, packagesFolder } = await restore("trusting-the-gallery", galleryFingerprint);
    expect(result.exitCode, result.output).toBe(0);
    for (const reference of packages) {
      const id = reference.id.toLowerCase();
      const folder = path.join(packagesFolder, id, reference.version);
      const copy = path.join(folder, `${id}.${reference.version}.nupkg`);
      const verified = await runDotnet(client, ["nuget", "verify", "--all", copy]);
      expect(verified.exitCode, verified.output).toBe(0);
      expect(verified.output).toContain("Signature type: Repository");
      const metadata = JSON.parse(await readFile(path.join(folder, ".nupkg.metadata"), "utf8")) as {
        contentHash: string;
      };
      expect(metadata.contentHash).toBe(uploadedContentHashes.get(id));
    }
  }, 240_000);

  it("fails with NU3034 when the <repository> entry names another certificate", async () => {
    const other = createHash("sha256").update(world.certificates.signer.der).digest("hex");
    const { result } = await restore("trusting-another-certificate", other);
    expect(result.exitCode).not.toBe(0);
    // Restore prints MSBuild-style lines: "<project> : error NU3034: ...".
    expect(result.output).toMatch(/error NU3034:/);
  }, 240_000);
});
