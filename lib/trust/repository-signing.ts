// Where the gallery's repository signing key, certificate and timestamp authority come from.
//
//   SIGNET_REPOSITORY_CERTIFICATE           a PKCS#12 file (.pfx/.p12) holding the key and certificate,
//                                           or a PEM file: the certificate first, then its issuers
//   SIGNET_REPOSITORY_KEY                   with a PEM certificate: the PKCS#8 PEM private key
//   SIGNET_REPOSITORY_CERTIFICATE_PASSWORD  the PKCS#12 password
//   SIGNET_TIMESTAMP_URL                    the RFC 3161 authority to timestamp with (http or https)
//
// With none of them set, the embedded default: a development root, repository certificate and
// timestamp authority made into the data folder on first use (development-pki.ts), and that
// authority answering in process, so publishing needs nothing from outside. Its root is added
// to what the gallery trusts, for its own signatures only to be judged valid; clients must be
// told to trust it (README). A configured certificate must chain to a root the gallery and its
// clients already trust, and then SIGNET_TIMESTAMP_URL is required: a development TSA's tokens
// would fail at every client.

import { readFile } from "node:fs/promises";
import path from "node:path";
import * as pkijs from "pkijs";
import "@/lib/signing/crypto-engine";
import type { TrustStore } from "@/lib/signing";
import type { RepositorySigningKey, Timestamper } from "@/lib/signing/sign";
import { assertTimestampingCertificate, fromPem, httpTimestamper, respondToTimestampRequest } from "@/lib/timestamping";
import { ensureDevelopmentPki, type DevelopmentPkiFiles } from "./development-pki";

export type RepositorySigningEnvironment = Readonly<Record<string, string | undefined>>;

export interface RepositorySigner {
  key: RepositorySigningKey;
  timestamper: Timestamper;
  /** For people: where timestamps come from (a URL, or the in-process development authority). */
  timestampAuthority: string;
  /** Roots the gallery adds to its trust to judge its own signatures: the development root, or none. */
  ownRoots: TrustStore;
  /** The development PKI's files when the embedded default is in use. */
  development: DevelopmentPkiFiles | null;
}

function configurationError(message: string): Error {
  return new Error(`Repository signing is misconfigured: ${message}`);
}

function parseCertificate(der: Uint8Array, file: string): pkijs.Certificate {
  try {
    return pkijs.Certificate.fromBER(der.slice());
  } catch {
    throw configurationError(`'${file}' holds a CERTIFICATE block that is not an X.509 certificate.`);
  }
}

