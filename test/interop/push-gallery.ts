// The gallery's NuGet endpoints served over real HTTP from inside a test process: a node:http
// server that turns each request into a Fetch Request for the route handler Next would call,
// and writes the Response back, reason phrase included. It lets the real NuGet client (and
// concurrent HTTP clients) talk to the handlers against a scratch database without a
// production build. The publication log's endpoints are served too. Import it after the test's
// database environment is in place.
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";

type Params = Record<string, string | string[]>;
type Handler = (request: Request, context: { params: Promise<Params> }) => Promise<Response>;

interface Route {
  pattern: RegExp;
  /** The path's [name] parts in order; a [...name] part takes the rest, as a list of segments. */
  names: { name: string; rest: boolean }[];
  methods: Partial<Record<string, Handler>>;
}

export interface RunningGallery {
  /** e.g. http://127.0.0.1:41234 */
  origin: string;
  serviceIndexUrl: string;
  close(): Promise<void>;
}

/** "/v3-flatcontainer/[id]/index.json" → a RegExp with one capture per [name] (or [...name]). */
function route(path: string, methods: Route["methods"]): Route {
  const names: Route["names"] = [];
  const source = path
    .split(/(\[(?:\.\.\.)?[a-z]+\])/)
    .map((part) => {
      const parameter = /^\[(\.\.\.)?([a-z]+)\]$/.exec(part);
      if (!parameter) return part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      const rest = parameter[1] !== undefined;
      names.push({ name: parameter[2] as string, rest });
      return rest ? "(.+)" : "([^/]+)";
    })
    .join("");
  return { pattern: new RegExp(`^${source}$`), names, methods };
}

async function loadRoutes(): Promise<Route[]> {
  const [
    index,
    registration,
    versions,
    download,
    push,
    listing,
    checkpoint,
    tile,
    logKey,
    logEntry,
    logVersion,
    logConsistency,
  ] = await Promise.all([
    import("@/app/v3/index.json/route"),
    import("@/app/v3/[hive]/[id]/index.json/route"),
    import("@/app/v3-flatcontainer/[id]/index.json/route"),
    import("@/app/v3-flatcontainer/[id]/[version]/[file]/route"),
    import("@/app/api/v2/package/route"),
    import("@/app/api/v2/package/[id]/[version]/route"),
    import("@/app/log/checkpoint/route"),
    import("@/app/log/tile/[...path]/route"),
    import("@/app/.well-known/signet-log-key/route"),
    import("@/app/api/log/entries/[index]/route"),
    import("@/app/api/log/packages/[id]/[version]/route"),
    import("@/app/api/log/consistency/route"),
  ]);
  const [repositorySignatures, repositoryCertificate, verifyCopy] = await Promise.all([
    import("@/app/v3/repository-signatures/5.0.0/index.json/route"),
    import("@/app/v3/repository-signatures/certificates/[file]/route"),
    import("@/app/api/verify/route"),
  ]);
  // The handlers' own parameter types are narrower; each receives exactly the params its path names.
  const handler = (fn: unknown) => fn as Handler;
  return [
    route("/v3/index.json", { GET: handler(index.GET) }),
    route("/v3-flatcontainer/[id]/index.json", { GET: handler(versions.GET) }),
    route("/v3-flatcontainer/[id]/[version]/[file]", { GET: handler(download.GET) }),
    route("/api/v2/package", { PUT: handler(push.PUT) }),
    route("/api/v2/package/[id]/[version]", { DELETE: handler(listing.DELETE), POST: handler(listing.POST) }),
    route("/v3/repository-signatures/5.0.0/index.json", { GET: handler(repositorySignatures.GET) }),
    route("/v3/repository-signatures/certificates/[file]", { GET: handler(repositoryCertificate.GET) }),
    route("/log/checkpoint", { GET: handler(checkpoint.GET) }),
    route("/log/tile/[...path]", { GET: handler(tile.GET) }),
    route("/.well-known/signet-log-key", { GET: handler(logKey.GET) }),
    route("/api/log/entries/[index]", { GET: handler(logEntry.GET) }),
    route("/api/log/packages/[id]/[version]", { GET: handler(logVersion.GET) }),
    route("/api/log/consistency", { GET: handler(logConsistency.GET) }),
    route("/api/verify", { GET: handler(verifyCopy.GET), POST: handler(verifyCopy.POST) }),
    // Last: like Next, the static paths above win over the [hive] segment.
    route("/v3/[hive]/[id]/index.json", { GET: handler(registration.GET) }),
  ];
}

function toFetchRequest(incoming: IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (const [name, value] of Object.entries(incoming.headers)) {
    if (value !== undefined) headers.set(name, Array.isArray(value) ? value.join(", ") : value);
  }
  const hasBody = incoming.method !== "GET" && incoming.method !== "HEAD";
  return new Request(new URL(incoming.url ?? "/", origin), {
    method: incoming.method,
    headers,
    body: hasBody ? (Readable.toWeb(incoming) as ReadableStream<Uint8Array>) : undefined,
    duplex: "half",
  } as RequestInit);
}

async function writeResponse(response: Response, outgoing: ServerResponse): Promise<void> {
  outgoing.statusCode = response.status;
  outgoing.statusMessage = response.statusText;
  response.headers.forEach((value, name) => outgoing.appendHeader(name, value));
  if (response.body) {
    for await (const chunk of Readable.fromWeb(response.body as NodeReadableStream<Uint8Array>)) outgoing.write(chunk);
  }
  outgoing.end();
}

async function dispatch(
  routes: Route[],
  incoming: IncomingMessage,
  outgoing: ServerResponse,
  origin: string,
): Promise<void> {
  // Like Next (with the trailing-slash redirect off for the push URL, see next.config.js), a
  // trailing slash names the same route: the NuGet client PUTs to "<PackagePublish>/".
  const pathname = new URL(incoming.url ?? "/", origin).pathname.replace(/(.)\/$/, "$1");
  for (const candidate of routes) {
    const match = candidate.pattern.exec(pathname);
    if (!match) continue;
    const handler = candidate.methods[incoming.method ?? "GET"];
    if (!handler) break;
    const params: Params = Object.fromEntries(
      candidate.names.map(({ name, rest }, index) => {
        const value = match[index + 1] ?? "";
        return [name, rest ? value.split("/").map(decodeURIComponent) : decodeURIComponent(value)];
      }),
    );
    await writeResponse(await handler(toFetchRequest(incoming, origin), { params: Promise.resolve(params) }), outgoing);
    return;
  }
  outgoing.statusCode = 404;
  outgoing.end();
}

export async function startPushGallery(): Promise<RunningGallery> {
  const routes = await loadRoutes();
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  server.on("request", (incoming, outgoing) => {
    dispatch(routes, incoming, outgoing, origin).catch((failure: unknown) => {
      console.error("[push-gallery] request failed", failure);
      outgoing.destroy();
    });
  });
  return {
    origin,
    serviceIndexUrl: `${origin}/v3/index.json`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((failure) => (failure ? reject(failure) : resolve()));
      }),
  };
}
