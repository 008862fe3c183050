// submitPackage end to end on a real database and storage folder: what is accepted, what is
// refused and why, and that files and rows always appear together.

import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { registerFingerprint } from "@/lib/certificates/registry";
import type { Db } from "@/lib/db";
import { submitPackage, type UploadOutcome } from "@/lib/uploads";
import { discardReceivedPackage } from "@/lib/uploads/receive";
import { decideUpload, judgeStoredFile, stagedFile } from "@/lib/uploads/submit";
import { buildUnsignedPackage, replaceEntryContent } from "@/test/support/nupkg";
import { testDialects } from "@/test/db/scratch";
import { useUploadHarness } from "./harness";
import { CORPUS_SIGNERS, corpusPackage, corpusPackagesFor } from "./packages";
import { services } from "@/lib/services";

const corpusPresent = corpusPackagesFor("test/uploads/submit.test.ts", "submitting signed corpus packages");

function errors(outcome: UploadOutcome) {
  return outcome.issues.filter((issue) => issue.level === "error");
}

function errorCodes(outcome: UploadOutcome): string[] {
  return errors(outcome).map((issue) => issue.code);
}

describe.each(testDialects())("submitPackage on %s", (dialect) => {
  const harness = useUploadHarness(dialect);

  /** A push judged but not yet decided, so a test can make several race to publish. */
  async function judgedDecision(uploaderId: string, id: string, version = "1.0.0") {
    const now = new Date();
    const received = await harness.stage(buildUnsignedPackage({ id, version }));
    const file = stagedFile(received);
    const judgement = await judgeStoredFile(harness.db(), harness.storage(), file, {
      ...services.judging(),
      uploaderId,
      now,
    });
    return {
      ...services.judging(),
      judgement,
      file,
      received,
      attempt: { kind: "new", id: randomUUID(), uploaderId, source: "API" } as const,
      now,
    };
  }

  async function push(uploaderId: string, bytes: Uint8Array, db: Db = harness.db()): Promise<UploadOutcome> {
    return submitPackage(db, harness.storage(), await harness.stage(bytes), {
      ...services.judging(),
      uploaderId,
      source: "API",
    });
  }

  async function reserve(pattern: string, ownerId: string, isPublic: boolean): Promise<void> {
    await harness.db().prefixReservation.create({
      data: { pattern, patternLower: pattern.toLowerCase(), isPublic, owners: { create: { userId: ownerId } } },
    });
  }

  it("publishes an unsigned package when nobody registered a certificate, with every nuspec field and its hashes", async () => {
    const alice = await harness.createUser("alice");
    const received = await harness.stage(buildUnsignedPackage({ id: "Contoso.Utils", version: "1.0.0" }));
    const outcome = await submitPackage(harness.db(), harness.storage(), received, {
      ...services.judging(),
      uploaderId: alice,
      source: "WEB",
    });
    expect(outcome).toMatchObject({
      status: "accepted",
      packageVersion: { packageId: "Contoso.Utils", version: "1.0.0" },
      issues: [],
    });
    expect(await harness.storedFiles()).toEqual(["packages/contoso.utils/1.0.0/contoso.utils.1.0.0.nupkg"]);
    const version = await harness.db().packageVersion.findFirstOrThrow({
      where: { versionLower: "1.0.0", registration: { packageIdLower: "contoso.utils" } },
      include: { registration: { include: { owners: true } }, uploadAttempt: true },
    });
    expect(version).toMatchObject({
      description: "A package built by the Signet test suite.",
      authors: "Signet Tests",
      signatureStatus: "UNSIGNED",
      uploadedSha512: received.sha512,
      contentHash: received.sha512,
      publisherId: alice,
      storageKey: "packages/contoso.utils/1.0.0/contoso.utils.1.0.0.nupkg",
      signerContinuity: "FIRST",
      signerPreviousVersion: null,
    });
    expect(version.registration.owners.map((owner) => owner.userId)).toEqual([alice]);
    expect(version.uploadAttempt).toMatchObject({
      status: "ACCEPTED",
      source: "WEB",
      uploaderId: alice,
      storageKey: null,
    });
  });

  it("publishes packages whose IDs are long runs of non-ASCII letters, and serves them back (issue 14)", async () => {
    const author = await harness.createUser("unicode-author");
    for (const id of ["漢".repeat(60), "Ж".repeat(100), `Straße.${"é".repeat(90)}`]) {
      const outcome = await push(author, buildUnsignedPackage({ id, version: "1.0.0-beta.1" }));
      expect(outcome, id).toMatchObject({ status: "accepted", packageVersion: { packageId: id } });
      const { storageKey } = await harness
        .db()
        .packageVersion.findFirstOrThrow({ where: { registration: { packageIdLower: id.toLowerCase() } } });
      expect(await harness.storage().exists(storageKey!)).toBe(true);
    }
  });

  it("records how each version's signer compares with the version published before it", async () => {
    const alice = await harness.db().user.findUniqueOrThrow({ where: { username: "alice" } });
    expect((await push(alice.id, buildUnsignedPackage({ id: "Contoso.Utils", version: "1.0.1" }))).status).toBe(
      "accepted",
    );
    const version = await harness.db().packageVersion.findFirstOrThrow({
      where: { versionLower: "1.0.1", registration: { packageIdLower: "contoso.utils" } },
    });
    expect(version).toMatchObject({ signerContinuity: "UNCHANGED", signerPreviousVersion: "1.0.0" });
  });

  it("stores the readme, rendered to sanitised HTML at publish, and the manifest's fields, and keeps warnings on an accepted package", async () => {
    const alice = await harness.db().user.findUniqueOrThrow({ where: { username: "alice" } });
    const manifest = `<?xml version="1.0"?><package xmlns="http://schemas.microsoft.com/packaging/2013/05/nuspec.xsd"><metadata>
      <id>Contoso.Documented</id><version>2.1.0-RC.1+build.5</version><authors>Ann, Bob</authors><description>Documented.</description>
      <readme>docs/README.md</readme><projectUrl>ftp://contoso.example/</projectUrl><tags>json fast</tags><license type="expression">MIT</license>
      <dependencies><group targetFramework="net8.0"><dependency id="Contoso.Utils" version="1.0.0" /></group></dependencies></metadata></package>`;
    const bytes = replaceEntryContent(
      buildUnsignedPackage({
        id: "Contoso.Documented",
        version: "2.1.0",
        files: { "docs/README.md": "# Contoso\n\nHello." },
      }),
      "Contoso.Documented.nuspec",
      manifest,
    );
    const outcome = await push(alice.id, bytes);
    expect(outcome).toMatchObject({
      status: "accepted",
      packageVersion: { version: "2.1.0-RC.1" },
      issues: [expect.objectContaining({ code: "NUSPEC_URL_NOT_WEB", level: "warning" })],
    });
    const version = await harness
      .db()
      .packageVersion.findFirstOrThrow({ where: { registration: { packageIdLower: "contoso.documented" } } });
    expect(version).toMatchObject({
      version: "2.1.0-RC.1",
      versionLower: "2.1.0-rc.1",
      originalVersion: "2.1.0-RC.1+build.5",
      isPrerelease: true,
      isSemVer2: true,
      readme: "# Contoso\n\nHello.",
      readmeHtml: "<h3>Contoso</h3>\n<p>Hello.</p>\n",
      authors: "Ann, Bob",
      tags: "json fast",
      licenseExpression: "MIT",
      projectUrl: "ftp://contoso.example/",
      storageKey: "packages/contoso.documented/2.1.0-rc.1/contoso.documented.2.1.0-rc.1.nupkg",
    });
    expect(JSON.parse(version.dependencyGroups)).toEqual([
      { targetFramework: "net8.0", dependencies: [{ id: "Contoso.Utils", range: "[1.0.0, )" }] },
    ]);
  });

  it("refuses a second upload of the same ID and version with PACKAGE_VERSION_EXISTS and keeps no file for it", async () => {
    const alice = await harness.db().user.findUniqueOrThrow({ where: { username: "alice" } });
    const outcome = await push(alice.id, buildUnsignedPackage({ id: "contoso.utils", version: "1.0.0.0" }));
    expect(outcome.status).toBe("rejected");
    expect(errorCodes(outcome)).toEqual(["PACKAGE_VERSION_EXISTS"]);
    const attempt = await harness.db().uploadAttempt.findUniqueOrThrow({ where: { id: outcome.attemptId } });
    expect(attempt).toMatchObject({
      status: "REJECTED",
      storageKey: null,
      packageId: "contoso.utils",
      version: "1.0.0",
    });
    expect((await harness.storedFiles()).filter((key) => !key.startsWith("packages/"))).toEqual([]);
  });

  it("refuses a version of someone else's package", async () => {
    const bob = await harness.createUser("bob");
    const outcome = await push(bob, buildUnsignedPackage({ id: "Contoso.Utils", version: "2.0.0" }));
    expect(errorCodes(outcome)).toEqual(["PACKAGE_NOT_OWNED"]);
  });

  it("refuses an unsigned version once the required signer has a registered certificate", async () => {
    const carol = await harness.createUser("carol");
    expect((await push(carol, buildUnsignedPackage({ id: "Carol.Lib", version: "1.0.0" }))).status).toBe("accepted");
    await harness
      .db()
      .packageRegistration.update({ where: { packageIdLower: "carol.lib" }, data: { requiredSignerId: carol } });
    await registerFingerprint(harness.db(), carol, "ab".repeat(32));
    const outcome = await push(carol, buildUnsignedPackage({ id: "Carol.Lib", version: "1.1.0" }));
    expect(errorCodes(outcome)).toEqual(["PACKAGE_NOT_SIGNED"]);
    expect(errors(outcome)[0]?.message).toContain("'carol'");
    expect(await harness.storedFiles()).toContain(`quarantine/${outcome.attemptId}.nupkg`);
  });

  describe("reserved prefixes", () => {
    it("refuses a new ID inside another account's private reservation, naming the reservation", async () => {
      const owner = await harness.createUser("fabrikam");
      const dave = await harness.createUser("dave");
      await reserve("Fabrikam.", owner, false);
      const outcome = await push(dave, buildUnsignedPackage({ id: "Fabrikam.Tools", version: "1.0.0" }));
      expect(errorCodes(outcome)).toEqual(["PACKAGE_ID_RESERVED"]);
      expect(errors(outcome)[0]?.message).toContain("'Fabrikam.*'");
    });

    it("marks the reservation owner's package verified, and lets others into a public reservation unverified", async () => {
      const owner = await harness.db().user.findUniqueOrThrow({ where: { username: "fabrikam" } });
      const dave = await harness.db().user.findUniqueOrThrow({ where: { username: "dave" } });
      await reserve("Shared.", owner.id, true);
      const judge = async (uploaderId: string, id: string) => {
        const received = await harness.stage(buildUnsignedPackage({ id, version: "1.0.0" }));
        try {
          return await judgeStoredFile(harness.db(), harness.storage(), stagedFile(received), {
            ...services.judging(),
            uploaderId,
          });
        } finally {
          await discardReceivedPackage(received);
        }
      };
      expect(await judge(owner.id, "Fabrikam.Core")).toMatchObject({ issues: [], verified: true, isNewId: true });
      expect(await judge(dave.id, "Shared.Thing")).toMatchObject({ issues: [], verified: false });
      expect(await judge(owner.id, "Shared.Thing")).toMatchObject({ issues: [], verified: true });
      expect((await push(dave.id, buildUnsignedPackage({ id: "Shared.Thing", version: "1.0.0" }))).status).toBe(
        "accepted",
      );
    });
  });

  describe.skipIf(!corpusPresent)("signed packages (real nuget.org packages)", () => {
    it("accepts a package signed with a certificate registered to its owner, and fills in the certificate's details", async () => {
      const erin = await harness.createUser("erin");
      await registerFingerprint(harness.db(), erin, CORPUS_SIGNERS.jsonNet);
      const outcome = await push(erin, corpusPackage("Newtonsoft.Json.13.0.3.nupkg"));
      expect(outcome.status).toBe("accepted");
      // Warnings from the engine (revocation not checked offline) are kept and returned.
      expect(outcome.issues.every((issue) => issue.level === "warning")).toBe(true);
      const certificate = await harness
        .db()
        .certificate.findUniqueOrThrow({ where: { sha256Fingerprint: CORPUS_SIGNERS.jsonNet } });
      expect(certificate.subject).toContain("CN=Json.NET (.NET Foundation)");
      const version = await harness
        .db()
        .packageVersion.findFirstOrThrow({ where: { registration: { packageIdLower: "newtonsoft.json" } } });
      expect(version).toMatchObject({
        signatureStatus: "VALID",
        signerCertificateId: certificate.id,
        provenSigningTime: new Date("2023-03-08T07:09:56Z"),
        provenSigningTimeSource: "TIMESTAMP",
        contentHash: "HrC5BXdl00IP9zeV+0Z848QWPAoCr9P3bDEZguI+gkLcBKAOxix/tLEAAHC+UvDNPv4a2d18lOReHMOagPa+zQ==",
        uploadedSha512: "mbJSvHfRxfX3tR/U6n1WU+mWHXswYc+SB/hkOpx8yZZe68hNZGfymJu0cjsaJEkVzCMqePiU6LdIyogqfIn7kg==",
      });
      expect(JSON.parse(version.signatureReport ?? "null")).toMatchObject({
        status: "valid",
        author: { kind: "author" },
      });
    });

    it("counts the first push the gallery sees signed with a fingerprint-registered certificate as the proof, and only that one", async () => {
      const erin = await harness.db().user.findUniqueOrThrow({ where: { username: "erin" } });
      const registration = await harness.db().registeredCertificate.findFirstOrThrow({ where: { userId: erin.id } });
      expect(registration).toMatchObject({ provenBy: "FIRST_PUSH" });
      const version = await harness
        .db()
        .packageVersion.findFirstOrThrow({ where: { registration: { packageIdLower: "newtonsoft.json" } } });
      expect(JSON.parse(version.signerAuthorization ?? "null")).toMatchObject({
        username: "erin",
        via: "certificate",
        proof: "FIRST_PUSH",
        provesNow: true,
      });
      const certificate = await harness
        .db()
        .certificate.findUniqueOrThrow({ where: { sha256Fingerprint: CORPUS_SIGNERS.jsonNet } });
      expect(certificate.firstSeenAt).not.toBeNull();
    });

    it("refuses a package signed with a certificate not registered to its owner", async () => {
      const erin = await harness.db().user.findUniqueOrThrow({ where: { username: "erin" } });
      const outcome = await push(erin.id, corpusPackage("Microsoft.Bcl.AsyncInterfaces.8.0.0.nupkg"));
      expect(errorCodes(outcome)).toEqual(["SIGNER_NOT_REGISTERED"]);
      expect(errors(outcome)[0]?.message).toContain(CORPUS_SIGNERS.microsoft2023);
    });

    it("counts a repository signature alone as unsigned when the owner must sign", async () => {
      const erin = await harness.db().user.findUniqueOrThrow({ where: { username: "erin" } });
      const outcome = await push(erin.id, corpusPackage("Modernizr.2.8.3.nupkg"));
      // nuget.org's repository primary signature is not kept, so the package is judged as unsigned.
      expect(errorCodes(outcome)).toEqual(["PACKAGE_NOT_SIGNED"]);
      expect(outcome.issues.find((issue) => issue.code === "REPOSITORY_SIGNATURE_REPLACED")?.message).toContain(
        "repository primary signature from https://api.nuget.org/v3/index.json",
      );
    });

    it("refuses a tampered package with NU3008 and keeps it in quarantine with its report", async () => {
      const frank = await harness.createUser("frank");
      await registerFingerprint(harness.db(), frank, CORPUS_SIGNERS.microsoft2023);
      const outcome = await push(frank, corpusPackage("Microsoft.Bcl.AsyncInterfaces.8.0.0.TAMPERED-byteflip.nupkg"));
      expect(errorCodes(outcome)).toContain("NU3008");
      const attempt = await harness.db().uploadAttempt.findUniqueOrThrow({ where: { id: outcome.attemptId } });
      expect(attempt).toMatchObject({
        status: "REJECTED",
        storageKey: `quarantine/${outcome.attemptId}.nupkg`,
        packageId: "Microsoft.Bcl.AsyncInterfaces",
        version: "8.0.0",
      });
      expect(JSON.parse(attempt.signatureReport ?? "null")).toMatchObject({ status: "invalid", integrity: false });
      expect(attempt.nuspecXml).toContain("<id>Microsoft.Bcl.AsyncInterfaces</id>");
    });

    it("refuses packages signed at or after the moment their certificate was marked compromised", async () => {
      const frank = await harness.db().user.findUniqueOrThrow({ where: { username: "frank" } });
      const timestamp = new Date("2023-10-31T20:41:33Z");
      await harness.db().certificate.update({
        where: { sha256Fingerprint: CORPUS_SIGNERS.microsoft2023 },
        data: { compromisedAt: timestamp, compromisedReason: "key stolen" },
      });
      const refused = await push(frank.id, corpusPackage("Microsoft.Bcl.AsyncInterfaces.8.0.0.nupkg"));
      expect(errorCodes(refused)).toEqual(["CERTIFICATE_COMPROMISED"]);
      expect(errors(refused)[0]?.message).toContain("key stolen");
      await harness.db().certificate.update({
        where: { sha256Fingerprint: CORPUS_SIGNERS.microsoft2023 },
        data: { compromisedAt: new Date(timestamp.getTime() + 1000) },
      });
      expect((await push(frank.id, corpusPackage("Microsoft.Bcl.AsyncInterfaces.8.0.0.nupkg"))).status).toBe(
        "accepted",
      );
    });
  });

  describe("concurrency and atomicity", () => {
    it("accepts exactly one of 20 simultaneous uploads of one ID and version; the rest get PACKAGE_VERSION_EXISTS", async () => {
      const grace = await harness.createUser("grace");
      const before = await harness.storedFiles();
      const staged = await Promise.all(
        Array.from({ length: 20 }, () => harness.stage(buildUnsignedPackage({ id: "Race.Package", version: "1.0.0" }))),
      );
      const outcomes = await Promise.all(
        staged.map((received) =>
          submitPackage(harness.db(), harness.storage(), received, {
            ...services.judging(),
            uploaderId: grace,
            source: "API",
          }),
        ),
      );
      expect(outcomes.filter((outcome) => outcome.status === "accepted")).toHaveLength(1);
      const refused = outcomes.filter((outcome) => outcome.status === "rejected");
      expect(refused.map(errorCodes)).toEqual(Array.from({ length: 19 }, () => ["PACKAGE_VERSION_EXISTS"]));
      const added = (await harness.storedFiles()).filter((key) => !before.includes(key));
      expect(added).toEqual(["packages/race.package/1.0.0/race.package.1.0.0.nupkg"]);
      expect(
        await harness.db().packageVersion.count({ where: { registration: { packageIdLower: "race.package" } } }),
      ).toBe(1);
      expect(await harness.db().packageRegistration.count({ where: { packageIdLower: "race.package" } })).toBe(1);
      expect(await harness.db().uploadAttempt.count({ where: { uploaderId: grace } })).toBe(20);
    });

    it("turns a lost race at the unique index into PACKAGE_VERSION_EXISTS: both judged before either published", async () => {
      const judy = await harness.createUser("judy");
      const decisions = await Promise.all([judy, judy].map((uploaderId) => judgedDecision(uploaderId, "Judged.Twice")));
      expect(decisions.map((decision) => decision.judgement.issues)).toEqual([[], []]);
      const outcomes = await Promise.all(
        decisions.map((decision) => decideUpload(harness.db(), harness.storage(), decision)),
      );
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["accepted", "rejected"]);
      expect(outcomes.flatMap(errorCodes)).toEqual(["PACKAGE_VERSION_EXISTS"]);
      const loser = outcomes.find((outcome) => outcome.status === "rejected");
      expect(await harness.db().uploadAttempt.findUnique({ where: { id: loser?.attemptId ?? "" } })).toMatchObject({
        status: "REJECTED",
        storageKey: null,
      });
      await Promise.all(decisions.map((decision) => discardReceivedPackage(decision.received)));
    });

    it("refuses the loser of a race to create a new ID when it is another account's push", async () => {
      const [kim, leo] = await Promise.all([harness.createUser("kim"), harness.createUser("leo")]);
      const decisions = await Promise.all([
        judgedDecision(kim, "Contested.Id", "1.0.0"),
        judgedDecision(leo, "Contested.Id", "2.0.0"),
      ]);
      expect(decisions.map((decision) => decision.judgement.isNewId)).toEqual([true, true]);
      const outcomes = await Promise.all(
        decisions.map((decision) => decideUpload(harness.db(), harness.storage(), decision)),
      );
      expect(outcomes.map((outcome) => outcome.status).sort()).toEqual(["accepted", "rejected"]);
      expect(outcomes.flatMap(errorCodes)).toEqual(["PACKAGE_NOT_OWNED"]);
      const registration = await harness.db().packageRegistration.findUniqueOrThrow({
        where: { packageIdLower: "contested.id" },
        include: { owners: true, versions: true },
      });
      expect(registration.owners).toHaveLength(1);
      expect(registration.versions).toHaveLength(1);
      await Promise.all(decisions.map((decision) => discardReceivedPackage(decision.received)));
    });

    it("publishes simultaneous first pushes of different versions of a new ID under one registration", async () => {
      const heidi = await harness.createUser("heidi");
      const staged = await Promise.all(
        ["1.0.0", "1.0.1", "1.0.2", "1.0.3", "1.0.4"].map((version) =>
          harness.stage(buildUnsignedPackage({ id: "Fresh.Id", version })),
        ),
      );
      const outcomes = await Promise.all(
        staged.map((received) =>
          submitPackage(harness.db(), harness.storage(), received, {
            ...services.judging(),
            uploaderId: heidi,
            source: "API",
          }),
        ),
      );
      expect(outcomes.map((outcome) => outcome.status)).toEqual(Array.from({ length: 5 }, () => "accepted"));
      const registration = await harness.db().packageRegistration.findUniqueOrThrow({
        where: { packageIdLower: "fresh.id" },
        include: { owners: true, versions: true },
      });
      expect(registration.owners.map((owner) => owner.userId)).toEqual([heidi]);
      expect(registration.versions).toHaveLength(5);
    });

    it("leaves neither file nor rows when the transaction fails after the file was moved", async () => {
      const ivan = await harness.createUser("ivan");
      const before = await harness.storedFiles();
      // Every statement succeeds and the file is in place; then the transaction fails instead of committing.
      const failingDb = new Proxy(harness.db(), {
        get(target, property, receiver) {
          if (property !== "$transaction") return Reflect.get(target, property, receiver);
          return (work: (tx: unknown) => Promise<unknown>, options: unknown) =>
            target.$transaction(async (tx) => {
              await work(tx);
              throw new Error("injected failure before commit");
            }, options as never);
        },
      });
      await expect(
        push(ivan, buildUnsignedPackage({ id: "Doomed.Package", version: "1.0.0" }), failingDb),
      ).rejects.toThrow("injected failure before commit");
      expect(await harness.storedFiles()).toEqual(before);
      expect(await harness.db().packageRegistration.count({ where: { packageIdLower: "doomed.package" } })).toBe(0);
      expect(await harness.db().uploadAttempt.count({ where: { uploaderId: ivan } })).toBe(0);
    });
  });
});
