// Which address a request came from, for the per-address sign-in and sign-up limits.
//
// Next.js copies the socket's address into X-Forwarded-For only when a request arrives without
// that header, so a client talking to the gallery directly could name any address there and
// escape a per-address limit. The address is therefore decided here, once per request, from the
// socket and from only as many X-Forwarded-For entries as trusted proxies wrote (Express's
// "trust proxy" rules, by the proxy-addr library), and written to a header of the gallery's own
// that replaces anything a client sent under that name.
import type { IncomingMessage, Server } from "node:http";
import proxyaddr from "proxy-addr";

/** The request header that carries the decided client address to route handlers. */
export const CLIENT_ADDRESS_HEADER = "x-signet-client-address";

/** Requests that reach a handler without it (nothing installed the stamp) share one bucket. */
const UNKNOWN_ADDRESS = "unknown";

export type ProxyTrust = (address: string, hop: number) => boolean;

/**
 * The trusted proxies from configuration: proxy-addr's list syntax (addresses, CIDR ranges and the
 * names `loopback`, `linklocal`, `uniquelocal`), comma-separated. Empty trusts no proxy, so the
 * address is the socket's own. A malformed list throws: a typo must not quietly trust everyone.
 */
export function compileProxyTrust(setting: string | undefined): ProxyTrust {
  const entries = (setting ?? "")
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  return proxyaddr.compile(entries);
}

/** The client's address: the socket's, or the nearest X-Forwarded-For entry a trusted proxy did not write. */
export function decideClientAddress(request: IncomingMessage, trust: ProxyTrust): string {
  return proxyaddr(request, trust) || UNKNOWN_ADDRESS;
}

/** Stamps every request an HTTP server in this process receives with its decided client address. */
export function installClientAddressStamp(server: typeof Server, trust: ProxyTrust): void {
  const emit = server.prototype.emit;
  server.prototype.emit = function stampedEmit(this: Server, event: string | symbol, ...args: unknown[]): boolean {
    if (event === "request") {
      const request = args[0] as IncomingMessage;
      request.headers[CLIENT_ADDRESS_HEADER] = decideClientAddress(request, trust);
    }
    return Reflect.apply(emit, this, [event, ...args]) as boolean;
  } as typeof emit;
}

/** The client address a route handler or server action sees, as the stamp decided it. */
export function clientAddress(headers: Headers): string {
  return headers.get(CLIENT_ADDRESS_HEADER) || UNKNOWN_ADDRESS;
}
