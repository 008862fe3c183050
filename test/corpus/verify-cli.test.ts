// `npm run verify` on real packages: the exit code says valid (0), invalid (1) or unsigned
// (2), --json prints the report, and the human summary names the signers. It runs what
// `npm run verify` runs: the launcher, which runs the built bundle (rebuilt first if stale).

import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { SignatureReport } from "@/lib/signing";
import { VERIFY_BUNDLE, VERIFY_CODE_CACHE } from "@/scripts/cli/build.mjs";
import { CORPUS_DIRECTORY, requireCorpus } from "@/test/support/shared-data";
import { runVerify } from "@/test/support/verify-cli";

const ROOT = path.resolve(__dirname, "../..");
const CORPUS = path.join(CORPUS_DIRECTORY, "nupkg");
const present = requireCorpus("nupkg", "test/corpus/verify-cli.test.ts", "npm run verify over the corpus");

describe.skipIf(!present)("npm run verify", () => {
  it("exits 0 for a valid package and names its signers", async () => {
    const result = await runVerify(path.join(CORPUS, "Microsoft.Bcl.AsyncInterfaces.8.0.0.nupkg"));
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(": VALID");
    expect(result.stdout).toContain(
      "signer:      CN=Microsoft Corporation,O=Microsoft Corporation,L=Redmond,ST=Washington,C=US",
    );
    expect(result.stdout).toContain("repository:  https://api.nuget.org/v3/index.json");
    // The signing-time attribute is shown for what it is, beside the timestamp that proves a time.
    expect(result.stdout).toMatch(/claimed at: {2}\S+ \(the signer's signing-time attribute, not proof\)/);
    expect(result.stdout).toMatch(/timestamp: {3}\S+ by CN=.+ \(valid\)/);
  });

  it("exits 1 and prints NU3008 in the JSON report for a tampered package", async () => {
    const result = await runVerify(
      path.join(CORPUS, "Microsoft.Bcl.AsyncInterfaces.8.0.0.TAMPERED-byteflip.nupkg"),
      "--json",
    );
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as SignatureReport;
    expect(report).toMatchObject({ status: "invalid", integrity: false });
    expect(report.issues).toContainEqual(expect.objectContaining({ code: "NU3008", level: "error" }));
  });

  it("exits 2 for an unsigned package and for bad usage", async () => {
    expect((await runVerify(path.join(CORPUS, "Chronic.Signed.0.3.2.nupkg"))).code).toBe(2);
    expect((await runVerify()).code).toBe(2);
    expect((await runVerify("--no-such-option", "x.nupkg")).code).toBe(2);
    const missing = await runVerify(path.join(CORPUS, "missing.nupkg"));
    expect(missing).toMatchObject({ code: 2, stderr: expect.stringContaining("Cannot open") });
    const badRoot = await runVerify(
      path.join(CORPUS, "Chronic.Signed.0.3.2.nupkg"),
      "--trusted-root",
      path.join(ROOT, "package.json"),
    );
    expect(badRoot).toMatchObject({ code: 2, stderr: expect.stringContaining("CERTIFICATE_UNREADABLE") });
  });

  it("documents the exit codes in --help", async () => {
    const result = await runVerify("--help");
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      "Exit codes: 0 valid, 1 invalid (or, with --log, not as logged), 2 unsigned or usage error.",
    );
  });
});

describe("the verify launcher", () => {
  // A run of --help leaves a cache of the code --help needs; the next verification after this
  // one writes the cache whole again.
  afterAll(() => rmSync(VERIFY_CODE_CACHE, { force: true }));

  it("builds the bundle when it is missing, then runs it", async () => {
    rmSync(VERIFY_BUNDLE, { force: true });
    const result = await runVerify("--help");
    expect(result).toMatchObject({ code: 0, stdout: expect.stringContaining("Exit codes:") });
    expect(existsSync(VERIFY_BUNDLE)).toBe(true);
  });

  it("runs correctly from a damaged code cache, and replaces it", async () => {
    writeFileSync(VERIFY_CODE_CACHE, "not V8's code cache");
    expect(await runVerify("--help")).toMatchObject({ code: 0, stdout: expect.stringContaining("Exit codes:") });
    expect(readFileSync(VERIFY_CODE_CACHE, "utf8")).not.toBe("not V8's code cache");
  });
});
