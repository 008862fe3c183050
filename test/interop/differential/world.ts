// The certificates, keys and timestamp authorities the differential cases are built from,
// made once per run in-process. Keys are shared wherever a case is about the certificate,
// not the key, so the run pays for one key of each kind (RSA-4096 takes seconds).
//
// Times: the trusted roots and the TSAs were valid long before "now", so a case can be
// timestamped in the past (the authority's clock) and a certificate can have expired since.

import type { TimestampAuthority } from "@/lib/timestamping";
import {
  EXTENDED_KEY_USAGE,
  generateEcKey,
  generateRsaKey,
  issueCertificate,
  timestampSignerFor,
  type CertificateOptions,
  type TestCertificate,
  type TestKey,
} from "@/test/support/pki";

export const DAY = 24 * 3_600_000;
export const TSA_POLICY = "1.3.6.1.4.1.55555.1.1";
export const OTHER_EXTENDED_KEY_USAGE = {
  serverAuth: "1.3.6.1.5.5.7.3.1",
  /** Microsoft's lifetime signing: the signature is only valid while the certificate is. */
  lifetimeSigning: "1.3.6.1.4.1.311.10.3.13",
  anyExtendedKeyUsage: "2.5.29.37.0",
} as const;

export type KeyName = "rsa1024" | "rsa2048" | "rsa3072" | "rsa4096" | "ecdsaP256";

export interface DifferentialWorld {
  keys: Record<KeyName, TestKey>;
  /** Trusted for code signing by both sides. */
  root: TestCertificate;
  /** Trusted by neither side. */
  untrustedRoot: TestCertificate;
  /** Trusted for timestamping by both sides. */
  tsaRoot: TestCertificate;
  /** A self-signed code-signing leaf that is itself a trusted root: a chain of one certificate. */
  selfSignedSigner: TestCertificate;
  /** A code-signing leaf under the root, valid from 60 days ago for a year. */
  signer: TestCertificate;
  /** A repository certificate under the root. */
  repository: TestCertificate;
  /** The trusted TSA, stating the current time. */
  authority: TimestampAuthority;
  /** The trusted TSA's certificate, to issue authorities that state other times. */
  tsa: TestCertificate;
  /** A TSA under the untrusted root. */
  untrustedAuthority: TimestampAuthority;
  /** A trusted root whose path length limit is 0: no intermediate may sit below it. */
  limitedRoot: TestCertificate;
  /** A trusted root that expired yesterday. */
  expiredRoot: TestCertificate;
}

export function daysFromNow(days: number): Date {
  return new Date(Math.floor((Date.now() + days * DAY) / 1000) * 1000);
}

export function authorityOf(
  tsa: TestCertificate,
  options: Partial<Omit<TimestampAuthority, "signer">> = {},
): Promise<TimestampAuthority> {
  return timestampSignerFor(tsa).then((signer) => ({ signer, policy: TSA_POLICY, accuracySeconds: 1, ...options }));
}

/** A timestamp authority under `issuer` (default the trusted TSA root), as the options describe. */
export async function issueTsa(
  world: Pick<DifferentialWorld, "keys" | "tsaRoot">,
  options: Partial<CertificateOptions> = {},
): Promise<TestCertificate> {
  return issueCertificate({
    commonName: "Signet Differential TSA",
    key: world.keys.rsa2048,
    issuer: world.tsaRoot,
    extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping],
    notBefore: daysFromNow(-300),
    notAfter: daysFromNow(300),
    ...options,
  });
}

function longLivedRoot(commonName: string, key: TestKey): Promise<TestCertificate> {
  return issueCertificate({
    commonName,
    key,
    certificateAuthority: true,
    notBefore: daysFromNow(-400),
    notAfter: daysFromNow(3650),
  });
}

export async function createDifferentialWorld(): Promise<DifferentialWorld> {
  const [rsa1024, rsa2048, rsa3072, rsa4096, ecdsaP256] = await Promise.all([
    generateRsaKey(1024),
    generateRsaKey(2048),
    generateRsaKey(3072),
    generateRsaKey(4096),
    generateEcKey(),
  ]);
  const keys = { rsa1024, rsa2048, rsa3072, rsa4096, ecdsaP256 };
  const root = await longLivedRoot("Signet Differential Root", rsa2048);
  const untrustedRoot = await longLivedRoot("Signet Differential Untrusted Root", rsa2048);
  const tsaRoot = await longLivedRoot("Signet Differential TSA Root", rsa2048);
  const codeSigning = (commonName: string): Promise<TestCertificate> =>
    issueCertificate({
      commonName,
      key: rsa2048,
      issuer: root,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
      notBefore: daysFromNow(-60),
      notAfter: daysFromNow(365),
    });
  const tsa = await issueTsa({ keys, tsaRoot });
  return {
    keys,
    root,
    untrustedRoot,
    tsaRoot,
    selfSignedSigner: await issueCertificate({
      commonName: "Signet Differential Self-Signed Signer",
      key: rsa2048,
      extendedKeyUsages: [EXTENDED_KEY_USAGE.codeSigning],
      notBefore: daysFromNow(-60),
      notAfter: daysFromNow(365),
    }),
    signer: await codeSigning("Signet Differential Signer"),
    repository: await codeSigning("Signet Differential Repository"),
    authority: await authorityOf(tsa),
    tsa,
    untrustedAuthority: await authorityOf(
      await issueTsa({ keys, tsaRoot: untrustedRoot }, { commonName: "Signet Differential Untrusted TSA" }),
    ),
    limitedRoot: await issueCertificate({
      commonName: "Signet Differential Limited Root",
      key: rsa2048,
      basicConstraints: { cA: true, pathLenConstraint: 0 },
      keyUsage: ["keyCertSign", "cRLSign"],
      notBefore: daysFromNow(-400),
      notAfter: daysFromNow(3650),
    }),
    expiredRoot: await issueCertificate({
      commonName: "Signet Differential Expired Root",
      key: rsa2048,
      certificateAuthority: true,
      notBefore: daysFromNow(-400),
      notAfter: daysFromNow(-1),
    }),
  };
}

/** The test roots both sides add to the SDK's shipped roots. */
export function testRoots(world: DifferentialWorld): {
  codeSigning: TestCertificate[];
  timestamping: TestCertificate[];
} {
  return {
    codeSigning: [world.root, world.selfSignedSigner, world.limitedRoot, world.expiredRoot],
    timestamping: [world.tsaRoot],
  };
}
