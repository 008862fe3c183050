// Trusted publishing through the route handlers, against a local OIDC issuer this test starts on
// 127.0.0.1 (its own RSA key, discovery document and JWKS) issuing GitHub-shaped tokens: a policy
// for Contoso.* from contoso/lib's release workflow; the job's token is exchanged for a
// single-use key valid for an hour, which pushes once (provenance on the version page) and never
// again; the token exchanges once; other repository, workflow, environment, audience or an
// expired token are refused; the key expires after an hour (clock injected); and once the policy
// is bound to the repository's IDs, a recreated repository with the same name is refused.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db";
import type { ErrorBody } from "@/lib/http/errors";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { pageRequest } from "@/test/support/api-request";
import { smtpSink } from "@/test/support/smtp-sink";
import { createAccounts, useScratchStorage } from "./push-support";

const session = vi.hoisted(() => ({ userId: undefined as string | undefined }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (await import("@/test/support/session-stand-in")).standInSession(session.userId),
}));

const ORIGIN = "http://gallery.test";
const AUDIENCE = "https://gallery.test";
const WORKFLOW = ".github/workflows/release.yml";

interface LocalIssuer {
  url: string;
  sign(claims: JWTPayload, options?: { audience?: string; expiresIn?: string | number; issuedAt?: number }): Promise<string>;
  close(): void;
}

