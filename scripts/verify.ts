// Verifies a .nupkg's signatures and prints who signed it and whether it is intact.
// Run with --help for usage and exit codes.

import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { IssueError } from "@/lib/issues";
import {
  parseCertificate,
  verifyPackageSignatures,
  type ChainReport,
  type SignatureDetails,
  type SignatureReport,
} from "@/lib/signing";
import { certificateDer } from "@/lib/signing/certificates";
import { loadTrustStore } from "@/lib/trust";
import { openFileSource } from "@/lib/zip/source";

const HELP = `Usage: npm run verify -- <file.nupkg> [options]

Verifies the package's author and repository signatures the way the NuGet client does.

Options:
  --trusted-root <cert>   Also trust this root (DER or PEM) for code signing and timestamping; repeatable.
                          The default roots are NuGet's on Linux (see SIGNET_CODE_SIGNING_ROOTS and
                          SIGNET_TIMESTAMPING_ROOTS to name PEM bundles instead).
  --online                Check revocation over the network (OCSP, then CRL); default offline.
  --timeout <ms>          Timeout for each revocation request in online mode (default 10000).
  --content-hash          Also print NuGet's contentHash (SHA-512 of the package as if unsigned).
  --log <gallery-url>     Also check the file against the gallery's publication log: an entry for
                          the package's ID and version (its publication, or the repository
                          signature the gallery added later) must record this file's SHA-512 and
                          be included under a checkpoint signed by the pinned log key.
  --log-key <key>         The log's verifier key (<name>+<id>+<key>; default SIGNET_LOG_VERIFIER_KEY).
                          The gallery serves it at /.well-known/signet-log-key: pin it from a
                          source you trust, not from the gallery you are checking.
  --json                  Print the report as JSON.
  --against <gallery URL> Ask that gallery instead whether the file is what it published (verify a copy).
  -h, --help              Show this help.

Exit codes: 0 valid, 1 invalid (or, with --log, not as logged), 2 unsigned or usage error.
With --against: 0 what the gallery published (or its author uploaded), 3 the same files in other
bytes (re-signed or re-zipped), 1 changed, 2 nothing to compare with, unreadable, or an error.`;

const EXIT = { valid: 0, invalid: 1, unsigned: 2, usage: 2 } as const;

function printChain(chain: ChainReport | null, indent: string): string[] {
  if (!chain) return [];
  const lines = chain.certificates.map(
    (certificate, index) => `${indent}${index === 0 ? "" : "└ ".padStart(index * 2 + 2)}${certificate.subject}`,
  );
  lines.unshift(`${indent}chain: ${chain.trusted ? "trusted" : "NOT trusted"}`);
  lines.push(...chain.problems.map((problem) => `${indent}  problem: ${problem}`));
  return lines;
}

function describeSignature(title: string, details: SignatureDetails): string[] {
  const lines = [`${title} (${details.placement}, ${details.valid ? "valid" : "INVALID"})`];
  if (details.signer) {
    lines.push(`  signer:      ${details.signer.subject}`);
    lines.push(`  issuer:      ${details.signer.issuer}`);
    lines.push(`  SHA-256:     ${details.signer.sha256Fingerprint}`);
    lines.push(`  valid:       ${details.signer.notBefore} to ${details.signer.notAfter}`);
  }
  // The signer writes this attribute as they like; only a valid timestamp proves a time.
  if (details.signingTime)
    lines.push(`  claimed at:  ${details.signingTime} (the signer's signing-time attribute, not proof)`);
  if (details.serviceIndexUrl) lines.push(`  repository:  ${details.serviceIndexUrl}`);
  if (details.packageOwners) lines.push(`  owners:      ${details.packageOwners.join(", ")}`);
  for (const timestamp of details.timestamps) {
    lines.push(
      `  timestamp:   ${timestamp.time} by ${timestamp.tsa?.subject ?? "unknown TSA"} (${timestamp.valid ? "valid" : "INVALID"})`,
    );
  }
  if (details.timestamps.length === 0) lines.push("  timestamp:   none");
  lines.push(...printChain(details.chain, "  "));
  return lines;
}

