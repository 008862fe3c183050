// npm run repo-sign:certificate -- add <certificate.pem|.cer>   announce a certificate (rollover, step 1)
// npm run repo-sign:certificate -- list                         the list RepositorySignatures serves
//
// Rollover, so that no client breaks: (1) add the new certificate here, so clients that read the
// list learn it while the old certificate still signs; (2) once their caches have turned over
// (NuGet re-reads the service resources at least daily), point SIGNET_REPOSITORY_CERTIFICATE at
// the new one and restart. The old certificate stays listed: packages it signed still verify.
// Only a compromised key is a reason to take a certificate off the list (re-sign first).
import { readFile } from "node:fs/promises";
import { databaseUrl } from "@/lib/config";
import { createDb } from "@/lib/db";
import {
  announceRepositorySigningCertificate,
  listRepositorySigningCertificates,
} from "@/lib/feed/repository-signatures";
import { IssueError } from "@/lib/issues";

const [command, file] = process.argv.slice(2);
if (!(command === "list" || (command === "add" && file))) {
  console.error("usage: npm run repo-sign:certificate -- add <certificate file (PEM or DER)> | list");
  process.exit(2);
}

const db = createDb(databaseUrl());
try {
  if (command === "add" && file) {
    const { sha256Fingerprint, added } = await announceRepositorySigningCertificate(
      db,
      new Uint8Array(await readFile(file)),
    );
    console.log(
      added
        ? `Added ${sha256Fingerprint} to the repository signing certificates.`
        : `${sha256Fingerprint} is already listed.`,
    );
  } else {
    for (const certificate of await listRepositorySigningCertificates(db)) {
      console.log(
        `${certificate.sha256Fingerprint}  ${certificate.notBefore.toISOString().slice(0, 10)} to ${certificate.notAfter.toISOString().slice(0, 10)}  ${certificate.subject}`,
      );
    }
  }
} catch (error) {
  if (!(error instanceof IssueError)) throw error;
  console.error(`${error.code}: ${error.message}`);
  process.exitCode = 1;
} finally {
  await db.$disconnect();
}
