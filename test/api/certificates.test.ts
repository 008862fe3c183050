// The certificate API on a real migrated database, through the route handlers themselves:
// registration by file and by fingerprint, the checks' answers, and that one account never
// sees or changes another's certificates. next-auth's session lookup is stood in for.
import { createHash } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import {
  certificatePem,
  EXTENDED_KEY_USAGE,
  generateRsaKey,
  issueCertificate,
  type TestCertificate,
} from "@/test/support/pki";
import { malformedJsonRequest, pageRequest } from "@/test/support/api-request";

const session = vi.hoisted(() => ({ userId: undefined as string | undefined }));

vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (await import("@/test/support/session-stand-in")).standInSession(session.userId),
}));

const BASE = "http://gallery.test/api/account/certificates";

type CollectionRoute = typeof import("@/app/api/account/certificates/route");
type ItemRoute = typeof import("@/app/api/account/certificates/[id]/route");
type Registry = typeof import("@/lib/certificates/registry");

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64");
}

describe.each(testDialects())("certificate API on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  let db: Db;
  let collection: CollectionRoute;
  let item: ItemRoute;
  let registry: Registry;
  let signing: TestCertificate;
  const ids = { alice: "", bob: "", admin: "" };

  function post(body: unknown): Promise<Response> {
    return collection.POST(pageRequest(BASE, "POST", body));
  }

  function list(query = ""): Promise<Response> {
    return collection.GET(new Request(`${BASE}${query}`));
  }

  function remove(id: string): Promise<Response> {
    return item.DELETE(pageRequest(`${BASE}/${id}`, "DELETE"), { params: Promise.resolve({ id }) });
  }

  async function fingerprintsOf(userId: string): Promise<string[]> {
    return (await registry.listRegisteredCertificates(db, userId)).map((entry) => entry.sha256Fingerprint);
  }

  beforeAll(async () => {
    collection = await import("@/app/api/account/certificates/route");
    item = await import("@/app/api/account/certificates/[id]/route");
    registry = await import("@/lib/certificates/registry");
    db = database();
    ids.alice = (await db.user.create({ data: { email: "alice@example.test", username: "alice" } })).id;
    ids.bob = (await db.user.create({ data: { email: "bob@example.test", username: "bob" } })).id;
    ids.admin = (await db.user.create({ data: { email: "admin@example.test", username: "admin", role: "ADMIN" } })).id;
    signing = await issueCertificate({
      commonName: "Alice Signing",
      key: await generateRsaKey(2048),
      extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
    });
  });

  beforeEach(async () => {
    session.userId = undefined;
    await db.registeredCertificate.deleteMany();
    await db.certificate.deleteMany();
  });

  it("registers a PEM file, lists it with its details, refuses it twice, and removes it", async () => {
    session.userId = ids.alice;
    const created = await post({ file: base64(new TextEncoder().encode(certificatePem(signing))) });
    expect(created.status).toBe(201);
    const { certificate } = (await created.clone().json()) as {
      certificate: { id: string; sha256Fingerprint: string };
    };
    // A self-signed certificate: registered, awaiting proof, and told up front that its root is not trusted.
    expect(certificate).toMatchObject({
      subject: "CN=Alice Signing",
      issuer: "CN=Alice Signing",
      status: "unproven",
      provenBy: null,
    });
    expect((await created.clone().json()) as unknown).toMatchObject({
      trust: { status: "untrusted-root", root: "CN=Alice Signing" },
    });

    const listed = (await (await list()).json()) as { certificates: { id: string }[] };
    expect(listed.certificates).toEqual([certificate]);

    const again = await post({ file: base64(signing.der) });
    expect(again.status).toBe(409);
    expect(((await again.json()) as { error: { code: string } }).error.code).toBe("CERTIFICATE_REGISTRATION_EXISTS");

    expect((await remove(certificate.id)).status).toBe(204);
    expect(await fingerprintsOf(ids.alice)).toEqual([]);
  });

  it("answers a failed check with 400, every issue, and nothing registered", async () => {
    session.userId = ids.alice;
    const weak = await issueCertificate({
      commonName: "Weak",
      key: await generateRsaKey(1024),
      extendedKeyUsages: [],
      signatureHash: "SHA-1",
    });
    const response = await post({ file: base64(weak.der) });
    expect(response.status).toBe(400);
    const body = (await response.json()) as { error: { code: string }; issues: { code: string }[] };
    expect(body.issues.map((issue) => issue.code)).toEqual(["NU3013", "NU3014"]);
    expect(body.error.code).toBe("NU3013");
    const garbage = await post({ file: base64(new TextEncoder().encode("garbage")) });
    expect(((await garbage.json()) as { error: { code: string } }).error.code).toBe("CERTIFICATE_UNREADABLE");
    expect(await fingerprintsOf(ids.alice)).toEqual([]);
  });

  it("rejects malformed requests with 400 rather than an error page", async () => {
    session.userId = ids.alice;
    expect((await collection.POST(malformedJsonRequest(BASE, "POST", "{not json"))).status).toBe(400);
    expect((await post({ file: "***" })).status).toBe(400);
    expect((await post({ fingerprint: "abc" })).status).toBe(400);
    expect((await post({ other: 1 })).status).toBe(400);
  });

  it("registers by fingerprint awaiting proof, and fills the details in and runs the checks when a signed package shows them", async () => {
    session.userId = ids.alice;
    const fingerprint = createHash("sha256").update(signing.der).digest("hex");
    const created = await post({ fingerprint: fingerprint.toUpperCase().match(/../g)?.join(":") });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      certificate: { sha256Fingerprint: fingerprint, subject: null, status: "unproven" },
    });

    const details = {
      subject: "CN=Alice Signing",
      issuer: "CN=Alice Signing",
      serialNumber: "01",
      sha256Fingerprint: fingerprint,
      sha1Fingerprint: "00".repeat(20),
      notBefore: "2026-01-01T00:00:00.000Z",
      notAfter: "2099-01-01T00:00:00.000Z",
    };
    const untrusted = {
      code: "NU3018" as const,
      level: "error" as const,
      message: "Author signature: The signing certificate chain is not trusted.",
    };
    const report = {
      status: "invalid" as const,
      packageHashAlgorithm: "SHA-256",
      integrity: true,
      author: null,
      repository: null,
      issues: [untrusted, { code: "NU3027" as const, level: "warning" as const, message: "no timestamp" }],
    };
    await db.outboxMessage.deleteMany();
    expect(await registry.fillPendingCertificateDetails(db, details, report, "Contoso.Lib 1.0.0")).toBe(true);
    expect(
      await registry.fillPendingCertificateDetails(
        db,
        { ...details, subject: "CN=Someone Else" },
        report,
        "Contoso.Lib 1.0.1",
      ),
    ).toBe(false);
    const [entry] = await registry.listRegisteredCertificates(db, ids.alice);
    expect(entry).toMatchObject({
      subject: "CN=Alice Signing",
      notAfter: details.notAfter,
      status: "unproven",
      firstSeenIssues: [untrusted],
    });
    const [told] = await db.outboxMessage.findMany({ where: { userId: ids.alice } });
    expect(told).toMatchObject({ kind: "certificate.first-seen" });
    expect(told?.body).toContain("signed Contoso.Lib 1.0.0");
    expect(told?.body).toContain("NU3018");
  });

  it("keeps each account's certificates to itself; admins can look at anyone's", async () => {
    const alices = await registry.registerFingerprint(db, ids.alice, "aa".repeat(32));

    session.userId = ids.bob;
    expect((await list("?username=alice")).status).toBe(403);
    expect(await (await list()).json()).toEqual({ certificates: [] });
    const removal = await remove(alices.id);
    expect(removal.status).toBe(404);
    expect(((await removal.json()) as { error: { code: string } }).error.code).toBe("CERTIFICATE_NOT_FOUND");
    // What Bob adds lands on his own account, never on Alice's.
    expect((await post({ fingerprint: "bb".repeat(32) })).status).toBe(201);
    expect(await fingerprintsOf(ids.alice)).toEqual(["aa".repeat(32)]);
    expect(await fingerprintsOf(ids.bob)).toEqual(["bb".repeat(32)]);

    session.userId = ids.admin;
    const viewed = (await (await list("?username=alice")).json()) as { certificates: { id: string }[] };
    expect(viewed.certificates.map((entry) => entry.id)).toEqual([alices.id]);
    expect((await list("?username=nobody")).status).toBe(404);
  });

  it("answers signed-out requests with 401 and changes nothing", async () => {
    const alices = await registry.registerFingerprint(db, ids.alice, "cc".repeat(32));
    for (const response of [await list(), await post({ fingerprint: "dd".repeat(32) }), await remove(alices.id)]) {
      expect(response.status).toBe(401);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("UNAUTHENTICATED");
    }
    expect(await fingerprintsOf(ids.alice)).toEqual(["cc".repeat(32)]);
  });
});