function summary(file: string, report: SignatureReport): string {
  const lines = [`${file}: ${report.status.toUpperCase()}`];
  if (report.integrity !== null)
    lines.push(`integrity: ${report.integrity ? "intact" : "MODIFIED after signing"} (${report.packageHashAlgorithm})`);
  if (report.contentHash) lines.push(`contentHash: ${report.contentHash}`);
  if (report.author)
    lines.push(...describeSignature(report.author.kind === "author" ? "Author signature" : "Signature", report.author));
  if (report.repository) lines.push(...describeSignature("Repository signature", report.repository));
  for (const issue of report.issues)
    lines.push(`${issue.level === "error" ? "error  " : "warning"} ${issue.code}: ${issue.message}`);
  return lines.join("\n");
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: {
        "trusted-root": { type: "string", multiple: true, default: [] },
        online: { type: "boolean", default: false },
        timeout: { type: "string", default: "10000" },
        "content-hash": { type: "boolean", default: false },
        log: { type: "string" },
        "log-key": { type: "string" },
        json: { type: "boolean", default: false },
        against: { type: "string" },
        help: { type: "boolean", short: "h", default: false },
      },
    });
  } catch (cause) {
    console.error(`${(cause as Error).message}\n\n${HELP}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    console.log(HELP);
    return EXIT.valid;
  }
  const [file, ...extra] = positionals;
  const timeoutMs = Number(values.timeout);
  if (!file || extra.length > 0 || !Number.isInteger(timeoutMs) || timeoutMs <= 0) {
    console.error(HELP);
    return EXIT.usage;
  }
  if (values.against !== undefined) {
    // Loaded only here: asking a gallery needs none of the verification code above.
    const { verifyAgainst } = await import("./verify-against");
    return verifyAgainst(values.against, file, values.json);
  }
  const logKey = values["log-key"] ?? process.env.SIGNET_LOG_VERIFIER_KEY;
  if (values.log !== undefined && !logKey) {
    console.error("--log needs the log's verifier key: give --log-key <key> or set SIGNET_LOG_VERIFIER_KEY.");
    return EXIT.usage;
  }

  const trust = loadTrustStore();
  for (const message of trust.warnings) console.error(`warning: ${message}`);
  try {
    for (const rootFile of values["trusted-root"]) {
      const root = certificateDer(parseCertificate(new Uint8Array(await readFile(rootFile))));
      trust.store.codeSigningRoots.push(root);
      trust.store.timestampingRoots.push(root);
    }
  } catch (cause) {
    console.error(
      cause instanceof IssueError
        ? `${cause.code}: ${cause.message}`
        : `Cannot read a trusted root: ${(cause as Error).message}`,
    );
    return EXIT.usage;
  }

  let source;
  try {
    source = await openFileSource(file);
  } catch (cause) {
    console.error(`Cannot open ${file}: ${(cause as Error).message}`);
    return EXIT.usage;
  }
  try {
    const report = await verifyPackageSignatures(source, {
      trust: trust.store,
      revocation: values.online ? { mode: "online", timeoutMs } : { mode: "offline" },
      includeContentHash: values["content-hash"],
    });
    if (values.log === undefined || !logKey) {
      console.log(values.json ? JSON.stringify(report, null, 2) : summary(file, report));
      return EXIT[report.status];
    }
    // Loaded only for --log, so a plain verify starts as fast as before.
    const { describeLogVerdict, verifyPackageLog } = await import("@/lib/tlog/verify-package");
    const log = await verifyPackageLog(file, source, values.log, logKey);
    console.log(
      values.json
        ? JSON.stringify({ ...report, log }, null, 2)
        : [summary(file, report), ...describeLogVerdict(log)].join("\n"),
    );
    return log.ok ? EXIT[report.status] : EXIT.invalid;
  } finally {
    await source.close();
  }
}

// Not top-level await: the command is bundled as CommonJS (scripts/cli/build.mjs).
void main().then((code) => {
  process.exitCode = code;
});
