import { describe, expect, it } from "vitest";
import { fetchVerifiedPrimaryEmail } from "@/lib/auth/github";

function fakeGitHub(status: number, body: unknown): typeof fetch {
  return async (_url, init) => {
    expect(new Headers(init?.headers).get("Authorization")).toBe("Bearer token-123");
    return new Response(JSON.stringify(body), { status });
  };
}

describe("fetchVerifiedPrimaryEmail", () => {
  it("returns the primary address only when GitHub has verified it", async () => {
    const emails = [
      { email: "secondary@example.test", primary: false, verified: true },
      { email: "primary@example.test", primary: true, verified: true },
    ];
    expect(await fetchVerifiedPrimaryEmail("token-123", fakeGitHub(200, emails))).toBe("primary@example.test");
    const unverified = [{ email: "primary@example.test", primary: true, verified: false }];
    expect(await fetchVerifiedPrimaryEmail("token-123", fakeGitHub(200, unverified))).toBeNull();
  });

  it("returns null when GitHub refuses the request", async () => {
    expect(await fetchVerifiedPrimaryEmail("token-123", fakeGitHub(403, { message: "Forbidden" }))).toBeNull();
  });
});
