// Where trusted roots come from. NuGet on Linux trusts only certificate bundles, never the
// OS TLS store (NuGet.Client's X509TrustStore on Linux): code signing from the Fedora-style objsign bundle if present,
// else the .NET SDK's trustedroots/codesignctl.pem; timestamping from timestampctl.pem. The
// gallery follows the same order unless SIGNET_CODE_SIGNING_ROOTS / SIGNET_TIMESTAMPING_ROOTS
// name PEM files. The signature engine itself only receives DER bytes.

import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { TrustStore } from "@/lib/signing";
import { pemCertificateBlocks } from "@/lib/signing/certificates";

export const SYSTEM_CODE_SIGNING_BUNDLE = "/etc/pki/ca-trust/extracted/pem/objsign-ca-bundle.pem";
const DOTNET_ROOTS = [process.env.DOTNET_ROOT, "/usr/share/dotnet", "/usr/lib/dotnet"].filter((root): root is string =>
  Boolean(root),
);

/** The environment variables read: SIGNET_CODE_SIGNING_ROOTS and SIGNET_TIMESTAMPING_ROOTS. */
export type TrustEnvironment = Readonly<Record<string, string | undefined>>;

export interface LoadedTrustStore {
  store: TrustStore;
  /** The bundle files each list came from (empty when none was found). */
  sources: { codeSigning: string[]; timestamping: string[] };
  /** Sentences for people when a list is empty or a file could not be read. */
  warnings: string[];
}

const PEM_BEGIN = "-----BEGIN CERTIFICATE-----";
const PEM_END = "-----END CERTIFICATE-----";

/**
 * The DER of every CERTIFICATE block in a PEM bundle. Blocks are not decoded here: the engine
 * decodes a root only when a chain reaches its name, and ignores blocks that are not certificates.
 * Node's base64 decoder, not the browser-safe one the engine has: the SDK's two bundles hold
 * over 600 roots, read on every start of the verify command.
 */
export function readPemBundle(file: string): Uint8Array[] {
  return pemCertificateBlocks(readFileSync(file, "utf8")).map(
    (block) => new Uint8Array(Buffer.from(block.slice(PEM_BEGIN.length, -PEM_END.length), "base64")),
  );
}

/**
 * Orders SDK folder names newest first: digit runs compare as numbers ("10.0.100" after
 * "9.0.300"), anything else as text. Not localeCompare's numeric collation, which starts ICU's
 * collator (about 10 ms, on every start of the verify command) for a handful of names.
 */
export function newestVersionFirst(a: string, b: string): number {
  const tokens = (name: string) => name.match(/\d+|\D+/g) ?? [];
  const [left, right] = [tokens(b), tokens(a)];
  for (let index = 0; index < Math.max(left.length, right.length); index++) {
    const [x, y] = [left[index], right[index]];
    if (x === undefined || y === undefined) return x === undefined ? -1 : 1;
    const difference = /^\d/.test(x) && /^\d/.test(y) ? Number(x) - Number(y) : x < y ? -1 : x > y ? 1 : 0;
    if (difference !== 0) return Math.sign(difference);
  }
  return 0;
}

/** `<dotnet>/sdk/<version>/trustedroots/<name>` for the newest SDK that has it. */
export function dotnetSdkBundle(
  name: "codesignctl.pem" | "timestampctl.pem",
  dotnetRoots: readonly string[] = DOTNET_ROOTS,
): string | null {
  for (const root of dotnetRoots) {
    const sdkDirectory = path.join(root, "sdk");
    if (!existsSync(sdkDirectory)) continue;
    const versions = readdirSync(sdkDirectory).sort(newestVersionFirst);
    for (const version of versions) {
      const bundle = path.join(sdkDirectory, version, "trustedroots", name);
      if (existsSync(bundle)) return bundle;
    }
  }
  return null;
}

function firstUsableBundle(candidates: readonly (string | null)[]): { file: string; roots: Uint8Array[] } | null {
  for (const file of candidates) {
    if (!file || !existsSync(file)) continue;
    const roots = readPemBundle(file);
    if (roots.length > 0) return { file, roots };
  }
  return null;
}

function pathList(value: string | undefined): string[] | null {
  return value ? value.split(path.delimiter).filter(Boolean) : null;
}

function loadList(
  configured: string[] | null,
  defaults: readonly (string | null)[],
  purpose: string,
  warnings: string[],
): { files: string[]; roots: Uint8Array[] } {
  if (configured) {
    const roots = configured.flatMap((file) => {
      if (existsSync(file)) return readPemBundle(file);
      warnings.push(`The ${purpose} root bundle '${file}' does not exist.`);
      return [];
    });
    if (roots.length === 0)
      warnings.push(`No ${purpose} roots were loaded: every ${purpose} chain will be reported as untrusted.`);
    return { files: configured, roots };
  }
  const found = firstUsableBundle(defaults);
  if (!found) {
    warnings.push(
      `No ${purpose} root bundle was found (looked for ${defaults.filter(Boolean).join(", ") || "a .NET SDK"}): every ${purpose} chain will be reported as untrusted.`,
    );
    return { files: [], roots: [] };
  }
  return { files: [found.file], roots: found.roots };
}

/** The trust store from the environment (PEM paths separated by the platform's path delimiter) or NuGet's Linux defaults. */
export function loadTrustStore(environment: TrustEnvironment = process.env): LoadedTrustStore {
  const warnings: string[] = [];
  const codeSigning = loadList(
    pathList(environment.SIGNET_CODE_SIGNING_ROOTS),
    [SYSTEM_CODE_SIGNING_BUNDLE, dotnetSdkBundle("codesignctl.pem")],
    "code-signing",
    warnings,
  );
  const timestamping = loadList(
    pathList(environment.SIGNET_TIMESTAMPING_ROOTS),
    [dotnetSdkBundle("timestampctl.pem")],
    "timestamping",
    warnings,
  );
  return {
    store: { codeSigningRoots: codeSigning.roots, timestampingRoots: timestamping.roots },
    sources: { codeSigning: codeSigning.files, timestamping: timestamping.files },
    warnings,
  };
}
