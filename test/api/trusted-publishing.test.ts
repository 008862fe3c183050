// Trusted publishing through the route handlers, against local OIDC issuers this test starts on
// 127.0.0.1 (each with its own RSA key, discovery document and JWKS), one issuing GitHub-shaped
// tokens and one GitLab-shaped: a policy for Contoso.* from contoso/lib's release workflow; the
// job's token is exchanged for a single-use key valid for an hour, which pushes once (provenance
// on the version page) and never again; the token exchanges once; other repository, workflow,
// environment, audience or an expired token are refused; the key expires after an hour (clock
// injected); and once the policy is bound to the repository's IDs, a recreated repository with
// the same name is refused. The same for GitLab's project path, CI configuration and project and
// namespace IDs. Policies are only for packages the account owns, and removing one stops its keys.
import { once } from "node:events";
import type { AddressInfo } from "node:net";
import { generateKeyPair, SignJWT, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db";
import type { ErrorBody } from "@/lib/http/errors";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { buildUnsignedPackage } from "@/test/support/nupkg";
import { pageRequest } from "@/test/support/api-request";
import {
  githubClaims,
  gitlabClaims,
  startOidcIssuer,
  WORKFLOW,
  type LocalOidcIssuer,
} from "@/test/support/oidc-issuer";
import { smtpSink } from "@/test/support/smtp-sink";
import { createAccounts, useScratchStorage } from "./push-support";

const session = vi.hoisted(() => ({ userId: undefined as string | undefined }));
vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (await import("@/test/support/session-stand-in")).standInSession(session.userId),
}));

const ORIGIN = "http://gallery.test";
const AUDIENCE = "https://gallery.test";

