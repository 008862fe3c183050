// The repository signing key never reaches the database or the logs (issue 12): after the gallery
// has signed with its embedded development key and with a configured PEM key (publishing unsigned
// and author-signed packages, refusing one, backfilling an older version, and failing to open a
// PKCS#12 file with a wrong password), nothing in any table, in the SQLite file itself, or in
// anything written to the console holds the private key in any usual encoding.
import { execFile } from "node:child_process";
import { createHash, createPrivateKey } from "node:crypto";
import { readFile, readdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { registerFingerprint } from "@/lib/certificates/registry";
import type { Db } from "@/lib/db";
import { fromPem, toPem } from "@/lib/timestamping";
import { galleryTrustStore, services } from "@/lib/services";
import { loadRepositorySigner, type RepositorySigner } from "@/lib/trust/repository-signing";
import { submitPackage } from "@/lib/uploads";
import { repositorySignPublishedVersions } from "@/lib/uploads/backfill";
import { testDialects } from "@/test/db/scratch";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { certificatePem, privateKeyPkcs8, temporaryDirectory } from "@/test/support/pki";
import { createUnsignedPublishedVersion } from "@/test/support/published-version";
import { inProcessTimestamper } from "@/test/support/repository-signing";
import { createTestPki, signedPackage, trustOf, type TestPki } from "@/test/support/signing";
import { useUploadHarness } from "./harness";

const execFileAsync = promisify(execFile);

/** How a private key could appear: its PEM lines and its secret numbers as base64url, base64 and hex. */
interface KeyMarkers {
  text: string[];
  bytes: Buffer[];
}

function keyMarkers(pkcs8: Uint8Array): KeyMarkers {
  const jwk = createPrivateKey({ key: Buffer.from(pkcs8), format: "der", type: "pkcs8" }).export({ format: "jwk" });
  const secrets = [jwk.d, jwk.p, jwk.q].map((value) => Buffer.from(value ?? "", "base64url"));
  const pemLines = toPem(pkcs8, "PRIVATE KEY")
    .split("\n")
    .filter((line) => line.length === 64);
  return {
    text: [
      ...pemLines,
      ...secrets.flatMap((secret) => [secret.toString("base64url"), secret.toString("base64"), secret.toString("hex")]),
    ],
    bytes: [Buffer.from(pkcs8), ...secrets],
  };
}

function leaksIn(haystack: string, markers: KeyMarkers): string[] {
  return markers.text.filter((marker) => haystack.includes(marker)).map((marker) => marker.slice(0, 12));
}

function binaryLeaksIn(haystack: Buffer, markers: KeyMarkers): number {
  return markers.bytes.filter((marker) => haystack.includes(marker)).length;
}

/**
 * What the database holds. SQLite: the database file with its journal and write-ahead log, as a
 * copied backup would hold them, read as bytes. PostgreSQL: every row of every table as JSON text
 * (binary columns in hex).
 */
async function databaseContents(db: Db, dialect: string): Promise<{ text: string; bytes: Buffer }> {
  if (dialect === "sqlite") {
    const [main] = await db.$queryRawUnsafe<Array<{ file: string }>>("PRAGMA database_list");
    const folder = path.dirname(main?.file ?? "");
    const files = await Promise.all((await readdir(folder)).map((file) => readFile(path.join(folder, file))));
    const bytes = Buffer.concat(files);
    return { text: bytes.toString("latin1"), bytes };
  }
  const tables = await db.$queryRawUnsafe<Array<{ name: string }>>(
    "SELECT table_name AS name FROM information_schema.tables WHERE table_schema = current_schema()",
  );
  const dumped: string[] = [];
  for (const { name } of tables) {
    // row_to_json writes every column, tsvector and bytea (as hex) included.
    const rows = await db.$queryRawUnsafe<Array<{ row: string }>>(
      `SELECT row_to_json(t)::text AS row FROM "${name.replaceAll('"', '""')}" t`,
    );
    dumped.push(...rows.map(({ row }) => row));
  }
  const text = dumped.join("\n");
  return { text, bytes: Buffer.from(text) };
}

describe.each(testDialects())("the repository signing key stays out of the database and the logs, on %s", (dialect) => {
  const harness = useUploadHarness(dialect);
  const written: string[] = [];
  let directory: string;
  let pki: TestPki;

  beforeAll(async () => {
    directory = await temporaryDirectory("signet-key-material-");
    pki = await createTestPki();
    const capture = (...parts: unknown[]) => {
      written.push(
        parts
          .map((part) =>
            part instanceof Error
              ? `${part.message}\n${part.stack}`
              : typeof part === "string"
                ? part
                : JSON.stringify(part),
          )
          .join(" "),
      );
    };
    for (const method of ["log", "info", "warn", "error", "debug"] as const)
      vi.spyOn(console, method).mockImplementation(capture);
    for (const stream of [process.stdout, process.stderr]) {
      const write = stream.write.bind(stream);
      vi.spyOn(stream, "write").mockImplementation(((chunk: string | Uint8Array, ...rest: unknown[]) => {
        written.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
        return (write as (...args: unknown[]) => boolean)(chunk, ...rest);
      }) as typeof stream.write);
    }
  });
  afterAll(async () => {
    vi.restoreAllMocks();
    await rm(directory, { recursive: true, force: true });
  });

  async function publishWith(
    signer: RepositorySigner,
    owners: { signing: string; plain: string },
    prefix: string,
  ): Promise<void> {
    const trust = {
      codeSigningRoots: [
        ...galleryTrustStore().codeSigningRoots,
        ...trustOf(pki).codeSigningRoots,
        ...signer.ownRoots.codeSigningRoots,
      ],
      timestampingRoots: [
        ...galleryTrustStore().timestampingRoots,
        ...trustOf(pki).timestampingRoots,
        ...signer.ownRoots.timestampingRoots,
      ],
    };
    // An account with a registered certificate must sign; the other publishes unsigned.
    const options = {
      uploaderId: owners.signing,
      source: "API" as const,
      trust,
      repositorySigner: async () => signer,
      staging: services.staging,
    };
    const unsignedOptions = { ...options, uploaderId: owners.plain };
    const unsigned = await submitPackage(
      harness.db(),
      harness.storage(),
      await harness.stage(buildUnsignedPackage({ id: `${prefix}.Unsigned`, version: "1.0.0" })),
      unsignedOptions,
    );
    expect(unsigned.status).toBe("accepted");
    const authorSigned = await signedPackage(
      { primary: { signer: pki.author, kind: "author", authority: pki.authority } },
      buildUnsignedPackage({ id: `${prefix}.AuthorSigned`, version: "1.0.0" }),
    );
    expect(
      (await submitPackage(harness.db(), harness.storage(), await harness.stage(authorSigned), options)).status,
    ).toBe("accepted");
    const tampered = Buffer.from(authorSigned);
    const flipAt = tampered.length - 30;
    tampered[flipAt] = (tampered[flipAt] ?? 0) ^ 0xff;
    expect(
      (await submitPackage(harness.db(), harness.storage(), await harness.stage(tampered), options)).status,
    ).not.toBe("accepted");
    await createUnsignedPublishedVersion(harness.db(), harness.storage(), {
      ownerId: owners.plain,
      packageId: `${prefix}.Legacy`,
      version: "1.0.0",
      bytes: buildUnsignedPackage({ id: `${prefix}.Legacy`, version: "1.0.0" }),
    });
    const backfill = await repositorySignPublishedVersions(harness.db(), harness.storage(), {
      signer,
      trust,
      staging: services.staging,
    });
    expect(backfill.signed).toBeGreaterThanOrEqual(1);
  }

  it("after signing with the development key and a configured key, no table, database file or console line holds either key", async () => {
    const owners = { signing: await harness.createUser("keyholder"), plain: await harness.createUser("plainowner") };
    await registerFingerprint(harness.db(), owners.signing, createHash("sha256").update(pki.author.der).digest("hex"));

    // The embedded default: a development key generated into the data folder.
    const development = await loadRepositorySigner(path.join(directory, "data"), {});
    const developmentKeyFile = development.development?.repositoryKey;
    if (!developmentKeyFile) throw new Error("the embedded default made no development key");
    await publishWith(development, owners, "Contoso.Development");

    // A configured PEM key (timestamps from the test authority in process: the key is what matters here).
    const certificateFile = path.join(directory, "repository.pem");
    const keyFile = path.join(directory, "repository.key.pem");
    const configuredPkcs8 = await privateKeyPkcs8(pki.repository.key);
    await writeFile(certificateFile, certificatePem(pki.codeSigningRoot) + certificatePem(pki.repository));
    await writeFile(keyFile, toPem(configuredPkcs8, "PRIVATE KEY"));
    const configured = await loadRepositorySigner(directory, {
      SIGNET_REPOSITORY_CERTIFICATE: certificateFile,
      SIGNET_REPOSITORY_KEY: keyFile,
      SIGNET_TIMESTAMP_URL: "http://127.0.0.1:1/unused",
    });
    await publishWith(
      { ...configured, timestamper: inProcessTimestamper(pki.authority) },
      owners,
      "Contoso.Configured",
    );

    // A PKCS#12 file opened with the wrong password: its error is what an operator's log shows.
    const pfx = path.join(directory, "repository.pfx");
    await writeFile(path.join(directory, "leaf.pem"), certificatePem(pki.repository));
    await execFileAsync("openssl", [
      "pkcs12",
      "-export",
      "-inkey",
      keyFile,
      "-in",
      path.join(directory, "leaf.pem"),
      "-out",
      pfx,
      "-passout",
      "pass:right-password",
    ]);
    const refusal = await loadRepositorySigner(directory, {
      SIGNET_REPOSITORY_CERTIFICATE: pfx,
      SIGNET_REPOSITORY_CERTIFICATE_PASSWORD: "wrong-password",
      SIGNET_TIMESTAMP_URL: "http://127.0.0.1:1/unused",
    }).catch((failure: unknown) => failure);
    expect(refusal).toBeInstanceOf(Error);
    written.push(`${(refusal as Error).message}\n${(refusal as Error).stack}`);
    expect(written.join("\n")).not.toContain("wrong-password");

    const [developmentPkcs8] = fromPem(await readFile(developmentKeyFile, "utf8"), "PRIVATE KEY");
    if (!developmentPkcs8) throw new Error("the development key file holds no PKCS#8 key");
    const markers = [keyMarkers(developmentPkcs8), keyMarkers(configuredPkcs8)];
    // The scan finds a key where there is one (so an empty result below means something).
    expect(leaksIn(await readFile(keyFile, "utf8"), keyMarkers(configuredPkcs8))).not.toEqual([]);

    const stored = await databaseContents(harness.db(), dialect);
    expect(stored.text).toContain("Contoso.Development.Unsigned"); // the scan reads real rows
    const console = written.join("\n");
    for (const marker of markers) {
      expect(leaksIn(stored.text, marker), "key material in the database").toEqual([]);
      expect(binaryLeaksIn(stored.bytes, marker), "key bytes in the database").toBe(0);
      expect(leaksIn(console, marker), "key material on the console").toEqual([]);
    }
  });
});
