import { afterEach, describe, expect, it, vi } from "vitest";

async function providerIds(env: Record<string, string | undefined>): Promise<string[]> {
  vi.resetModules();
  for (const [name, value] of Object.entries(env)) vi.stubEnv(name, value);
  const { authOptions } = await import("@/lib/web/auth-options");
  return authOptions().providers.map((provider) => provider.id);
}

describe("authOptions", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("offers email and password only when GitHub is not configured", async () => {
    expect(await providerIds({ NEXTAUTH_SECRET: "test-secret", GITHUB_ID: "", GITHUB_SECRET: "" })).toEqual([
      "credentials",
    ]);
  });

  it("switches GitHub on when both GITHUB_ID and GITHUB_SECRET are set", async () => {
    expect(await providerIds({ NEXTAUTH_SECRET: "test-secret", GITHUB_ID: "id", GITHUB_SECRET: "secret" })).toEqual([
      "credentials",
      "github",
    ]);
    expect(await providerIds({ NEXTAUTH_SECRET: "test-secret", GITHUB_ID: "id", GITHUB_SECRET: "" })).toEqual([
      "credentials",
    ]);
  });

  it("uses JWT sessions signed with the configured secret", async () => {
    vi.resetModules();
    vi.stubEnv("NEXTAUTH_SECRET", "configured-secret");
    const { authOptions } = await import("@/lib/web/auth-options");
    expect(authOptions()).toMatchObject({
      secret: "configured-secret",
      session: { strategy: "jwt" },
      pages: { signIn: "/signin" },
    });
  });
});
