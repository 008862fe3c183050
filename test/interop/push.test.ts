// The real NuGet client pushing to the gallery: `dotnet nuget push -s <gallery>/v3/index.json -k
// <key>` over HTTP to the push route handlers (served by test/interop/push-gallery.ts on a
// scratch database), so the client's own discovery, multipart upload and error printing are
// what is tested. Scenarios: an unsigned package and a package signed (by the real client) with
// a certificate the pusher registered are accepted and listed; a signed package whose
// certificate nobody registered and a package inside another account's reserved prefix are
// refused and the client prints the gallery's sentence; wrong and revoked keys print 401; a
// second push of a version prints 409 and --skip-duplicate makes it a success; `dotnet restore`
// downloads a pushed package from the flat container; `dotnet nuget delete` unlists.
//
// The gallery trusts the interop root and TSA root (test/support/interop-gallery.ts).
import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Db } from "@/lib/db";
import { asciiHeaderText } from "@/lib/http/errors";
import { createKeySecret } from "@/test/api/push-support";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { createOverlaySdk, runDotnet, type DotnetResult, type OverlaySdk, findTestSdk } from "@/test/support/dotnet";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { startInteropGallery, type InteropGallery } from "@/test/support/interop-gallery";
import { withoutRepositorySignature } from "@/test/support/repository-signing";
import { InteropWorld } from "./harness";
import type { RunningGallery } from "./push-gallery";

const installed = await findTestSdk("test/interop/push.test.ts", "`dotnet nuget push` against the gallery");

// The client talks to a gallery on one SQLite scratch database; the dialects are covered by push.test.ts.
const [dialect] = testDialects();