/** An OIDC issuer on 127.0.0.1: discovery at /.well-known/openid-configuration, keys at /jwks. */
async function startIssuer(): Promise<LocalIssuer> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
  let url = "";
  const server: Server = createServer((request, response) => {
    const body =
      request.url === "/.well-known/openid-configuration" ? { issuer: url, jwks_uri: `${url}/jwks` } : request.url === "/jwks" ? { keys: [jwk] } : null;
    response.writeHead(body ? 200 : 404, { "content-type": "application/json" });
    response.end(JSON.stringify(body ?? {}));
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  let counter = 0;
  return {
    url,
    sign: (claims, options = {}) =>
      new SignJWT({ jti: `token-${++counter}-${Date.now()}`, ...claims })
        .setProtectedHeader({ alg: "RS256", kid: "test-key" })
        .setIssuer(url)
        .setAudience(options.audience ?? AUDIENCE)
        .setIssuedAt(options.issuedAt)
        .setExpirationTime(options.expiresIn ?? "5m")
        .sign(privateKey),
    close: () => server.close(),
  };
}

/** The claims GitHub Actions puts in a job's token (repository, IDs, workflow ref, run). */
function githubClaims(overrides: Partial<Record<string, string>> = {}): JWTPayload {
  const repository = overrides.repository ?? "contoso/lib";
  return {
    sub: `repo:${repository}:environment:release`,
    repository,
    repository_id: "111",
    repository_owner: repository.split("/")[0],
    repository_owner_id: "222",
    job_workflow_ref: `${repository}/${overrides.workflow ?? WORKFLOW}@refs/tags/v1.0.0`,
    workflow_ref: `${repository}/${overrides.workflow ?? WORKFLOW}@refs/tags/v1.0.0`,
    ref: "refs/tags/v1.0.0",
    sha: "0123456789abcdef0123456789abcdef01234567",
    environment: "release",
    run_id: "987654321",
    run_attempt: "1",
    ...overrides,
  };
}

describe.each(testDialects())("trusted publishing on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  useScratchStorage();
  let db: Db;
  let issuer: LocalIssuer;
  let exchangeRoute: typeof import("@/app/api/trusted-publishing/exchange/route");
  let policiesRoute: typeof import("@/app/api/account/trusted-publishing/route");
  let pushRoute: typeof import("@/app/api/v2/package/route");
  let ids: Record<"contoso", string>;
  const mailSink = smtpSink();

  async function exchange(token: string): Promise<Response> {
    return exchangeRoute.POST(new Request(`${ORIGIN}/api/trusted-publishing/exchange`, { method: "POST", body: JSON.stringify({ token }), headers: { "content-type": "application/json" } }));
  }

  async function keyFor(token: string): Promise<string> {
    const response = await exchange(token);
    expect(response.status, await response.clone().text()).toBe(200);
    return ((await response.json()) as { apiKey: string }).apiKey;
  }

  async function refusal(response: Response): Promise<{ status: number; code: string; message: string }> {
    const { error } = (await response.json()) as ErrorBody;
    return { status: response.status, code: error.code, message: error.message };
  }

  function push(key: string, id: string, version: string): Promise<Response> {
    const form = new FormData();
    form.append("package", new Blob([new Uint8Array(buildUnsignedPackage({ id, version }))], { type: "application/octet-stream" }), "package.nupkg");
    return pushRoute.PUT(new Request(`${ORIGIN}/api/v2/package`, { method: "PUT", body: form, headers: { "X-NuGet-ApiKey": key } }));
  }

  beforeAll(async () => {
    issuer = await startIssuer();
    mailSink.server.listen(0, "127.0.0.1");
    await once(mailSink.server, "listening");
    vi.stubEnv("SIGNET_SMTP_URL", `smtp://127.0.0.1:${(mailSink.server.address() as AddressInfo).port}`);
    vi.stubEnv("SIGNET_TRUSTED_PUBLISHING_ISSUERS", issuer.url);
    vi.stubEnv("SIGNET_TRUSTED_PUBLISHING_AUDIENCE", AUDIENCE);
    exchangeRoute = await import("@/app/api/trusted-publishing/exchange/route");
    policiesRoute = await import("@/app/api/account/trusted-publishing/route");
    pushRoute = await import("@/app/api/v2/package/route");
    db = database();
    ids = await createAccounts(db, ["contoso"]);
    session.userId = ids.contoso;
    const created = await policiesRoute.POST(
      pageRequest(`${ORIGIN}/api/account/trusted-publishing`, "POST", { packagePattern: "Contoso.*", issuer: issuer.url, repository: "Contoso/Lib", workflow: WORKFLOW, environment: "release" }),
    );
    expect(created.status, await created.clone().text()).toBe(201);
  });
  afterAll(() => {
    issuer.close();
    mailSink.server.close();
  });

  it("exchanges the job's token for a single-use key that pushes once, records provenance, and tells the owner of the policy's first use", async () => {
    const token = await issuer.sign(githubClaims());
    const key = await keyFor(token);
    // Mail is configured, so the owner is told at once, not on the outbox's next timer round.
    await vi.waitFor(() => expect(mailSink.received.map((mail) => mail.to)).toEqual([["contoso@example.test"]]), { timeout: 10_000 });
    expect(mailSink.received[0]?.data).toContain("Subject: Trusted publishing policy used for the first time: contoso/lib");
    const pushed = await push(key, "Contoso.Lib", "1.0.0");
    expect(pushed.status, await pushed.clone().text()).toBe(201);

    const { loadPackagePage } = await import("@/lib/packages/package-page");
    const page = await loadPackagePage(db, "Contoso.Lib", "1.0.0");
    expect(page?.provenance).toMatchObject({ repository: "contoso/lib", repositoryId: "111", workflow: WORKFLOW, sha: githubClaims().sha, runId: "987654321", environment: "release", issuer: issuer.url });

    const again = await refusal(await push(key, "Contoso.Lib", "1.0.1"));
    expect(again).toMatchObject({ status: 401, code: "API_KEY_REVOKED" });
    expect(again.message).toContain("pushes once");

    const replayed = await refusal(await exchange(token));
    expect(replayed).toMatchObject({ status: 401, code: "OIDC_TOKEN_REPLAYED" });

    const told = await db.outboxMessage.findMany({ where: { userId: ids.contoso, kind: "trusted-publishing.first-use" } });
    expect(told).toHaveLength(1);
    expect(told[0]?.body).toContain("repository ID 111, owner ID 222");
    const [policy] = await db.trustedPublishingPolicy.findMany();
    expect(policy).toMatchObject({ repositoryId: "111", repositoryOwnerId: "222" });
  });

  it("keeps the key to the policy's packages", async () => {
    const key = await keyFor(await issuer.sign(githubClaims()));
    const outside = await refusal(await push(key, "Fabrikam.Lib", "1.0.0"));
    expect(outside.code).toBe("API_KEY_PACKAGE_DENIED");
  });

  it("refuses another repository, workflow or environment, another audience and an expired token, each with its sentence", async () => {
    const cases: [JWTPayload, { audience?: string; expiresIn?: number; issuedAt?: number } | undefined, string, string][] = [
      [githubClaims({ repository: "mallory/lib" }), undefined, "TRUSTED_PUBLISHING_NO_POLICY", "no trusted-publishing policy names the repository 'mallory/lib'"],
      [githubClaims({ workflow: ".github/workflows/ci.yml" }), undefined, "TRUSTED_PUBLISHING_NO_POLICY", "the workflow is '.github/workflows/ci.yml', not '.github/workflows/release.yml'"],
      [githubClaims({ environment: "staging" }), undefined, "TRUSTED_PUBLISHING_NO_POLICY", "the job's environment is 'staging', not 'release'"],
      [githubClaims(), { audience: "https://other.gallery" }, "OIDC_TOKEN_INVALID", "is for the audience 'https://other.gallery'"],
      [githubClaims(), { issuedAt: Math.floor(Date.now() / 1000) - 3600, expiresIn: Math.floor(Date.now() / 1000) - 1800 }, "OIDC_TOKEN_EXPIRED", "has expired"],
    ];
    for (const [claims, options, code, sentence] of cases) {
      const refused = await refusal(await exchange(await issuer.sign(claims, options)));
      expect(refused.code, sentence).toBe(code);
      expect(refused.message).toContain(sentence);
    }
    // A token signed by another key under the same issuer name does not verify.
    const forged = await new SignJWT(githubClaims()).setProtectedHeader({ alg: "RS256", kid: "test-key" }).setIssuer(issuer.url).setAudience(AUDIENCE).setExpirationTime("5m").sign((await generateKeyPair("RS256")).privateKey);
    expect((await refusal(await exchange(forged))).code).toBe("OIDC_TOKEN_INVALID");
  });

  it("refuses a recreated repository of the same name once the policy is bound to the first one's IDs", async () => {
    const refused = await refusal(await exchange(await issuer.sign(githubClaims({ repository_id: "999", repository_owner_id: "222" }))));
    expect(refused.code).toBe("TRUSTED_PUBLISHING_NO_POLICY");
    expect(refused.message).toContain("deleted and recreated under the same name is not the same repository");
  });

  it("lets a key expire an hour after the exchange (clock injected)", async () => {
    const { exchangeToken } = await import("@/lib/trusted-publishing/exchange");
    const { authenticateApiKey } = await import("@/lib/api-keys/registry");
    const now = new Date();
    const key = await exchangeToken(db, await issuer.sign(githubClaims()), { issuers: [issuer.url], audience: AUDIENCE, now });
    expect(key.expiresAt.getTime() - now.getTime()).toBe(60 * 60_000);
    await expect(authenticateApiKey(db, key.secret, new Date(now.getTime() + 60 * 60_000 + 1000))).rejects.toMatchObject({ code: "API_KEY_EXPIRED" });
    // Within the hour it works (once).
    expect((await authenticateApiKey(db, key.secret, new Date(now.getTime() + 59 * 60_000))).user.id).toBe(ids.contoso);
  });
});
