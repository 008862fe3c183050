// The API key API and key authentication on a real migrated database, through the route
// handlers themselves: the secret is returned once and stored hashed, keys are listed without
// secrets, revocation is per account, and authentication refuses unknown, revoked and expired
// keys and keys of locked accounts, each with its own code (the push API's statuses for them are
// tested in push.test.ts). next-auth's session lookup is stood in for.
import { createHash } from "node:crypto";
import { beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { malformedJsonRequest, pageRequest } from "@/test/support/api-request";

const session = vi.hoisted(() => ({ userId: undefined as string | undefined }));

vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (await import("@/test/support/session-stand-in")).standInSession(session.userId),
}));

const BASE = "http://gallery.test/api/account/api-keys";
const DAY = 86_400_000;

type CollectionRoute = typeof import("@/app/api/account/api-keys/route");
type ItemRoute = typeof import("@/app/api/account/api-keys/[id]/route");
type Registry = typeof import("@/lib/api-keys/registry");
type ApiKeySummary = import("@/lib/api-keys/registry").ApiKeySummary;

interface Created {
  apiKey: ApiKeySummary;
  secret: string;
}

describe.each(testDialects())("API key API on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  let db: Db;
  let collection: CollectionRoute;
  let item: ItemRoute;
  let registry: Registry;
  const ids = { alice: "", bob: "" };

  function post(body: unknown): Promise<Response> {
    return collection.POST(pageRequest(BASE, "POST", body));
  }

  async function create(overrides: Record<string, unknown> = {}): Promise<Created> {
    const response = await post({ name: "CI", scopes: ["push"], packageGlob: "*", expiresInDays: 30, ...overrides });
    expect(response.status).toBe(201);
    return (await response.json()) as Created;
  }

  async function list(): Promise<ApiKeySummary[]> {
    return ((await (await collection.GET(pageRequest(BASE))).json()) as { apiKeys: ApiKeySummary[] }).apiKeys;
  }

  function revoke(id: string): Promise<Response> {
    return item.DELETE(pageRequest(`${BASE}/${id}`, "DELETE"), { params: Promise.resolve({ id }) });
  }

  // The modules under test are loaded after a module reset, so their IssueError is not this
  // file's class: the refusal is recognised by its name and code.
  async function refusal(secret: string | null, now?: Date): Promise<{ code: string; message: string }> {
    try {
      await registry.authenticateApiKey(db, secret, now);
    } catch (caught) {
      if (caught instanceof Error && caught.name === "IssueError")
        return { code: (caught as Error & { code: string }).code, message: caught.message };
      throw caught;
    }
    throw new Error("the key was accepted");
  }

  beforeAll(async () => {
    collection = await import("@/app/api/account/api-keys/route");
    item = await import("@/app/api/account/api-keys/[id]/route");
    registry = await import("@/lib/api-keys/registry");
    db = database();
    ids.alice = (await db.user.create({ data: { email: "alice@example.test", username: "alice" } })).id;
    ids.bob = (await db.user.create({ data: { email: "bob@example.test", username: "bob" } })).id;
  });

  beforeEach(async () => {
    session.userId = ids.alice;
    await db.apiKey.deleteMany();
    await db.user.updateMany({ data: { lockedAt: null } });
  });

  it("creates a key, returns its secret once, and stores only the SHA-256 and a short prefix", async () => {
    const before = Date.now();
    const { apiKey, secret } = await create({
      name: "Release pipeline",
      scopes: ["unlist", "push-version"],
      packageGlob: "Contoso.*",
      expiresInDays: 90,
    });
    expect(apiKey).toMatchObject({
      name: "Release pipeline",
      scopes: ["push-version", "unlist"],
      packageGlob: "Contoso.*",
      state: "active",
      lastUsedAt: null,
      revokedAt: null,
    });
    expect(Date.parse(apiKey.expiresAt) - before).toBeGreaterThanOrEqual(90 * DAY);
    expect(Date.parse(apiKey.expiresAt) - before).toBeLessThan(90 * DAY + 60_000);
    expect(secret.startsWith(apiKey.keyPrefix)).toBe(true);

    const row = await db.apiKey.findUniqueOrThrow({ where: { id: apiKey.id } });
    expect(row.keyHash).toBe(createHash("sha256").update(secret).digest("hex"));
    expect(JSON.stringify(row)).not.toContain(secret.slice(apiKey.keyPrefix.length));

    const listed = await list();
    expect(listed).toEqual([apiKey]);
    expect(JSON.stringify(listed)).not.toContain(secret);
  });

  it("refuses malformed creations with 400 and the field's sentence, and asks signed-out callers to sign in", async () => {
    const refused = await post({ name: "CI", scopes: [], packageGlob: "*", expiresInDays: 30 });
    expect(refused.status).toBe(400);
    expect(((await refused.json()) as { issues: { message: string }[] }).issues.map((issue) => issue.message)).toEqual([
      "scopes: Choose at least one scope: a key without scopes could do nothing.",
    ]);
    expect((await collection.POST(malformedJsonRequest(BASE, "POST", "{not json"))).status).toBe(400);
    expect(await db.apiKey.count()).toBe(0);

    session.userId = undefined;
    expect((await post({ name: "CI", scopes: ["push"], packageGlob: "*", expiresInDays: 30 })).status).toBe(401);
    expect((await collection.GET(pageRequest(BASE))).status).toBe(401);
  });

  it("authenticates a key as its owner with its grant, and records when it was used", async () => {
    const { apiKey, secret } = await create({ scopes: ["push", "unlist"], packageGlob: "Contoso.*" });
    const now = new Date(Date.now() + 1000);
    const authenticated = await registry.authenticateApiKey(db, secret, now);
    expect(authenticated.user).toEqual({ id: ids.alice, username: "alice" });
    expect(authenticated.grant).toMatchObject({
      id: apiKey.id,
      scopes: ["push", "unlist"],
      packageGlob: "Contoso.*",
      revokedAt: null,
    });
    expect((await list())[0]?.lastUsedAt).toBe(now.toISOString());
  });

  it("refuses missing, malformed and unknown keys", async () => {
    const { secret } = await create();
    expect(await refusal(null)).toMatchObject({ code: "API_KEY_MISSING" });
    expect(await refusal("not-a-key")).toMatchObject({ code: "API_KEY_INVALID" });
    const unknown = `${secret.slice(0, -1)}${secret.endsWith("A") ? "B" : "A"}`;
    expect(await refusal(unknown)).toMatchObject({ code: "API_KEY_INVALID" });
  });

  it("refuses an expired key, naming when it expired", async () => {
    const { apiKey, secret } = await create({ expiresInDays: 1 });
    const afterExpiry = new Date(Date.parse(apiKey.expiresAt) + 1000);
    expect(await refusal(secret, afterExpiry)).toMatchObject({
      code: "API_KEY_EXPIRED",
      message: expect.stringContaining(apiKey.expiresAt.slice(0, 19)),
    });
    expect((await registry.listApiKeys(db, ids.alice, afterExpiry))[0]?.state).toBe("expired");
  });

  it("revokes a key at once, keeps the first revocation time, and lists it as revoked", async () => {
    const { apiKey, secret } = await create();
    const response = await revoke(apiKey.id);
    expect(response.status).toBe(200);
    const revoked = ((await response.json()) as { apiKey: ApiKeySummary }).apiKey;
    expect(revoked).toMatchObject({ id: apiKey.id, state: "revoked" });
    expect(await refusal(secret)).toMatchObject({ code: "API_KEY_REVOKED" });

    const again = ((await (await revoke(apiKey.id)).json()) as { apiKey: ApiKeySummary }).apiKey;
    expect(again.revokedAt).toBe(revoked.revokedAt);
    expect((await list())[0]?.state).toBe("revoked");
  });

  it("keeps accounts apart: another account can neither see nor revoke the key", async () => {
    const { apiKey, secret } = await create();
    session.userId = ids.bob;
    expect(await list()).toEqual([]);
    const response = await revoke(apiKey.id);
    expect(response.status).toBe(404);
    expect(((await response.json()) as { error: { code: string } }).error.code).toBe("API_KEY_NOT_FOUND");
    expect((await registry.authenticateApiKey(db, secret)).user.id).toBe(ids.alice);
  });

  it("refuses the keys of a locked account", async () => {
    const { secret } = await create();
    await db.user.update({ where: { id: ids.alice }, data: { lockedAt: new Date(), lockedReason: "test" } });
    expect(await refusal(secret)).toMatchObject({
      code: "ACCOUNT_LOCKED",
      message: "The account 'alice' is locked, so its API keys cannot be used.",
    });
  });
});
