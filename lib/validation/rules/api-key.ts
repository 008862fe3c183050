// What an API key may do, with nuget.org's scoped-key semantics (reference §6.3):
// - "push" pushes new IDs and new versions, "push-version" only new versions of existing IDs,
//   "unlist" unlists and relists;
// - the key's package glob has "*" as its only wildcard, matches the whole ID and ignores case,
//   so "Contoso.*" also covers IDs created after the key;
// - expired and revoked keys do nothing.
// Deliberate difference: nuget.org answers every refusal with one sentence ("The specified API key
// is invalid, has expired, or does not have permission to access the specified package."); the
// holder of a key may know why it was refused, so we say which condition failed.

import { error, type Issue } from "@/lib/issues";

export type ApiKeyScope = "push" | "push-version" | "unlist";
export type ApiKeyAction = "push-new" | "push-version" | "unlist";

export interface ApiKeyGrant {
  scopes: readonly ApiKeyScope[];
  packageGlob: string;
  expiresAt: Date;
  revokedAt?: Date | null;
}

export interface ApiKeyRequest {
  action: ApiKeyAction;
  packageId: string;
  now: Date;
}

const SCOPES_FOR_ACTION: Readonly<Record<ApiKeyAction, readonly ApiKeyScope[]>> = {
  "push-new": ["push"],
  "push-version": ["push", "push-version"],
  unlist: ["unlist"],
};

const ACTION_DESCRIPTIONS: Readonly<Record<ApiKeyAction, string>> = {
  "push-new": "push new packages",
  "push-version": "push new versions of existing packages",
  unlist: "unlist or relist packages",
};

/** "Contoso.*" → /^Contoso\..*$/i: everything but "*" is literal. */
export function packageGlobToRegExp(glob: string): RegExp {
  const pattern = glob
    .split("*")
    .map((literal) => literal.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(`^${pattern}$`, "i");
}

function isoDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** The reason the key may not do this, as one issue; empty when the key allows the request. */
export function apiKeyAllows(key: ApiKeyGrant, request: ApiKeyRequest): Issue[] {
  if (key.revokedAt != null) {
    return [error("API_KEY_REVOKED", `This API key was revoked on ${isoDate(key.revokedAt)}; create a new key.`)];
  }
  if (key.expiresAt.getTime() <= request.now.getTime()) {
    return [error("API_KEY_EXPIRED", `This API key expired on ${isoDate(key.expiresAt)}; create a new key.`)];
  }
  if (!SCOPES_FOR_ACTION[request.action].some((scope) => key.scopes.includes(scope))) {
    const granted = key.scopes.length === 0 ? "none" : key.scopes.join(", ");
    return [
      error(
        "API_KEY_SCOPE_DENIED",
        `This API key may not ${ACTION_DESCRIPTIONS[request.action]} (its scopes: ${granted}).`,
      ),
    ];
  }
  if (!packageGlobToRegExp(key.packageGlob).test(request.packageId)) {
    return [
      error(
        "API_KEY_PACKAGE_DENIED",
        `This API key only works for package IDs matching '${key.packageGlob}', and '${request.packageId}' does not match.`,
      ),
    ];
  }
  return [];
}
