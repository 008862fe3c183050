// The server starts and serves sign-in without next-auth warnings (issue 16). A deployment that
// sets neither NEXTAUTH_URL nor NEXTAUTH_SECRET is the case that used to warn on every request
// ("[next-auth][warn][NEXTAUTH_URL]"): the gallery hands next-auth its own public address and
// generated secret. This spec starts a `next start` of its own with exactly that environment
// (the shared e2e server sets NEXTAUTH_URL), walks sign-in, sign-up and the session endpoints,
// and reads everything the process printed.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { newAccount } from "./helpers";

/** What next-auth v4 ("[next-auth][warn][CODE]") and Auth.js ("[auth][warning]") print for a warning. */
const AUTH_WARNING = /\[next-auth\]\[warn\]|\[auth\]\[warning\]|\[next-auth\]\[error\]|\[auth\]\[error\]/;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

test.describe.configure({ timeout: 300_000 });

test("the pattern matches next-auth's warning lines, so the check below can fail", () => {
  expect("[next-auth][warn][NEXTAUTH_URL] \nhttps://next-auth.js.org/warnings#nextauth_url").toMatch(AUTH_WARNING);
  expect("[auth][warning][debug-enabled]").toMatch(AUTH_WARNING);
  expect("▲ Next.js 16 - Local: http://127.0.0.1:3000").not.toMatch(AUTH_WARNING);
});

test("next start without NEXTAUTH_URL or NEXTAUTH_SECRET serves sign-in, sign-up and sessions without an auth warning", async ({
  browser,
}) => {
  const dataDir = mkdtempSync(path.join(tmpdir(), "signet-warnings-"));
  const port = await freePort();
  const origin = `http://127.0.0.1:${port}`;
  const unset = new Set(["NEXTAUTH_URL", "NEXTAUTH_SECRET"]);
  const environment: NodeJS.ProcessEnv = {
    ...Object.fromEntries(Object.entries(process.env).filter(([name]) => !unset.has(name))),
    DATABASE_URL: `file:${path.join(dataDir, "signet.db")}`,
    SIGNET_DATA_DIR: dataDir,
    SIGNET_STORAGE_DIR: path.join(dataDir, "packages"),
    GITHUB_ID: "",
    GITHUB_SECRET: "",
    NODE_ENV: "production",
  };
  const migrated = spawnSync("npx", ["tsx", "scripts/db/migrate.ts"], { env: environment, encoding: "utf8" });
  expect(migrated.status, migrated.stdout + migrated.stderr).toBe(0);

  let output = "";
  const server: ChildProcess = spawn(
    path.join("node_modules", ".bin", "next"),
    ["start", "-p", String(port), "-H", "127.0.0.1"],
    { env: environment, stdio: ["ignore", "pipe", "pipe"] },
  );
  server.stdout?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  server.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => server.once("exit", () => resolve()));
  try {
    await expect
      .poll(async () => (await fetch(`${origin}/api/health`).catch(() => null))?.status ?? 0, {
        timeout: 180_000,
        intervals: [500],
      })
      .toBe(200);

    const context = await browser.newContext({ baseURL: origin });
    const page = await context.newPage();
    for (const endpoint of ["/api/auth/session", "/api/auth/csrf", "/api/auth/providers"]) {
      expect((await page.request.get(endpoint)).status(), endpoint).toBe(200);
    }
    // A refused sign-in, then a new account (which signs in through next-auth's credentials provider).
    await page.goto("/signin");
    await page.getByLabel("Email").fill("nobody@example.test");
    await page.getByLabel("Password").fill("not-the-password-of-anyone");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("form", { name: "Sign in" }).getByRole("alert")).toHaveText("Wrong email or password.");
    const account = newAccount();
    await page.goto("/signup");
    await page.getByLabel("Email").fill(account.email);
    await page.getByLabel("Username").fill(account.username);
    await page.getByLabel("Password").fill(account.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expect(page).toHaveURL(/\/account$/);
    expect(
      ((await (await page.request.get("/api/auth/session")).json()) as { user?: { email?: string } }).user?.email,
    ).toBe(account.email);
    await context.close();
  } finally {
    server.kill("SIGTERM");
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
  // The output was captured (the server announced itself), and none of it is an auth warning.
  expect(output).toMatch(/Ready in|Local:/);
  expect(output.split("\n").filter((line) => AUTH_WARNING.test(line))).toEqual([]);
});
