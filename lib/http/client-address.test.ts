import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { CLIENT_ADDRESS_HEADER, clientAddress, compileProxyTrust, installClientAddressStamp } from "./client-address";

/** A server class of the test's own, so the stamp never touches the process's http.Server. */
function stampedServerClass(trustSetting: string): typeof http.Server {
  class StampedServer extends http.Server {}
  installClientAddressStamp(StampedServer, compileProxyTrust(trustSetting));
  return StampedServer;
}

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))));
});

/** Sends one request with the given headers and answers the address the handler saw. */
async function addressSeen(trustSetting: string, headers: Record<string, string>): Promise<string> {
  const Server = stampedServerClass(trustSetting);
  const server = new Server((request, response) => {
    response.end(clientAddress(new Headers(request.headers as Record<string, string>)));
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const response = await fetch(`http://127.0.0.1:${port}/`, { headers });
  return response.text();
}

describe("client address", () => {
  it("is the connection's own when no proxy is trusted, whatever X-Forwarded-For or our header claims", async () => {
    expect(await addressSeen("", { "x-forwarded-for": "203.0.113.5" })).toBe("127.0.0.1");
    expect(await addressSeen("", { [CLIENT_ADDRESS_HEADER]: "198.51.100.7" })).toBe("127.0.0.1");
  });

  it("believes X-Forwarded-For entries only as far as trusted proxies wrote them", async () => {
    // The loopback connection is the trusted proxy; the entry it appended is the client.
    expect(await addressSeen("loopback", { "x-forwarded-for": "203.0.113.5" })).toBe("203.0.113.5");
    // A client's own forged entries to the left of an untrusted hop are not believed.
    expect(await addressSeen("loopback", { "x-forwarded-for": "192.0.2.1, 203.0.113.5" })).toBe("203.0.113.5");
    // Two trusted hops: the nearest untrusted entry, walking from the connection outwards.
    expect(await addressSeen("loopback, 10.0.0.0/8", { "x-forwarded-for": "192.0.2.1, 203.0.113.5, 10.1.2.3" })).toBe(
      "203.0.113.5",
    );
    // A trusted proxy that forwarded no header: the connection's address stands.
    expect(await addressSeen("loopback", { [CLIENT_ADDRESS_HEADER]: "198.51.100.7" })).toBe("127.0.0.1");
  });

  it("refuses a malformed trusted-proxy setting instead of trusting everyone", () => {
    expect(() => compileProxyTrust("10.0.0.0/99")).toThrow();
    expect(() => compileProxyTrust("not-an-address")).toThrow();
  });

  it("is one shared 'unknown' bucket for requests nothing stamped", () => {
    expect(clientAddress(new Headers({ "x-forwarded-for": "203.0.113.5" }))).toBe("unknown");
  });
});
