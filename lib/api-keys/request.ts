// What a person may ask for when creating an API key. Shared by the JSON API and the page's form,
// so both refuse the same things with the same sentences.
import { z } from "zod";
import type { ApiKeyScope } from "@/lib/validation/rules/api-key";

export const API_KEY_SCOPES = ["push", "push-version", "unlist"] as const satisfies readonly ApiKeyScope[];

export const SCOPE_LABELS: Readonly<Record<ApiKeyScope, string>> = {
  push: "Push new packages and new versions",
  "push-version": "Push new versions of existing packages only",
  unlist: "Unlist and relist versions",
};

// nuget.org's longest key lifetime; longer-lived secrets only widen the window
// in which a leaked one works.
export const MAX_EXPIRY_DAYS = 365;
export const EXPIRY_DAY_CHOICES = [1, 30, 90, 180, 365] as const;
export const MAX_KEY_NAME_LENGTH = 100;
// A package ID is at most 100 characters; a glob may add a few "*".
export const MAX_PACKAGE_GLOB_LENGTH = 128;

// Package ID characters (Unicode letters, digits, "_", ".", "-") plus the "*" wildcard.
const PACKAGE_GLOB = /^[\p{L}\p{Mn}\p{Nd}\p{Pc}.*-]+$/u;

export const ApiKeyCreation = z.strictObject({
  name: z
    .string()
    .trim()
    .min(1, "Give the key a name, so you can tell it apart later.")
    .max(MAX_KEY_NAME_LENGTH, `A key name has at most ${MAX_KEY_NAME_LENGTH} characters.`),
  scopes: z
    .array(z.enum(API_KEY_SCOPES, `A scope is one of: ${API_KEY_SCOPES.join(", ")}.`))
    .min(1, "Choose at least one scope: a key without scopes could do nothing.")
    .transform((scopes) => API_KEY_SCOPES.filter((scope) => scopes.includes(scope))),
  packageGlob: z
    .string()
    .trim()
    .min(1, { error: "Give a package ID pattern; '*' covers every package.", abort: true })
    .max(MAX_PACKAGE_GLOB_LENGTH, `A package ID pattern has at most ${MAX_PACKAGE_GLOB_LENGTH} characters.`)
    .regex(
      PACKAGE_GLOB,
      "A package ID pattern holds package ID characters (letters, digits, '.', '-', '_') and '*' as the only wildcard.",
    ),
  expiresInDays: z
    .number("Give the key's lifetime in days.")
    .int("The key's lifetime is a whole number of days.")
    .min(1, "A key lives at least one day.")
    .max(MAX_EXPIRY_DAYS, `A key lives at most ${MAX_EXPIRY_DAYS} days.`),
});

export type ApiKeyCreationRequest = z.output<typeof ApiKeyCreation>;
