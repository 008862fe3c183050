// Revalidation: the stored files of published versions verified again against the roots the
// gallery trusts now, after the trust store changed or a certificate was marked compromised.
// A version whose verdict changed gets the new status and report, and its package's search
// documents are rewritten in the same transaction. Verifying is a function of the file and
// the roots, so running it twice changes nothing the second time, and a run stopped midway is
// simply run again.
import { createHash } from "node:crypto";
import type { Db } from "@/lib/db";
import { verifyPackageSignatures, type SignatureReport, type TrustStore } from "@/lib/signing";
import { refreshSearchDocuments } from "@/lib/search/search-index";
import type { PackageStorage } from "@/lib/storage";
import type { RepositorySigner } from "@/lib/trust/repository-signing";
import { signatureStatusOf } from "@/lib/uploads/records";
import { withOwnRoots } from "@/lib/uploads/repository-sign";
import { judgeSignatures } from "@/lib/validation/judge-upload";

export interface RevalidationOptions {
  /** Only the versions this certificate signed (after a compromise mark); else every signed version. */
  certificateId?: string | null;
  trust: TrustStore;
  /** The gallery's repository signer, whose own roots vouch for its signatures on served files. */
  signer: RepositorySigner;
  batchSize?: number;
}

export interface RevalidationResult {
  checked: number;
  changed: Array<{ packageId: string; version: string; from: string; to: string }>;
}

export async function revalidatePublishedSignatures(
  db: Db,
  storage: PackageStorage,
  options: RevalidationOptions,
): Promise<RevalidationResult> {
  const trust = withOwnRoots(options.trust, options.signer);
  const result: RevalidationResult = { checked: 0, changed: [] };
  let after = "";
  for (;;) {
    const batch = await db.packageVersion.findMany({
      where: {
        signatureStatus: { not: "UNSIGNED" },
        id: { gt: after },
        ...(options.certificateId ? { signerCertificateId: options.certificateId } : {}),
      },
      orderBy: { id: "asc" },
      take: options.batchSize ?? 50,
      select: {
        id: true,
        registrationId: true,
        version: true,
        storageKey: true,
        publishedAt: true,
        signatureStatus: true,
        registration: { select: { packageId: true } },
      },
    });
    if (batch.length === 0) return result;
    for (const version of batch) {
      const source = await storage.open(version.storageKey);
      let status: ReturnType<typeof signatureStatusOf>;
      let report: SignatureReport;
      try {
        // Judged as at publication, as the upload was: the author's signature alone (the
        // gallery's own would vouch for it), at the time it was published; only the roots differ.
        status = signatureStatusOf((await judgeSignatures(source, options.trust, version.publishedAt)).report);
        result.checked += 1;
        if (status === version.signatureStatus) continue;
        // The stored report stays the served file's, as publishing stores it.
        report = await verifyPackageSignatures(source, { trust, now: version.publishedAt, includeContentHash: true });
      } finally {
        await source.close();
      }
      const updated = await db.$transaction(async (tx) => {
        // Unless another run got there first.
        const { count } = await tx.packageVersion.updateMany({
          where: { id: version.id, signatureStatus: version.signatureStatus },
          data: { signatureStatus: status, signatureReport: JSON.stringify(report) },
        });
        if (count > 0) await refreshSearchDocuments(tx, [version.registrationId]);
        return count > 0;
      });
      if (updated)
        result.changed.push({
          packageId: version.registration.packageId,
          version: version.version,
          from: version.signatureStatus,
          to: status,
        });
    }
    after = batch[batch.length - 1]?.id ?? after;
  }
}

/** A fingerprint of the trusted roots: it changes when any root is added or removed. */
export function trustStoreFingerprint(trust: TrustStore): string {
  const digests = (roots: Uint8Array[]) => roots.map((root) => createHash("sha256").update(root).digest("hex")).sort();
  return createHash("sha256")
    .update(
      JSON.stringify({ codeSigning: digests(trust.codeSigningRoots), timestamping: digests(trust.timestampingRoots) }),
    )
    .digest("hex");
}
