// RepositorySignatures/5.0.0 (NuGet docs, Repository signatures resource): every certificate the gallery has signed packages
// with (or announced it will), each with its fingerprints by hash OID, names, validity and where
// to download it, and `allRepositorySigned`, which NuGet clients turn into a rule: packages from
// this source without a repository signature by a listed certificate are refused. So it is true
// only while every version the gallery serves (listed or not) carries the gallery's signature.
// Clients refuse the resource unless its @id and every contentUrl are https.

import { createHash } from "node:crypto";
import type { Db } from "@/lib/db";
import { describeCertificate, parseCertificate } from "@/lib/signing";

export const REPOSITORY_SIGNATURES_PATH = "/v3/repository-signatures/5.0.0/index.json";
export const REPOSITORY_CERTIFICATES_PATH = "/v3/repository-signatures/certificates/";

const FINGERPRINT_OIDS = {
  "2.16.840.1.101.3.4.2.1": "sha256",
  "2.16.840.1.101.3.4.2.2": "sha384",
  "2.16.840.1.101.3.4.2.3": "sha512",
} as const;

export interface RepositorySigningCertificateRow {
  sha256Fingerprint: string;
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  der: Uint8Array;
}

export interface RepositorySigningCertificateEntry {
  fingerprints: Record<keyof typeof FINGERPRINT_OIDS, string>;
  subject: string;
  issuer: string;
  notBefore: string;
  notAfter: string;
  contentUrl: string;
}

export interface RepositorySignaturesIndex {
  allRepositorySigned: boolean;
  signingCertificates: RepositorySigningCertificateEntry[];
}

export function certificateContentPath(sha256Fingerprint: string): string {
  return `${REPOSITORY_CERTIFICATES_PATH}${sha256Fingerprint}.crt`;
}

/** The resource document; `allVersionsSigned` says whether every served version carries the gallery's signature. */
export function repositorySignaturesIndex(
  origin: string,
  certificates: readonly RepositorySigningCertificateRow[],
  allVersionsSigned: boolean,
): RepositorySignaturesIndex {
  return {
    // An empty list with allRepositorySigned would make clients refuse every package (NU3034).
    allRepositorySigned: allVersionsSigned && certificates.length > 0,
    signingCertificates: certificates.map((certificate) => ({
      fingerprints: Object.fromEntries(
        Object.entries(FINGERPRINT_OIDS).map(([oid, algorithm]) => [
          oid,
          createHash(algorithm).update(certificate.der).digest("hex"),
        ]),
      ) as RepositorySigningCertificateEntry["fingerprints"],
      subject: certificate.subject,
      issuer: certificate.issuer,
      notBefore: certificate.notBefore.toISOString(),
      notAfter: certificate.notAfter.toISOString(),
      contentUrl: `${origin}${certificateContentPath(certificate.sha256Fingerprint)}`,
    })),
  };
}

/** The gallery's list of repository signing certificates, oldest first. */
export function listRepositorySigningCertificates(db: Db): Promise<RepositorySigningCertificateRow[]> {
  return db.repositorySigningCertificate.findMany({
    orderBy: { createdAt: "asc" },
    select: { sha256Fingerprint: true, subject: true, issuer: true, notBefore: true, notAfter: true, der: true },
  });
}

/** Whether every version the gallery serves carries its repository signature. */
export async function everyVersionRepositorySigned(db: Db): Promise<boolean> {
  return (await db.packageVersion.count({ where: { repositoryCertificateId: null } })) === 0;
}

export async function loadRepositorySignaturesIndex(db: Db, origin: string): Promise<RepositorySignaturesIndex> {
  const [certificates, allSigned] = await Promise.all([
    listRepositorySigningCertificates(db),
    everyVersionRepositorySigned(db),
  ]);
  return repositorySignaturesIndex(origin, certificates, allSigned);
}

/** One listed certificate's DER, by its lower-case SHA-256 fingerprint; null when not listed. */
export async function repositorySigningCertificateDer(db: Db, sha256Fingerprint: string): Promise<Uint8Array | null> {
  if (!/^[0-9a-f]{64}$/.test(sha256Fingerprint)) return null;
  const row = await db.repositorySigningCertificate.findUnique({ where: { sha256Fingerprint }, select: { der: true } });
  return row?.der ?? null;
}

/**
 * Adds a certificate to the list before the gallery signs with it: the first step of a rollover
 * (clients that fetch the list learn the new certificate while the old one still signs; the old
 * one stays listed). Adding a listed certificate again changes nothing. Returns its fingerprint.
 */
export async function announceRepositorySigningCertificate(
  db: Db,
  file: Uint8Array,
): Promise<{ sha256Fingerprint: string; added: boolean }> {
  const certificate = parseCertificate(file);
  const der = new Uint8Array(certificate.toSchema().toBER());
  const summary = await describeCertificate(certificate);
  const existing = await db.repositorySigningCertificate.findUnique({
    where: { sha256Fingerprint: summary.sha256Fingerprint },
    select: { id: true },
  });
  if (existing) return { sha256Fingerprint: summary.sha256Fingerprint, added: false };
  await db.repositorySigningCertificate.create({
    data: {
      sha256Fingerprint: summary.sha256Fingerprint,
      subject: summary.subject,
      issuer: summary.issuer,
      notBefore: new Date(summary.notBefore),
      notAfter: new Date(summary.notAfter),
      der,
    },
  });
  return { sha256Fingerprint: summary.sha256Fingerprint, added: true };
}
