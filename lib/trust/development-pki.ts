// The embedded default's key material: one development root that issues the gallery's
// repository signing certificate (code signing) and its timestamp authority's certificate
// (time stamping, critical, the only usage: what clients require). Made once, on first use,
// into <data dir>/repository-signing, so every process of a deployment (the web server, the
// backfill command, `npm run tsa`) signs and stamps with the same certificates, and a
// developer can hand root.pem to a NuGet client to trust. Private keys are files with mode 0600
// next to it; they are never printed or stored in the database.

import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import "@/lib/signing/crypto-engine";
import { TIME_STAMPING_USAGE_OID } from "@/lib/timestamping/certificate";
import { fromPem, toPem } from "@/lib/timestamping/pem";

export const DEVELOPMENT_PKI_FOLDER = "repository-signing";
const CODE_SIGNING_USAGE_OID = "1.3.6.1.5.5.7.3.3";
const DAY = 24 * 60 * 60 * 1000;
const RSA = {
  name: "RSASSA-PKCS1-v1_5",
  modulusLength: 2048,
  publicExponent: new Uint8Array([1, 0, 1]),
  hash: "SHA-256",
} as const;

export interface DevelopmentPkiFiles {
  folder: string;
  /** The development root, to trust for code signing and for timestamping. */
  root: string;
  /** The repository certificate followed by the root, and its PKCS#8 key. */
  repositoryCertificate: string;
  repositoryKey: string;
  /** The TSA certificate followed by the root, and its PKCS#8 key. */
  timestampCertificate: string;
  timestampKey: string;
}

export function developmentPkiFiles(dataDirectory: string): DevelopmentPkiFiles {
  const folder = path.join(dataDirectory, DEVELOPMENT_PKI_FOLDER);
  return {
    folder,
    root: path.join(folder, "root.pem"),
    repositoryCertificate: path.join(folder, "repository.pem"),
    repositoryKey: path.join(folder, "repository.key.pem"),
    timestampCertificate: path.join(folder, "timestamp-authority.pem"),
    timestampKey: path.join(folder, "timestamp-authority.key.pem"),
  };
}

interface Issued {
  certificate: pkijs.Certificate;
  keys: CryptoKeyPair;
}

function commonName(name: string): pkijs.RelativeDistinguishedNames {
  return new pkijs.RelativeDistinguishedNames({
    typesAndValues: [
      new pkijs.AttributeTypeAndValue({ type: "2.5.4.3", value: new asn1js.Utf8String({ value: name }) }),
      new pkijs.AttributeTypeAndValue({
        type: "2.5.4.10",
        value: new asn1js.Utf8String({ value: "Signet development" }),
      }),
    ],
  });
}

async function keyIdentifier(publicKey: pkijs.PublicKeyInfo): Promise<asn1js.OctetString> {
  return new asn1js.OctetString({
    valueHex: await crypto.subtle.digest("SHA-1", publicKey.subjectPublicKey.valueBlock.valueHexView.slice()),
  });
}

