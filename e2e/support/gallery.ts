// Set-up steps several specs share: keys, pushes and certificates through the gallery's own
// APIs (as the signed-in account whose request context is passed), and what only admins do
// (reserving IDs) straight in the e2e database, when the admin console is not under test.
import { readFile } from "node:fs/promises";
import path from "node:path";
import { expect, type APIRequestContext, type APIResponse } from "@playwright/test";
import { createDb, type Db } from "@/lib/db";
import { refreshVerifiedIds } from "@/lib/search/search-index";
import type { ApiKeyScope } from "@/lib/validation/rules/api-key";
import { e2eDatabaseUrl, sameOriginHeaders } from "./environment";
import type { SigningIdentity } from "./pki";

/** A new API key of the signed-in account (valid for a day); returns its secret. */
export async function createPushKey(
  request: APIRequestContext,
  scopes: readonly ApiKeyScope[] = ["push", "push-version"],
): Promise<string> {
  const response = await request.post("/api/account/api-keys", {
    headers: sameOriginHeaders,
    data: { name: "e2e push key", scopes, packageGlob: "*", expiresInDays: 1 },
  });
  expect(response.status(), await response.text()).toBe(201);
  return ((await response.json()) as { secret: string }).secret;
}

/** A push as `dotnet nuget push` sends it: multipart PUT to the PackagePublish URL plus "/", which must not redirect. */
export function pushPackage(
  request: APIRequestContext,
  secret: string,
  bytes: Uint8Array,
  name = "package.nupkg",
): Promise<APIResponse> {
  return request.put("/api/v2/package/", {
    maxRedirects: 0,
    headers: { "X-NuGet-ApiKey": secret },
    multipart: { package: { name, mimeType: "application/octet-stream", buffer: Buffer.from(bytes) } },
  });
}

export async function pushPackageFile(request: APIRequestContext, secret: string, file: string): Promise<APIResponse> {
  return pushPackage(request, secret, await readFile(file), path.basename(file));
}

/** Pushes and expects the gallery to publish the package (201), showing its answer otherwise. */
export async function publishPackageFile(request: APIRequestContext, secret: string, file: string): Promise<void> {
  const response = await pushPackageFile(request, secret, file);
  expect(response.status(), `${file}: ${response.statusText()} ${await response.text()}`).toBe(201);
}

/** Registers the identity's certificate on the signed-in account through the certificates API. */
export async function registerCertificate(
  request: APIRequestContext,
  identity: Pick<SigningIdentity, "certificatePath">,
): Promise<void> {
  const pem = await readFile(identity.certificatePath);
  const response = await request.post("/api/account/certificates", {
    headers: sameOriginHeaders,
    data: { file: pem.toString("base64") },
  });
  expect(response.status(), await response.text()).toBe(201);
}

export async function withGalleryDatabase<T>(work: (db: Db) => Promise<T>): Promise<T> {
  const db = createDb(e2eDatabaseUrl);
  try {
    return await work(db);
  } finally {
    await db.$disconnect();
  }
}

/**
 * Reserves `pattern` (an exact ID, or every ID starting with it) privately for `username`, and
 * sets the matching packages' Verified flag in the search index in the same transaction, as the
 * admin console does.
 */
export async function reserveIds(
  pattern: string,
  username: string,
  { isPrefix }: { isPrefix: boolean },
): Promise<void> {
  await withGalleryDatabase(async (db) => {
    const owner = await db.user.findUniqueOrThrow({ where: { username }, select: { id: true } });
    await db.$transaction(async (tx) => {
      await tx.prefixReservation.create({
        data: {
          pattern,
          patternLower: pattern.toLowerCase(),
          isPrefix,
          isPublic: false,
          owners: { create: [{ userId: owner.id }] },
        },
      });
      await refreshVerifiedIds(tx, [pattern.toLowerCase()]);
    });
  });
}