describe.skipIf(!installed || !dialect)("dotnet nuget push against the gallery", () => {
  const database = useAppDatabase(dialect ?? "sqlite");
  let db: Db;
  let world: InteropWorld;
  let client: OverlaySdk;
  let running: InteropGallery;
  let gallery: RunningGallery;
  // Carol registers a certificate (which makes signing mandatory for her packages); alice and bob have none.
  const users = { alice: "", bob: "", carol: "" };

  function keyFor(userId: string): Promise<string> {
    return createKeySecret(db, userId, ["push", "unlist"]);
  }

  async function unsignedPackage(id: string, version = "1.0.0"): Promise<string> {
    const file = path.join(world.directory, `${id}.${version}.nupkg`);
    await writeFile(file, buildUnsignedPackage({ id, version }));
    return file;
  }

  function push(packagePath: string, key: string, ...extra: string[]): Promise<DotnetResult> {
    return runDotnet(client, [
      "nuget",
      "push",
      packagePath,
      "-s",
      gallery.serviceIndexUrl,
      "-k",
      key,
      "--force-english-output",
      ...extra,
    ]);
  }

  /**
   * NuGet refuses plain-HTTP sources unless the source is configured with
   * allowInsecureConnections (`delete` has no command-line switch for it), so the client's
   * user-level NuGet.Config names the test gallery's service index.
   */
  async function allowHttpGallery(): Promise<void> {
    const config = path.join(client.environment.HOME ?? "", ".nuget", "NuGet", "NuGet.Config");
    await writeFile(
      config,
      `<?xml version="1.0" encoding="utf-8"?>
<configuration>
  <packageSources>
    <clear />
    <add key="signet-test" value="${gallery.serviceIndexUrl}" allowInsecureConnections="true" />
  </packageSources>
</configuration>
`,
    );
  }

  /** The first error the gallery recorded for the package's upload, as a reason phrase carries it. */
  async function recordedRefusal(packageId: string): Promise<string> {
    const attempt = await db.uploadAttempt.findFirstOrThrow({ where: { packageId }, orderBy: { createdAt: "desc" } });
    const [firstError] = (JSON.parse(attempt.issues) as { level: string; message: string }[]).filter(
      (issue) => issue.level === "error",
    );
    if (!firstError) throw new Error(`the upload of ${packageId} was recorded without an error`);
    return asciiHeaderText(firstError.message);
  }

  /** The versions the registration shows as listed (the flat container keeps unlisted ones for restore). */
  async function listedVersions(id: string): Promise<string[]> {
    const response = await fetch(`${gallery.origin}/v3/registration/${id.toLowerCase()}/index.json`);
    if (!response.ok) return [];
    const index = (await response.json()) as {
      items: { items: { catalogEntry: { version: string; listed: boolean } }[] }[];
    };
    return index.items
      .flatMap((page) => page.items)
      .flatMap(({ catalogEntry }) => (catalogEntry.listed ? [catalogEntry.version] : []));
  }

  beforeAll(async () => {
    if (!installed) return;
    world = await InteropWorld.create(installed);
    client = await createOverlaySdk(installed, path.join(world.directory, "client"), {
      codeSigning: [],
      timestamping: [],
    });
    db = database();
    users.alice = (await db.user.create({ data: { email: "alice@example.test", username: "alice" } })).id;
    users.bob = (await db.user.create({ data: { email: "bob@example.test", username: "bob" } })).id;
    users.carol = (await db.user.create({ data: { email: "carol@example.test", username: "carol" } })).id;
    running = await startInteropGallery({
      directory: world.directory,
      codeSigningRoot: world.certificates.root,
      timestampingRoot: world.certificates.tsaRoot,
    });
    gallery = running.gallery;
    await allowHttpGallery();
  }, 120_000);

  afterAll(async () => {
    await running?.close();
    await world?.dispose();
  });

  it("pushes an unsigned package (exit 0), which is then listed and downloadable", async () => {
    const packagePath = await unsignedPackage("Signet.Push.Unsigned");
    const result = await push(packagePath, await keyFor(users.alice));
    expect(result.exitCode, result.output).toBe(0);
    expect(result.output).toContain("Your package was pushed.");
    // The interop keys live one day, so the gallery's expiry warning must reach the person.
    expect(result.output).toContain("API_KEY_EXPIRING: This API key expires on");
    expect(await listedVersions("Signet.Push.Unsigned")).toEqual(["1.0.0"]);
    const download = await fetch(
      `${gallery.origin}/v3-flatcontainer/signet.push.unsigned/1.0.0/signet.push.unsigned.1.0.0.nupkg`,
    );
    expect(download.status).toBe(200);
  }, 60_000);

  it("pushes a package the client signed with a certificate the pusher registered", async () => {
    const signer = world.certificates.signer;
    const certificate = await db.certificate.create({
      data: { sha256Fingerprint: createHash("sha256").update(signer.der).digest("hex") },
    });
    await db.registeredCertificate.create({ data: { userId: users.carol, certificateId: certificate.id } });
    const packagePath = await world.signWithClient("PushSigned", signer);
    const result = await push(packagePath, await keyFor(users.carol));
    expect(result.exitCode, result.output).toBe(0);
    expect(await listedVersions("Signet.Interop.PushSigned")).toEqual(["1.0.0"]);
    const version = await db.packageVersion.findFirstOrThrow({
      where: { registration: { packageIdLower: "signet.interop.pushsigned" } },
    });
    expect(version.signatureStatus).toBe("VALID");
  }, 60_000);

  it("refuses a signed package whose certificate no owner registered, and the client prints the gallery's sentence", async () => {
    const packagePath = await world.signWithClient("PushUnregistered", world.certificates.signer);
    const result = await push(packagePath, await keyFor(users.bob));
    expect(result.exitCode).not.toBe(0);
    expect(result.output).toContain(`400 (${await recordedRefusal("Signet.Interop.PushUnregistered")})`);
    expect(await listedVersions("Signet.Interop.PushUnregistered")).toEqual([]);
  }, 60_000);

  it("refuses a package inside another account's reserved prefix with 403 and the rule's sentence", async () => {
    await db.prefixReservation.create({
      data: { pattern: "Fabrikam.", patternLower: "fabrikam.", owners: { create: { userId: users.bob } } },
    });
    const result = await push(await unsignedPackage("Fabrikam.Tools"), await keyFor(users.alice));
    expect(result.exitCode).not.toBe(0);
    const sentence = await recordedRefusal("Fabrikam.Tools");
    expect(sentence).toContain("Fabrikam.*");
    expect(result.output).toContain(`403 (${sentence})`);
  }, 60_000);

  it("prints every blocking reason of a refused push, most actionable first", async () => {
    // Inside carol's reserved prefix and signed with a certificate bob never registered: two reasons.
    await db.prefixReservation.create({
      data: {
        pattern: "Signet.Interop.Many",
        patternLower: "signet.interop.many",
        isPrefix: false,
        owners: { create: { userId: users.carol } },
      },
    });
    const packagePath = await world.signWithClient("Many", world.certificates.signer);
    const result = await push(packagePath, await keyFor(users.bob));
    expect(result.exitCode).not.toBe(0);
    const attempt = await db.uploadAttempt.findFirstOrThrow({
      where: { packageId: "Signet.Interop.Many" },
      orderBy: { createdAt: "desc" },
    });
    const errors = (JSON.parse(attempt.issues) as { code: string; level: string; message: string }[]).filter(
      (issue) => issue.level === "error",
    );
    expect(errors.map((issue) => issue.code)).toEqual(
      expect.arrayContaining(["PACKAGE_ID_RESERVED", "SIGNER_NOT_REGISTERED"]),
    );
    const printed = result.output.replace(/\s+/g, " ");
    for (const issue of errors) expect(printed).toContain(`[${issue.code}] ${asciiHeaderText(issue.message)}`);
    expect(printed.indexOf("[PACKAGE_ID_RESERVED]")).toBeLessThan(printed.indexOf("[SIGNER_NOT_REGISTERED]"));
    expect(printed).toContain(`403 (${errors.length} problems stop this package: 1. [`);
  }, 60_000);

  it("prints 401 for a wrong key and for a revoked key", async () => {
    const packagePath = await unsignedPackage("Signet.Push.Keys");
    const wrong = await push(packagePath, "signet_this-key-does-not-exist");
    expect(wrong.exitCode).not.toBe(0);
    expect(wrong.output).toContain("401");

    const { createApiKey, revokeApiKey } = await import("@/lib/api-keys/registry");
    const revoked = await createApiKey(db, users.alice, {
      name: "revoked",
      scopes: ["push"],
      packageGlob: "*",
      expiresInDays: 1,
    });
    await revokeApiKey(db, users.alice, revoked.apiKey.id);
    const refused = await push(packagePath, revoked.secret);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.output).toContain("401");
    expect(refused.output).toContain("This API key was revoked");
    expect(await listedVersions("Signet.Push.Keys")).toEqual([]);
  }, 60_000);

  it("prints 409 for a version that exists, which --skip-duplicate turns into success", async () => {
    const key = await keyFor(users.alice);
    const packagePath = await unsignedPackage("Signet.Push.Twice");
    expect((await push(packagePath, key)).exitCode).toBe(0);
    const again = await push(packagePath, key);
    expect(again.exitCode).not.toBe(0);
    expect(again.output).toContain("409");
    expect(again.output).toContain(
      "A package with ID 'Signet.Push.Twice' and version '1.0.0' already exists and cannot be modified.",
    );
    expect((await push(packagePath, key, "--skip-duplicate")).exitCode).toBe(0);
  }, 60_000);

  it("restores a pushed package with `dotnet restore` from the flat container", async () => {
    expect(
      (await push(await unsignedPackage("Signet.Push.Restore", "1.2.0"), await keyFor(users.alice))).exitCode,
    ).toBe(0);
    const project = path.join(world.directory, "restore");
    await mkdir(project, { recursive: true });
    await writeFile(
      path.join(project, "Consumer.csproj"),
      `<Project Sdk="Microsoft.NET.Sdk">
  <PropertyGroup><TargetFramework>net${installed?.version.split(".")[0]}.0</TargetFramework><NuGetAudit>false</NuGetAudit></PropertyGroup>
  <ItemGroup><PackageReference Include="Signet.Push.Restore" Version="1.2.0" /></ItemGroup>
</Project>
`,
    );
    const result = await runDotnet(client, ["restore", project]);
    expect(result.exitCode, result.output).toBe(0);
    const restored = path.join(
      client.environment.NUGET_PACKAGES ?? "",
      "signet.push.restore",
      "1.2.0",
      "signet.push.restore.1.2.0.nupkg",
    );
    const restoredBytes = new Uint8Array(await readFile(restored));
    const served = await fetch(
      `${gallery.origin}/v3-flatcontainer/signet.push.restore/1.2.0/signet.push.restore.1.2.0.nupkg`,
    );
    expect(restoredBytes).toEqual(new Uint8Array(await served.arrayBuffer()));
    // What the gallery serves is the pushed package with the gallery's repository signature added.
    expect(await withoutRepositorySignature(restoredBytes)).toEqual(
      new Uint8Array(await readFile(path.join(world.directory, "Signet.Push.Restore.1.2.0.nupkg"))),
    );
  }, 120_000);

  it("unlists a version with `dotnet nuget delete`", async () => {
    const key = await keyFor(users.alice);
    expect((await push(await unsignedPackage("Signet.Push.Unlist"), key)).exitCode).toBe(0);
    const result = await runDotnet(client, [
      "nuget",
      "delete",
      "Signet.Push.Unlist",
      "1.0.0",
      "-s",
      gallery.serviceIndexUrl,
      "-k",
      key,
      "--non-interactive",
      "--force-english-output",
    ]);
    expect(result.exitCode, result.output).toBe(0);
    expect(await listedVersions("Signet.Push.Unlist")).toEqual([]);
  }, 60_000);
});