/** A certificate for `name`, issued by `issuer` (self-signed without one): a CA, or an end entity for one usage. */
async function issue(
  name: string,
  usage: { ca: true } | { ca: false; extendedKeyUsage: string },
  issuer: Issued | null,
  years: number,
): Promise<Issued> {
  const keys = (await crypto.subtle.generateKey(RSA, true, ["sign", "verify"])) as CryptoKeyPair;
  const certificate = new pkijs.Certificate();
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x3f) | 0x40;
  certificate.version = 2;
  certificate.serialNumber = new asn1js.Integer({ valueHex: serial });
  certificate.subject = commonName(name);
  certificate.issuer = issuer ? issuer.certificate.subject : certificate.subject;
  certificate.notBefore.value = new Date(Date.now() - DAY);
  certificate.notAfter.value = new Date(Date.now() + years * 365 * DAY);
  await certificate.subjectPublicKeyInfo.importKey(keys.publicKey);
  const ownId = await keyIdentifier(certificate.subjectPublicKeyInfo);
  const issuerId = issuer ? await keyIdentifier(issuer.certificate.subjectPublicKeyInfo) : ownId;
  // keyCertSign + cRLSign for the root, digitalSignature for the leaves.
  const keyUsage = usage.ca
    ? new asn1js.BitString({ valueHex: new Uint8Array([0x06]), unusedBits: 1 })
    : new asn1js.BitString({ valueHex: new Uint8Array([0x80]), unusedBits: 7 });
  certificate.extensions = [
    new pkijs.Extension({
      extnID: "2.5.29.19",
      critical: true,
      extnValue: new pkijs.BasicConstraints({ cA: usage.ca }).toSchema().toBER(),
    }),
    new pkijs.Extension({ extnID: "2.5.29.15", critical: true, extnValue: keyUsage.toBER() }),
    new pkijs.Extension({ extnID: "2.5.29.14", extnValue: ownId.toBER() }),
    new pkijs.Extension({
      extnID: "2.5.29.35",
      extnValue: new pkijs.AuthorityKeyIdentifier({ keyIdentifier: issuerId }).toSchema().toBER(),
    }),
    ...(usage.ca
      ? []
      : [
          new pkijs.Extension({
            extnID: "2.5.29.37",
            critical: true,
            extnValue: new pkijs.ExtKeyUsage({ keyPurposes: [usage.extendedKeyUsage] }).toSchema().toBER(),
          }),
        ]),
  ];
  await certificate.sign((issuer ?? { keys }).keys.privateKey, "SHA-256");
  return { certificate, keys };
}

function certificatePem(...certificates: pkijs.Certificate[]): string {
  return certificates
    .map((certificate) => toPem(new Uint8Array(certificate.toSchema().toBER()), "CERTIFICATE"))
    .join("");
}

async function keyPem(keys: CryptoKeyPair): Promise<string> {
  return toPem(new Uint8Array(await crypto.subtle.exportKey("pkcs8", keys.privateKey)), "PRIVATE KEY");
}

/**
 * The development PKI's files, created on first use. Made in a temporary folder and renamed into
 * place, so two processes starting at once never see half a set; the loser uses the winner's.
 */
export async function ensureDevelopmentPki(dataDirectory: string): Promise<DevelopmentPkiFiles> {
  const files = developmentPkiFiles(dataDirectory);
  if (existsSync(files.root)) return files;
  const root = await issue("Signet Development Root", { ca: true }, null, 20);
  const repository = await issue(
    "Signet Development Repository",
    { ca: false, extendedKeyUsage: CODE_SIGNING_USAGE_OID },
    root,
    5,
  );
  const timestampAuthority = await issue(
    "Signet Development Timestamp Authority",
    { ca: false, extendedKeyUsage: TIME_STAMPING_USAGE_OID },
    root,
    10,
  );
  const temporary = `${files.folder}.${randomBytes(6).toString("hex")}.tmp`;
  await mkdir(temporary, { recursive: true, mode: 0o700 });
  const inTemporary = developmentPkiFiles(temporary);
  const write = (file: string, text: string, mode = 0o644) =>
    writeFile(path.join(temporary, path.basename(file)), text, { mode });
  await write(inTemporary.root, certificatePem(root.certificate));
  await write(inTemporary.repositoryCertificate, certificatePem(repository.certificate, root.certificate));
  await write(inTemporary.repositoryKey, await keyPem(repository.keys), 0o600);
  await write(inTemporary.timestampCertificate, certificatePem(timestampAuthority.certificate, root.certificate));
  await write(inTemporary.timestampKey, await keyPem(timestampAuthority.keys), 0o600);
  await mkdir(path.dirname(files.folder), { recursive: true });
  try {
    await rename(temporary, files.folder);
  } catch (failure) {
    await rm(temporary, { recursive: true, force: true });
    // Another process made the set first: use it.
    if (!existsSync(files.root)) throw failure;
  }
  return files;
}

/** The DER of every certificate in a PEM file. */
export async function readCertificatePems(file: string): Promise<Uint8Array<ArrayBuffer>[]> {
  return fromPem(await readFile(file, "utf8"), "CERTIFICATE");
}
