// Proof that someone holds a certificate's private key: a signature whose cryptography is sound
// over content the verifier chose. Trust (chain, timestamps, revocation) is deliberately not
// judged here: whether the certificate may sign packages is the package verifier's question;
// this only answers "was this signed with that key, over these bytes?". Two forms, the two ways
// authors sign (lib/identity/possession.ts issues the content):
//   - a package signed with `dotnet nuget sign`: its primary signature over the package as if
//     unsigned, which must match the package's bytes (nothing changed after signing);
//   - a CMS SignedData from `openssl cms -sign` over a text, detached (the text is given here)
//     or attached (the text is inside and returned).
import "./crypto-engine";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { IssueError } from "@/lib/issues";
import type { ByteSource } from "@/lib/zip/source";
import { readCentralDirectory, readEntryBytes } from "@/lib/zip/central-directory";
import { describeCertificate, parseCertificate, signerIdentityFacts } from "./certificates";
import { decodeAs } from "./attributes";
import { parseDer } from "./cms";
import { OID } from "./oids";
import { planUnsignedPackageHash, readEocdTail } from "./package-hash";
import type { CertificateSummary, SignerIdentityFacts } from "./report";
import { findSignatureEntries, readSignatureFile } from "./signature-entry";
import { certificatesOf, findSignerCertificate, verifySignerInfo } from "./signer-info";
import { decodeSignature, integrityFromHashes, unsignedHashes } from "./verify";

export interface PossessionSignature {
  signer: CertificateSummary;
  signerIdentity: SignerIdentityFacts;
  /** The signer certificate's DER, so a fingerprint-only registration can learn the certificate. */
  signerDer: Uint8Array;
  /** What was signed: the attached or given text, or the named entry of the signed package. */
  content: Uint8Array;
  /**
   * SHA-256 (hex) of the carried certificates that issued the signer, nearest first: each one's
   * subject is the one below's issuer and its key verifies the one below's signature. A carried
   * certificate that did not issue the signer is not here (anyone can attach a CA certificate).
   */
  issuerFingerprints: string[];
}

const CODE = "POSSESSION_SIGNATURE_INVALID";

function invalid(message: string): IssueError {
  return new IssueError(CODE, message);
}

const MAX_ISSUER_PATH = 8;

async function issued(subject: pkijs.Certificate, candidate: pkijs.Certificate): Promise<boolean> {
  if (!subject.issuer.isEqual(candidate.subject)) return false;
  try {
    return await subject.verify(candidate);
  } catch {
    return false;
  }
}

/** The carried certificates that issued `certificate`, then its issuer, and so on. */
async function issuerPath(
  certificate: pkijs.Certificate,
  carried: readonly pkijs.Certificate[],
): Promise<pkijs.Certificate[]> {
  const path: pkijs.Certificate[] = [];
  let current = certificate;
  while (path.length < MAX_ISSUER_PATH) {
    let next: pkijs.Certificate | undefined;
    for (const candidate of carried) {
      if (candidate === current || candidate === certificate || path.includes(candidate)) continue;
      if (await issued(current, candidate)) {
        next = candidate;
        break;
      }
    }
    if (!next) break;
    path.push(next);
    current = next;
  }
  return path;
}

async function signerResult(
  certificate: pkijs.Certificate,
  content: Uint8Array,
  carried: readonly pkijs.Certificate[],
): Promise<PossessionSignature> {
  const issuers = await Promise.all((await issuerPath(certificate, carried)).map(describeCertificate));
  return {
    issuerFingerprints: issuers.map((issuer) => issuer.sha256Fingerprint),
    signer: await describeCertificate(certificate),
    signerIdentity: signerIdentityFacts(certificate),
    signerDer: new Uint8Array(certificate.toSchema().toBER()),
    content,
  };
}

async function verifyKey(
  signerInfo: pkijs.SignerInfo,
  certificate: pkijs.Certificate,
  signedContent: Uint8Array,
): Promise<void> {
  try {
    await verifySignerInfo(signerInfo, certificate, signedContent, CODE, OID.data);
  } catch (failure) {
    if (failure instanceof IssueError) throw invalid(`The signature does not verify: ${failure.message}`);
    throw failure;
  }
}

const PEM_CMS = /-----BEGIN (?:CMS|PKCS7)-----([A-Za-z0-9+/=\s]+)-----END (?:CMS|PKCS7)-----/;