async function importSigningKey(pkcs8: Uint8Array, file: string): Promise<CryptoKey> {
  try {
    return await crypto.subtle.importKey(
      "pkcs8",
      pkcs8.slice(),
      { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
      false,
      ["sign"],
    );
  } catch {
    throw configurationError(
      `the private key in '${file}' is not an RSA PKCS#8 key (NuGet repository signatures are RSA).`,
    );
  }
}

/** Puts the certificate whose public key matches the private key first: PEM and PKCS#12 files do not agree on an order. */
async function orderChain(
  certificates: pkijs.Certificate[],
  privateKey: CryptoKey,
  file: string,
): Promise<{ certificate: pkijs.Certificate; issuers: pkijs.Certificate[] }> {
  const probe = new Uint8Array(32);
  const signature = new Uint8Array(await crypto.subtle.sign("RSASSA-PKCS1-v1_5", privateKey, probe));
  for (const candidate of certificates) {
    try {
      const publicKey = await crypto.subtle.importKey(
        "spki",
        candidate.subjectPublicKeyInfo.toSchema().toBER(),
        { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
        false,
        ["verify"],
      );
      if (await crypto.subtle.verify("RSASSA-PKCS1-v1_5", publicKey, signature, probe)) {
        return { certificate: candidate, issuers: certificates.filter((other) => other !== candidate) };
      }
    } catch {
      // Not an RSA key: not the signer.
    }
  }
  throw configurationError(`no certificate in '${file}' belongs to the private key.`);
}

async function keyFromPem(certificateFile: string, keyFile: string): Promise<RepositorySigningKey> {
  const certificates = fromPem(await readFile(certificateFile, "utf8"), "CERTIFICATE").map((der) =>
    parseCertificate(der, certificateFile),
  );
  if (certificates.length === 0) throw configurationError(`'${certificateFile}' holds no PEM CERTIFICATE block.`);
  const [pkcs8] = fromPem(await readFile(keyFile, "utf8"), "PRIVATE KEY");
  if (!pkcs8) throw configurationError(`'${keyFile}' holds no unencrypted PEM "PRIVATE KEY" (PKCS#8) block.`);
  const privateKey = await importSigningKey(pkcs8, keyFile);
  return { ...(await orderChain(certificates, privateKey, certificateFile)), privateKey };
}

/** The key and certificates of a PKCS#12 file (PBES2/AES as OpenSSL 3 writes it, or the algorithms pkijs reads). */
async function keyFromPkcs12(file: string, password: string): Promise<RepositorySigningKey> {
  const passwordBytes = new TextEncoder().encode(password).buffer;
  const certificates: pkijs.Certificate[] = [];
  let pkcs8: Uint8Array | null = null;
  try {
    const pfx = pkijs.PFX.fromBER(new Uint8Array(await readFile(file)));
    await pfx.parseInternalValues({ password: passwordBytes, checkIntegrity: true });
    const safe = pfx.parsedValue?.authenticatedSafe;
    if (!safe) throw new Error("no authenticated safe");
    await safe.parseInternalValues({ safeContents: safe.safeContents.map(() => ({ password: passwordBytes })) });
    for (const contents of safe.parsedValue?.safeContents ?? []) {
      for (const bag of contents.value.safeBags) {
        if (bag.bagValue instanceof pkijs.CertBag && bag.bagValue.parsedValue instanceof pkijs.Certificate)
          certificates.push(bag.bagValue.parsedValue);
        if (bag.bagValue instanceof pkijs.PKCS8ShroudedKeyBag) {
          await bag.bagValue.parseInternalValues({ password: passwordBytes });
          if (bag.bagValue.parsedValue) pkcs8 = new Uint8Array(bag.bagValue.parsedValue.toSchema().toBER());
        }
        if (bag.bagValue instanceof pkijs.PrivateKeyInfo) pkcs8 = new Uint8Array(bag.bagValue.toSchema().toBER());
      }
    }
  } catch {
    throw configurationError(
      `'${file}' cannot be opened as PKCS#12 with the given password (SIGNET_REPOSITORY_CERTIFICATE_PASSWORD); re-export it with \`openssl pkcs12 -export\` or give PEM files.`,
    );
  }
  if (!pkcs8) throw configurationError(`'${file}' holds no private key.`);
  if (certificates.length === 0) throw configurationError(`'${file}' holds no certificate.`);
  const privateKey = await importSigningKey(pkcs8, file);
  return { ...(await orderChain(certificates, privateKey, file)), privateKey };
}

async function developmentSigner(
  dataDirectory: string,
  environment: RepositorySigningEnvironment,
): Promise<RepositorySigner> {
  const files = await ensureDevelopmentPki(dataDirectory);
  const key = await keyFromPem(files.repositoryCertificate, files.repositoryKey);
  const rootDer = fromPem(await readFile(files.root, "utf8"), "CERTIFICATE");
  const url = environment.SIGNET_TIMESTAMP_URL;
  return {
    key,
    timestamper: url ? httpTimestamper(url) : await developmentTimestamper(files),
    timestampAuthority: url ?? "the in-process development timestamp authority",
    ownRoots: { codeSigningRoots: rootDer, timestampingRoots: rootDer },
    development: files,
  };
}

/** The development timestamp authority answering in process (what `npm run tsa` serves by default too). */
export async function developmentTimestampAuthority(files: DevelopmentPkiFiles) {
  const { certificate, issuers, privateKey } = await keyFromPem(files.timestampCertificate, files.timestampKey);
  assertTimestampingCertificate(certificate);
  return { signer: { certificate, chain: issuers, privateKey }, policy: DEVELOPMENT_TSA_POLICY, accuracySeconds: 1 };
}

/** A private-arc policy OID for the development authority's tokens. */
export const DEVELOPMENT_TSA_POLICY = "1.3.6.1.4.1.55555.1.1";

async function developmentTimestamper(files: DevelopmentPkiFiles): Promise<Timestamper> {
  const authority = await developmentTimestampAuthority(files);
  return (request) => respondToTimestampRequest(authority, request);
}

/** The repository signer from the environment, or the embedded development default. */
export async function loadRepositorySigner(
  dataDirectory: string,
  environment: RepositorySigningEnvironment = process.env,
): Promise<RepositorySigner> {
  const certificateFile = environment.SIGNET_REPOSITORY_CERTIFICATE;
  if (!certificateFile) return developmentSigner(dataDirectory, environment);
  const url = environment.SIGNET_TIMESTAMP_URL;
  if (!url)
    throw configurationError(
      "SIGNET_REPOSITORY_CERTIFICATE is set but SIGNET_TIMESTAMP_URL is not; a configured repository certificate needs a timestamp authority its clients trust.",
    );
  const isPkcs12 = [".pfx", ".p12"].includes(path.extname(certificateFile).toLowerCase());
  let key: RepositorySigningKey;
  if (isPkcs12) {
    key = await keyFromPkcs12(certificateFile, environment.SIGNET_REPOSITORY_CERTIFICATE_PASSWORD ?? "");
  } else {
    const keyFile = environment.SIGNET_REPOSITORY_KEY;
    if (!keyFile)
      throw configurationError(
        "SIGNET_REPOSITORY_CERTIFICATE names a PEM file, so SIGNET_REPOSITORY_KEY must name its PKCS#8 private key.",
      );
    key = await keyFromPem(certificateFile, keyFile);
  }
  return {
    key,
    timestamper: httpTimestamper(url),
    timestampAuthority: url,
    ownRoots: { codeSigningRoots: [], timestampingRoots: [] },
    development: null,
  };
}
