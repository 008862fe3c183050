// Runs the project's RFC 3161 time-stamping authority over HTTP.
//
//   npm run tsa -- --port 3001 [--key tsa-key.pem --cert tsa-chain.pem] [--policy 1.2.3] [--host 127.0.0.1]
//
// --key is a PKCS#8 PEM RSA key; --cert is a PEM file with the TSA certificate first and its
// issuers after it. The certificate must carry exactly one extended key usage, id-kp-timeStamping,
// marked critical (RFC 3161 §2.3); clients refuse tokens from any other certificate, so the
// authority refuses to start with one. Without --key/--cert it serves the gallery's development
// authority (made into $SIGNET_DATA_DIR/repository-signing on first use; the same one the
// gallery stamps its repository signatures with), and prints the root to trust.

import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";

import * as pkijs from "pkijs";

import { dataDir } from "@/lib/config";
import { assertTimestampingCertificate, fromPem, type TimestampAuthority } from "@/lib/timestamping";
import { startTimestampServer } from "@/scripts/timestamp-server";
import { ensureDevelopmentPki } from "@/lib/trust/development-pki";
import { DEVELOPMENT_TSA_POLICY, developmentTimestampAuthority } from "@/lib/trust/repository-signing";

async function authorityFromFiles(
  keyPath: string,
  certificatePath: string,
  policy: string,
): Promise<TimestampAuthority> {
  const [keyDer] = fromPem(await readFile(keyPath, "utf8"), "PRIVATE KEY");
  if (!keyDer) throw new Error(`${keyPath} holds no "PRIVATE KEY" (PKCS#8) PEM block.`);
  const certificates = fromPem(await readFile(certificatePath, "utf8"), "CERTIFICATE").map((der) =>
    pkijs.Certificate.fromBER(der),
  );
  const [certificate, ...chain] = certificates;
  if (!certificate) throw new Error(`${certificatePath} holds no CERTIFICATE PEM block.`);
  assertTimestampingCertificate(certificate);
  const privateKey = await crypto.subtle.importKey(
    "pkcs8",
    keyDer,
    { name: "RSASSA-PKCS1-v1_5", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return { signer: { privateKey, certificate, chain }, policy, accuracySeconds: 1 };
}

async function developmentAuthority(): Promise<TimestampAuthority> {
  const files = await ensureDevelopmentPki(dataDir());
  process.stdout.write(`Development timestamp authority; trust its root as a timestamping root: ${files.root}\n`);
  return developmentTimestampAuthority(files);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: "string", default: "3001" },
      host: { type: "string", default: "127.0.0.1" },
      key: { type: "string" },
      cert: { type: "string" },
      policy: { type: "string", default: DEVELOPMENT_TSA_POLICY },
    },
  });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`--port must be a port number, not "${values.port}".`);
  if ((values.key === undefined) !== (values.cert === undefined))
    throw new Error("Give both --key and --cert, or neither for the development authority.");

  const authority =
    values.key && values.cert
      ? await authorityFromFiles(values.key, values.cert, values.policy)
      : await developmentAuthority();
  const server = await startTimestampServer(authority, { host: values.host, port });
  process.stdout.write(`Time-stamping authority listening on ${server.url}\n`);
  const stop = () => void server.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((error: unknown) => {
  process.stderr.write(`tsa: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