/** DER as given, or the body of a PEM "CMS"/"PKCS7" block (openssl cms -outform PEM). */
function cmsDer(bytes: Uint8Array): Uint8Array {
  const head = new TextDecoder("latin1").decode(bytes.subarray(0, 64));
  if (!head.includes("-----BEGIN")) return bytes;
  const match = PEM_CMS.exec(new TextDecoder("latin1").decode(bytes));
  if (!match?.[1])
    throw invalid(
      "The file is PEM but holds no CMS or PKCS7 block; sign with openssl cms -sign … -outform DER (or PEM).",
    );
  return new Uint8Array(Buffer.from(match[1].replace(/\s+/g, ""), "base64"));
}

/**
 * A CMS SignedData with one signer over id-data: detached (its content must be `content`) or
 * attached (its content is returned, whatever it is; the caller compares). The signer
 * certificate is taken from the SignedData or, with `openssl cms -nocerts`, from `certificates`.
 */
export async function verifyCmsPossession(
  signature: Uint8Array,
  content: Uint8Array,
  certificates: readonly Uint8Array[] = [],
): Promise<PossessionSignature> {
  const info = decodeAs(
    () => new pkijs.ContentInfo({ schema: parseDer(cmsDer(signature), CODE, "signature file") }),
    CODE,
    "The signature file is not a CMS ContentInfo.",
  );
  if (info.contentType !== OID.signedData)
    throw invalid(`The signature file has content type ${info.contentType}, not CMS SignedData.`);
  const signedData = decodeAs(
    () => new pkijs.SignedData({ schema: info.content }),
    CODE,
    "The signature file is not a well-formed CMS SignedData.",
  );
  if (signedData.encapContentInfo.eContentType !== OID.data)
    throw invalid("The signature must be over plain data (id-data), as openssl cms -sign makes it.");
  const [signerInfo, ...others] = signedData.signerInfos;
  if (!signerInfo || others.length > 0)
    throw invalid(`The signature must have exactly one signer; it has ${signedData.signerInfos.length}.`);
  const eContent = signedData.encapContentInfo.eContent;
  const signed = eContent instanceof asn1js.OctetString ? new Uint8Array(eContent.getValue()) : content;
  const pool = [...certificatesOf(signedData), ...certificates.map((der) => parseCertificate(der))];
  const certificate = findSignerCertificate(signerInfo, pool);
  if (!certificate)
    throw invalid(
      "The signer's certificate is neither in the signature nor the one registered; sign without -nocerts.",
    );
  await verifyKey(signerInfo, certificate, signed);
  return signerResult(certificate, signed, pool);
}

/**
 * A package signed by its author (`dotnet nuget sign`): the primary signature verifies with its
 * certificate's key over the signature content, whose hash must match the package as if
 * unsigned. Returns entry `contentEntry` (at most `maxContentBytes`), which the signature covers.
 */
export async function verifyPackagePossession(
  source: ByteSource,
  contentEntry: string,
  maxContentBytes: number,
): Promise<PossessionSignature> {
  const directory = await readCentralDirectory(source);
  const [entry] = findSignatureEntries(directory);
  if (!entry) throw invalid("The package is not signed; sign it with dotnet nuget sign and upload the signed file.");
  const decoded = decodeSignature(await readSignatureFile(source, directory, entry));
  const pieces = planUnsignedPackageHash(directory, entry, await readEocdTail(source, directory));
  const hashes = await unsignedHashes(source, pieces, [decoded.signatureContent.hashAlgorithm.nodeName]);
  if (!integrityFromHashes(hashes, decoded.signatureContent))
    throw invalid(
      "The package was changed after it was signed; sign the downloaded challenge package again and upload it unchanged.",
    );
  const certificate = findSignerCertificate(decoded.primary, decoded.certificates);
  if (!certificate) throw invalid("The signer's certificate is not included in the package signature.");
  await verifyKey(decoded.primary, certificate, decoded.content);
  const content = directory.entries.find((candidate) => candidate.name === contentEntry);
  if (!content)
    throw invalid(`The signed package has no ${contentEntry}; sign the challenge package the gallery gave you.`);
  return signerResult(certificate, await readEntryBytes(source, content, maxContentBytes), decoded.certificates);
}
