// A small TLS front for tests: an https server on loopback that forwards every request to a
// plain-http origin and streams the answer back, so the gallery can be reached over https as a
// deployment serves it (NuGet requires https for RepositorySignatures). Its certificate comes
// from a throw-away test CA made with openssl; a client trusts that CA through SSL_CERT_FILE
// (.NET on Linux reads OpenSSL's variables).
import { execFile } from "node:child_process";
import { once } from "node:events";
import { readFile, writeFile } from "node:fs/promises";
import { request as httpRequest } from "node:http";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";

const execFileAsync = promisify(execFile);

export interface TlsFront {
  /** e.g. https://127.0.0.1:41234 */
  origin: string;
  /** The test CA's certificate (PEM file): what a client must trust. */
  caFile: string;
  close(): Promise<void>;
}

async function openssl(directory: string, ...args: string[]): Promise<void> {
  await execFileAsync("openssl", args, { cwd: directory });
}

/** A CA and a server certificate for 127.0.0.1 issued by it, as PEM files in `directory`. */
async function testServerCertificate(directory: string): Promise<{ caFile: string; key: Buffer; certificate: Buffer }> {
  await openssl(
    directory,
    "req",
    "-x509",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "2",
    "-subj",
    "/CN=Signet Test TLS CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  );
  await openssl(
    directory,
    "req",
    "-newkey",
    "rsa:2048",
    "-nodes",
    "-keyout",
    "server.key",
    "-out",
    "server.csr",
    "-subj",
    "/CN=127.0.0.1",
  );
  await writeFile(
    path.join(directory, "server.ext"),
    "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\nbasicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n",
  );
  await openssl(
    directory,
    "x509",
    "-req",
    "-in",
    "server.csr",
    "-CA",
    "ca.pem",
    "-CAkey",
    "ca.key",
    "-CAcreateserial",
    "-out",
    "server.pem",
    "-days",
    "2",
    "-extfile",
    "server.ext",
  );
  return {
    caFile: path.join(directory, "ca.pem"),
    key: await readFile(path.join(directory, "server.key")),
    certificate: await readFile(path.join(directory, "server.pem")),
  };
}

/** Serves https on loopback, forwarding to `target` (an http origin). */
export async function startTlsFront(target: string, directory: string): Promise<TlsFront> {
  const { caFile, key, certificate } = await testServerCertificate(directory);
  const upstream = new URL(target);
  const server = createServer({ key, cert: certificate }, (incoming, outgoing) => {
    const forwarded = httpRequest(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.statusMessage, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on("error", () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  return {
    origin: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    caFile,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((failure) => (failure ? reject(failure) : resolve()));
      }),
  };
}
