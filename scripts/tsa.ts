// Runs the project's RFC 3161 time-stamping authority over HTTP.
//
//   npm run tsa -- --port 3001 --key tsa-key.pem --cert tsa-chain.pem [--policy 1.2.3] [--host 127.0.0.1]
//
// --key is a PKCS#8 PEM RSA key; --cert is a PEM file with the TSA certificate first and its
// issuers after it. Without --key/--cert a throw-away development TSA (its own root plus a
// TSA certificate, made with the test PKI generator) is created and its root printed, so a
// client can be told to trust it.

import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import * as pkijs from "pkijs";

import { fromPem, startTimestampServer, type TimestampSigner } from "@/lib/timestamping";
import { EXTENDED_KEY_USAGE, certificatePem, createRootAuthority, generateRsaKey, issueCertificate, timestampSignerFor } from "@/test/support/pki";

const DEFAULT_POLICY = "1.3.6.1.4.1.55555.1.1";

async function signerFromFiles(keyPath: string, certificatePath: string): Promise<TimestampSigner> {
  const [keyDer] = fromPem(await readFile(keyPath, "utf8"), "PRIVATE KEY");
  if (!keyDer) throw new Error(`${keyPath} holds no "PRIVATE KEY" (PKCS#8) PEM block.`);
  const certificates = fromPem(await readFile(certificatePath, "utf8"), "CERTIFICATE").map((der) => pkijs.Certificate.fromBER(der));
  const [certificate, ...chain] = certificates;
  if (!certificate) throw new Error(`${certificatePath} holds no CERTIFICATE PEM block.`);
  const privateKey = await crypto.subtle.importKey("pkcs8", keyDer, { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" }, false, ["sign"]);
  return { privateKey, certificate, chain };
}

async function developmentSigner(): Promise<TimestampSigner> {
  const [rootKey, tsaKey] = await Promise.all([generateRsaKey(), generateRsaKey()]);
  const root = await createRootAuthority("Signet Development TSA Root", rootKey);
  const tsa = await issueCertificate({ commonName: "Signet Development TSA", key: tsaKey, issuer: root, extendedKeyUsages: [EXTENDED_KEY_USAGE.timeStamping] });
  process.stdout.write(`Development TSA root (trust it as a timestamping root):\n${certificatePem(root)}`);
  return timestampSignerFor(tsa);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "3001" },
      host: { type: "string", default: "127.0.0.1" },
      key: { type: "string" },
      cert: { type: "string" },
      policy: { type: "string", default: DEFAULT_POLICY },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port must be a port number, not "${values.port}".`);
  if ((values.key === undefined) !== (values.cert === undefined)) throw new Error("Give both --key and --cert, or neither for a development TSA.");

  const signer = values.key && values.cert ? await signerFromFiles(values.key, values.cert) : await developmentSigner();
  const server = await startTimestampServer({ signer, policy: values.policy }, { host: values.host, port });
  process.stdout.write(`Time-stamping authority listening on ${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`tsa: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