describe.each(testDialects())("trusted publishing on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  useScratchStorage();
  let db: Db;
  let issuer: LocalOidcIssuer;
  let gitlab: LocalOidcIssuer;
  let exchangeRoute: typeof import("@/app/api/trusted-publishing/exchange/route");
  let policiesRoute: typeof import("@/app/api/account/trusted-publishing/route");
  let pushRoute: typeof import("@/app/api/v2/package/route");
  let ids: Record<"contoso" | "mallory", string>;
  const mailSink = smtpSink();

  async function exchange(token: string): Promise<Response> {
    return exchangeRoute.POST(
      new Request(`${ORIGIN}/api/trusted-publishing/exchange`, {
        method: "POST",
        body: JSON.stringify({ token }),
        headers: { "content-type": "application/json" },
      }),
    );
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
    form.append(
      "package",
      new Blob([new Uint8Array(buildUnsignedPackage({ id, version }))], { type: "application/octet-stream" }),
      "package.nupkg",
    );
    return pushRoute.PUT(
      new Request(`${ORIGIN}/api/v2/package`, { method: "PUT", body: form, headers: { "X-NuGet-ApiKey": key } }),
    );
  }

  beforeAll(async () => {
    issuer = await startOidcIssuer({ defaultAudience: AUDIENCE });
    gitlab = await startOidcIssuer({ defaultAudience: AUDIENCE });
    vi.stubEnv("SIGNET_TRUSTED_PUBLISHING_GITLAB_ISSUERS", gitlab.url);
    mailSink.server.listen(0, "127.0.0.1");
    await once(mailSink.server, "listening");
    vi.stubEnv("SIGNET_SMTP_URL", `smtp://127.0.0.1:${(mailSink.server.address() as AddressInfo).port}`);
    vi.stubEnv("SIGNET_TRUSTED_PUBLISHING_ISSUERS", issuer.url);
    vi.stubEnv("SIGNET_TRUSTED_PUBLISHING_AUDIENCE", AUDIENCE);
    exchangeRoute = await import("@/app/api/trusted-publishing/exchange/route");
    policiesRoute = await import("@/app/api/account/trusted-publishing/route");
    pushRoute = await import("@/app/api/v2/package/route");
    db = database();
    ids = await createAccounts(db, ["contoso", "mallory"]);
    await db.prefixReservation.create({
      data: {
        pattern: "Contoso.",
        patternLower: "contoso.",
        isPrefix: true,
        owners: { create: { userId: ids.contoso } },
      },
    });
    session.userId = ids.contoso;
    const created = await policiesRoute.POST(
      pageRequest(`${ORIGIN}/api/account/trusted-publishing`, "POST", {
        packagePattern: "Contoso.*",
        issuer: issuer.url,
        repository: "Contoso/Lib",
        workflow: WORKFLOW,
        environment: "release",
      }),
    );
    expect(created.status, await created.clone().text()).toBe(201);
  });
  afterAll(() => {
    issuer.close();
    gitlab.close();
    mailSink.server.close();
  });

  it("exchanges the job's token for a single-use key that pushes once, records provenance, and tells the owner of the policy's first use", async () => {
    const token = await issuer.sign(githubClaims());
    const key = await keyFor(token);
    // Mail is configured, so the owner is told at once, not on the outbox's next timer round.
    await vi.waitFor(() => expect(mailSink.received.map((mail) => mail.to)).toEqual([["contoso@example.test"]]), {
      timeout: 10_000,
    });
    expect(mailSink.received[0]?.data).toContain(
      "Subject: Trusted publishing policy used for the first time: contoso/lib",
    );
    const pushed = await push(key, "Contoso.Lib", "1.0.0");
    expect(pushed.status, await pushed.clone().text()).toBe(201);

    const { loadPackagePage } = await import("@/lib/packages/package-page");
    const page = await loadPackagePage(db, "Contoso.Lib", "1.0.0");
    expect(page?.provenance).toMatchObject({
      repository: "contoso/lib",
      repositoryId: "111",
      workflow: WORKFLOW,
      sha: githubClaims().sha,
      runId: "987654321",
      environment: "release",
      issuer: issuer.url,
    });

    const again = await refusal(await push(key, "Contoso.Lib", "1.0.1"));
    expect(again).toMatchObject({ status: 401, code: "API_KEY_REVOKED" });
    expect(again.message).toContain("pushes once");

    const replayed = await refusal(await exchange(token));
    expect(replayed).toMatchObject({ status: 401, code: "OIDC_TOKEN_REPLAYED" });

    const told = await db.outboxMessage.findMany({
      where: { userId: ids.contoso, kind: "trusted-publishing.first-use" },
    });
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
    const cases: [
      JWTPayload,
      { audience?: string; expiresIn?: number; issuedAt?: number } | undefined,
      string,
      string,
    ][] = [
      [
        githubClaims({ repository: "mallory/lib" }),
        undefined,
        "TRUSTED_PUBLISHING_NO_POLICY",
        "no trusted-publishing policy names the repository 'mallory/lib'",
      ],
      [
        githubClaims({ workflow: ".github/workflows/ci.yml" }),
        undefined,
        "TRUSTED_PUBLISHING_NO_POLICY",
        "the workflow is '.github/workflows/ci.yml', not '.github/workflows/release.yml'",
      ],
      [
        githubClaims({ environment: "staging" }),
        undefined,
        "TRUSTED_PUBLISHING_NO_POLICY",
        "the job's environment is 'staging', not 'release'",
      ],
      [
        githubClaims(),
        { audience: "https://other.gallery" },
        "OIDC_TOKEN_INVALID",
        "is for the audience 'https://other.gallery'",
      ],
      [
        githubClaims(),
        { issuedAt: Math.floor(Date.now() / 1000) - 3600, expiresIn: Math.floor(Date.now() / 1000) - 1800 },
        "OIDC_TOKEN_EXPIRED",
        "has expired",
      ],
    ];
    for (const [claims, options, code, sentence] of cases) {
      const refused = await refusal(await exchange(await issuer.sign(claims, options)));
      expect(refused.code, sentence).toBe(code);
      expect(refused.message).toContain(sentence);
    }
    // A token signed by another key under the same issuer name does not verify.
    const forged = await new SignJWT(githubClaims())
      .setProtectedHeader({ alg: "RS256", kid: "test-key" })
      .setIssuer(issuer.url)
      .setAudience(AUDIENCE)
      .setExpirationTime("5m")
      .sign((await generateKeyPair("RS256")).privateKey);
    expect((await refusal(await exchange(forged))).code).toBe("OIDC_TOKEN_INVALID");
  });

  it("refuses a recreated repository of the same name once the policy is bound to the first one's IDs", async () => {
    const refused = await refusal(
      await exchange(await issuer.sign(githubClaims({ repository_id: "999", repository_owner_id: "222" }))),
    );
    expect(refused.code).toBe("TRUSTED_PUBLISHING_NO_POLICY");
    expect(refused.message).toContain("deleted and recreated under the same name is not the same repository");
  });

  it("lets a key expire an hour after the exchange (clock injected)", async () => {
    const { exchangeToken } = await import("@/lib/trusted-publishing/exchange");
    const { authenticateApiKey } = await import("@/lib/api-keys/registry");
    const now = new Date();
    const key = await exchangeToken(db, await issuer.sign(githubClaims()), {
      issuers: [{ url: issuer.url, platform: "github" }],
      audience: AUDIENCE,
      now,
    });
    expect(key.expiresAt.getTime() - now.getTime()).toBe(60 * 60_000);
    await expect(
      authenticateApiKey(db, key.secret, new Date(now.getTime() + 60 * 60_000 + 1000)),
    ).rejects.toMatchObject({ code: "API_KEY_EXPIRED" });
    // Within the hour it works (once).
    expect((await authenticateApiKey(db, key.secret, new Date(now.getTime() + 59 * 60_000))).user.id).toBe(ids.contoso);
  });

  async function addPolicy(userId: string, body: Record<string, string>): Promise<Response> {
    session.userId = userId;
    try {
      return await policiesRoute.POST(pageRequest(`${ORIGIN}/api/account/trusted-publishing`, "POST", body));
    } finally {
      session.userId = ids.contoso;
    }
  }

  it("adds policies only for packages the account may publish, refusing with sentences", async () => {
    const registration = await db.packageRegistration.create({
      data: { packageId: "Mallory.Tool", packageIdLower: "mallory.tool", owners: { create: { userId: ids.mallory } } },
    });
    const base = { issuer: issuer.url, repository: "contoso/other", workflow: WORKFLOW };
    const cases: [Record<string, string>, string, string][] = [
      [
        { ...base, packagePattern: "Mallory.Tool" },
        "TRUSTED_PUBLISHING_NOT_OWNER",
        "You are not an owner of Mallory.Tool",
      ],
      [
        { ...base, packagePattern: "Fabrikam.*" },
        "TRUSTED_PUBLISHING_NOT_OWNER",
        "needs a prefix reservation of yours that covers it",
      ],
      [
        { ...base, packagePattern: "Contoso.Other", workflow: "release.yml" },
        "INVALID_FIELD",
        "such as .github/workflows/release.yml, not 'release.yml'",
      ],
      [
        { ...base, packagePattern: "Contoso.Other", repository: "contoso" },
        "INVALID_FIELD",
        "The repository is GitHub's 'owner/name'",
      ],
      [
        { ...base, packagePattern: "Contoso.Other", issuer: "https://issuer.example" },
        "INVALID_FIELD",
        "'https://issuer.example' is not one of them",
      ],
      [
        {
          ...base,
          packagePattern: "Contoso.Other",
          issuer: gitlab.url,
          repository: "contoso/../lib",
          workflow: ".gitlab-ci.yml",
        },
        "INVALID_FIELD",
        "GitLab's project path",
      ],
      [
        {
          ...base,
          packagePattern: "Contoso.Other",
          issuer: gitlab.url,
          repository: "contoso/lib",
          workflow: "ci/run.sh",
        },
        "INVALID_FIELD",
        "such as .gitlab-ci.yml, not 'ci/run.sh'",
      ],
    ];
    for (const [body, code, sentence] of cases) {
      const refused = await refusal(await addPolicy(ids.contoso, body));
      expect(refused.code, sentence).toBe(code);
      expect(refused.message).toContain(sentence);
    }
    // An ID nobody has published yet, outside others' reservations, and the owner's own package are fine.
    expect((await addPolicy(ids.contoso, { ...base, packagePattern: "Contoso.Other" })).status).toBe(201);
    expect((await addPolicy(ids.mallory, { ...base, packagePattern: "Mallory.Tool" })).status).toBe(201);
    expect(
      (await refusal(await addPolicy(ids.mallory, { ...base, packagePattern: "Contoso.Unpublished" }))).message,
    ).toContain("lies inside the reservation Contoso.*, which belongs to other accounts");
    await db.trustedPublishingPolicy.deleteMany({ where: { repository: "contoso/other" } });
    await db.packageRegistration.delete({ where: { id: registration.id } });
  });

  it("exchanges a GitLab job's token, binds the policy to the project and namespace IDs, and refuses other projects, configurations, audiences, expired tokens and a recreated project", async () => {
    const created = await addPolicy(ids.contoso, {
      packagePattern: "Contoso.GitLab",
      issuer: gitlab.url,
      repository: "Contoso/Libraries/Lib",
      workflow: ".gitlab-ci.yml",
      environment: "production",
    });
    expect(created.status, await created.clone().text()).toBe(201);
    const { policy } = (await created.json()) as { policy: { id: string; platform: string } };
    expect(policy.platform).toBe("gitlab");

    const refusals: [
      JWTPayload,
      { audience?: string; expiresIn?: number; issuedAt?: number } | undefined,
      string,
      string,
    ][] = [
      [
        gitlabClaims(gitlab.url, { project_path: "mallory/libraries/lib" }),
        undefined,
        "TRUSTED_PUBLISHING_NO_POLICY",
        "no trusted-publishing policy names the project 'mallory/libraries/lib'",
      ],
      [
        gitlabClaims(gitlab.url, { config: "ci/other.yml" }),
        undefined,
        "TRUSTED_PUBLISHING_NO_POLICY",
        "the CI configuration is 'ci/other.yml', not '.gitlab-ci.yml'",
      ],
      // A configuration included from another project is not this project's file.
      [
        gitlabClaims(gitlab.url, {
          ci_config_ref_uri: `${new URL(gitlab.url).host}/mallory/ci//.gitlab-ci.yml@refs/heads/main`,
        }),
        undefined,
        "TRUSTED_PUBLISHING_NO_POLICY",
        "the CI configuration is '127.0.0.1",
      ],
      [
        gitlabClaims(gitlab.url, { environment: "staging" }),
        undefined,
        "TRUSTED_PUBLISHING_NO_POLICY",
        "the job's environment is 'staging', not 'production'",
      ],
      [
        gitlabClaims(gitlab.url, { namespace_path: "mallory" }),
        undefined,
        "OIDC_TOKEN_INVALID",
        "lacks the claims trusted publishing matches (project_path, project_id",
      ],
      [
        gitlabClaims(gitlab.url),
        { audience: "https://other.gallery" },
        "OIDC_TOKEN_INVALID",
        "is for the audience 'https://other.gallery'",
      ],
      [
        gitlabClaims(gitlab.url),
        { issuedAt: Math.floor(Date.now() / 1000) - 3600, expiresIn: Math.floor(Date.now() / 1000) - 1800 },
        "OIDC_TOKEN_EXPIRED",
        "has expired",
      ],
    ];
    for (const [claims, options, code, sentence] of refusals) {
      const refused = await refusal(await exchange(await gitlab.sign(claims, options)));
      expect(refused.code, sentence).toBe(code);
      expect(refused.message).toContain(sentence);
    }
    // A GitHub-shaped token from the GitLab issuer lacks GitLab's claims.
    expect((await refusal(await exchange(await gitlab.sign(githubClaims())))).code).toBe("OIDC_TOKEN_INVALID");
    expect(
      await db.trustedPublishingPolicy.findUnique({ where: { id: policy.id }, select: { repositoryId: true } }),
    ).toEqual({ repositoryId: null });

    const key = await keyFor(await gitlab.sign(gitlabClaims(gitlab.url)));
    const pushed = await push(key, "Contoso.GitLab", "1.0.0");
    expect(pushed.status, await pushed.clone().text()).toBe(201);
    const { loadPackagePage } = await import("@/lib/packages/package-page");
    const page = await loadPackagePage(db, "Contoso.GitLab", "1.0.0");
    expect(page?.provenance).toMatchObject({
      platform: "gitlab",
      repository: "contoso/libraries/lib",
      repositoryId: "4242",
      workflow: ".gitlab-ci.yml",
      runId: "5550001",
      jobId: "880011",
      environment: "production",
    });
    const bound = await db.trustedPublishingPolicy.findUnique({ where: { id: policy.id } });
    expect(bound).toMatchObject({ repositoryId: "4242", repositoryOwnerId: "77" });
    expect(bound?.lastUsedAt).not.toBeNull();

    const recreated = await refusal(
      await exchange(await gitlab.sign(gitlabClaims(gitlab.url, { project_id: "9999" }))),
    );
    expect(recreated.code).toBe("TRUSTED_PUBLISHING_NO_POLICY");
    expect(recreated.message).toContain(
      "the project 'contoso/libraries/lib' has the IDs 9999/77, but the policy was first used by 4242/77",
    );
    const movedNamespace = await refusal(
      await exchange(await gitlab.sign(gitlabClaims(gitlab.url, { namespace_id: "78" }))),
    );
    expect(movedNamespace.message).toContain("deleted and recreated under the same name is not the same project");
  });

  it("lists each policy's binding and last use, and removing a policy stops the unused keys exchanged under it", async () => {
    const listed = (await (
      await policiesRoute.GET(pageRequest(`${ORIGIN}/api/account/trusted-publishing`))
    ).json()) as {
      policies: {
        id: string;
        packagePattern: string;
        repositoryId: string | null;
        repositoryOwnerId: string | null;
        lastUsedAt: string | null;
        platform: string;
      }[];
    };
    const github = listed.policies.find((policy) => policy.packagePattern === "Contoso.*");
    expect(github).toMatchObject({ platform: "github", repositoryId: "111", repositoryOwnerId: "222" });
    expect(github?.lastUsedAt).not.toBeNull();

    const unused = await keyFor(await issuer.sign(githubClaims()));
    const { DELETE } = await import("@/app/api/account/trusted-publishing/[id]/route");
    const removeRequest = (id: string) =>
      DELETE(pageRequest(`${ORIGIN}/api/account/trusted-publishing/${id}`, "DELETE"), {
        params: Promise.resolve({ id }),
      });
    session.userId = ids.mallory;
    expect((await refusal(await removeRequest(github?.id ?? ""))).code).toBe("TRUSTED_PUBLISHING_POLICY_NOT_FOUND");
    session.userId = ids.contoso;
    expect((await removeRequest(github?.id ?? "")).status).toBe(204);
    expect((await refusal(await push(unused, "Contoso.Lib", "3.0.0"))).status).toBe(401);
    expect((await refusal(await exchange(await issuer.sign(githubClaims())))).code).toBe(
      "TRUSTED_PUBLISHING_NO_POLICY",
    );
  });
});
