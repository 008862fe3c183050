// A local OIDC issuer on 127.0.0.1 standing in for GitHub Actions' or GitLab's: its own RSA key,
// a discovery document at /.well-known/openid-configuration and its keys at /jwks. Tests sign
// tokens with sign(); a browser test's job step asks for one as a CI job does, with
// POST /token { "claims": {...}, "audience": "...", "expiresIn": "5m" }.
import { once } from "node:events";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWTPayload } from "jose";

export interface TokenOptions {
  audience?: string;
  /** A jose duration ("5m") or seconds since the epoch. */
  expiresIn?: string | number;
  issuedAt?: number;
}

export interface LocalOidcIssuer {
  url: string;
  sign(claims: JWTPayload, options?: TokenOptions): Promise<string>;
  close(): void;
}

/** Token requests are small JSON; anything larger is refused. */
const MAX_TOKEN_REQUEST_BYTES = 16 * 1024;

export async function startOidcIssuer({
  port = 0,
  defaultAudience,
}: {
  port?: number;
  defaultAudience: string;
}): Promise<LocalOidcIssuer> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwk = { ...(await exportJWK(publicKey)), kid: "test-key", alg: "RS256", use: "sig" };
  let url = "";
  let counter = 0;
  const sign = (claims: JWTPayload, options: TokenOptions = {}) =>
    new SignJWT({ jti: `token-${++counter}-${Date.now()}`, ...claims })
      .setProtectedHeader({ alg: "RS256", kid: "test-key" })
      .setIssuer(url)
      .setAudience(options.audience ?? defaultAudience)
      .setIssuedAt(options.issuedAt)
      .setExpirationTime(options.expiresIn ?? "5m")
      .sign(privateKey);

  const server: Server = createServer((request, response) => {
    const answer = (status: number, body: unknown) => {
      response.writeHead(status, { "content-type": "application/json" });
      response.end(JSON.stringify(body));
    };
    if (request.method === "POST" && request.url === "/token") {
      const chunks: Buffer[] = [];
      let size = 0;
      request.on("data", (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_TOKEN_REQUEST_BYTES) request.destroy();
        else chunks.push(chunk);
      });
      request.on("end", () => {
        try {
          const { claims, ...options } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as {
            claims: JWTPayload;
          } & TokenOptions;
          sign(claims, options).then(
            (value) => answer(200, { value }),
            (failure: unknown) => answer(400, { error: String(failure) }),
          );
        } catch (failure) {
          answer(400, { error: String(failure) });
        }
      });
      return;
    }
    if (request.url === "/.well-known/openid-configuration") answer(200, { issuer: url, jwks_uri: `${url}/jwks` });
    else if (request.url === "/jwks") answer(200, { keys: [jwk] });
    else answer(404, {});
  });
  server.listen(port, "127.0.0.1");
  await once(server, "listening");
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, sign, close: () => server.close() };
}

/** The workflow file the GitHub-shaped claims name by default. */
export const WORKFLOW = ".github/workflows/release.yml";

/** The claims GitLab puts in a job's ID token (project and namespace paths and IDs, CI configuration, pipeline). */
export function gitlabClaims(issuerUrl: string, overrides: Partial<Record<string, string>> = {}): JWTPayload {
  const project = overrides.project_path ?? "contoso/libraries/lib";
  return {
    sub: `project_path:${project}:ref_type:tag:ref:v1.0.0`,
    project_path: project,
    project_id: "4242",
    namespace_path: project.slice(0, project.lastIndexOf("/")),
    namespace_id: "77",
    ci_config_ref_uri: `${new URL(issuerUrl).host}/${project}//${overrides.config ?? ".gitlab-ci.yml"}@refs/tags/v1.0.0`,
    ref: "v1.0.0",
    ref_type: "tag",
    sha: "fedcba9876543210fedcba9876543210fedcba98",
    environment: "production",
    pipeline_id: "5550001",
    job_id: "880011",
    ...overrides,
  };
}

/** The claims GitHub Actions puts in a job's token (repository, IDs, workflow ref, run). */
export function githubClaims(overrides: Partial<Record<string, string>> = {}): JWTPayload {
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
