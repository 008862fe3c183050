// A sample of the hostile corpus (test/hostile/hostile-corpus.ts) over real HTTP against
// `next start`: pushed as `dotnet nuget push` sends packages, and uploaded and submitted as the
// upload page does. The whole corpus runs in-process in test/hostile/hostile-corpus.test.ts;
// this checks that the server around the routes (body parsing, streaming, the proxy) adds no
// 5xx and no hang. Oversized non-package bodies get 413 here too.
import { request as httpRequest } from "node:http";
import { expect, test, type APIResponse } from "@playwright/test";
import { GENERIC_CODES, hostileCorpus, refusedAsExpected, type HostilePackage } from "@/test/hostile/hostile-corpus";
import { newAccount, signUp } from "./helpers";
import { e2eBaseUrl, sameOriginHeaders } from "./support/environment";
import { createPushKey, pushPackage } from "./support/gallery";

/** Every 10th package, so each refusal class is represented. */
const SAMPLE = hostileCorpus().filter((_, index) => index % 10 === 0);
const REQUEST_TIMEOUT_MS = 20_000;

interface Issue {
  code: string;
  level: string;
}

const errorCodes = (issues: readonly Issue[] | undefined) =>
  (issues ?? []).filter((issue) => issue.level === "error").map((issue) => issue.code);

function expectSpecificRefusal(
  hostile: HostilePackage,
  response: APIResponse,
  firstCode: string | undefined,
  codes: string[],
): void {
  expect(response.status(), hostile.name).toBeGreaterThanOrEqual(400);
  expect(response.status(), hostile.name).toBeLessThan(500);
  expect(GENERIC_CODES.has(firstCode ?? "REQUEST_REFUSED"), `${hostile.name}: ${firstCode}`).toBe(false);
  expect(refusedAsExpected(hostile, codes), `${hostile.name}: ${codes.join(", ")}`).toBe(true);
}

test("a sample of the hostile corpus is refused over HTTP with specific codes, through the push API and the upload page's route", async ({
  page,
}) => {
  test.setTimeout(SAMPLE.length * 3 * REQUEST_TIMEOUT_MS);
  await signUp(page, newAccount());
  const key = await createPushKey(page.request);
  expect(SAMPLE.length).toBeGreaterThanOrEqual(50);
  for (const hostile of SAMPLE) {
    const pushed = await pushPackage(page.request, key, hostile.bytes);
    // The shared error body: the first error's code, and every issue when there is more than one to say.
    const refusal = (await pushed.json()) as { error: { code: string }; issues?: Issue[] };
    expectSpecificRefusal(
      hostile,
      pushed,
      refusal.error.code,
      refusal.issues ? errorCodes(refusal.issues) : [refusal.error.code],
    );

    const uploaded = await page.request.post("/api/uploads", {
      headers: sameOriginHeaders,
      multipart: {
        package: { name: "hostile.nupkg", mimeType: "application/octet-stream", buffer: Buffer.from(hostile.bytes) },
      },
      timeout: REQUEST_TIMEOUT_MS,
    });
    expect(uploaded.status(), hostile.name).toBeLessThan(500);
    if (uploaded.status() !== 201) {
      const { error } = (await uploaded.json()) as { error: { code: string } };
      expectSpecificRefusal(hostile, uploaded, error.code, [error.code]);
      continue;
    }
    const { preview } = (await uploaded.json()) as {
      preview: { attemptId: string; refused: boolean; issues: Issue[] };
    };
    if (preview.refused) {
      // Refused at once and recorded as refused: the upload succeeded, the package did not.
      const codes = errorCodes(preview.issues);
      expect(GENERIC_CODES.has(codes[0] ?? "REQUEST_REFUSED"), `${hostile.name}: ${codes[0]}`).toBe(false);
      expect(refusedAsExpected(hostile, codes), `${hostile.name}: ${codes.join(", ")}`).toBe(true);
      continue;
    }
    const submitted = await page.request.post(`/api/uploads/${preview.attemptId}/submit`, {
      headers: sameOriginHeaders,
      timeout: REQUEST_TIMEOUT_MS,
    });
    const body = (await submitted.json()) as { error?: { code: string }; issues?: Issue[] };
    expectSpecificRefusal(hostile, submitted, body.error?.code, errorCodes(body.issues));
  }
});

test("bodies over 64 KiB are refused with 413 before they are read, including sign-in's and server actions'", async ({
  page,
}) => {
  await signUp(page, newAccount());
  const big = "x".repeat(2 * 1024 * 1024);
  const signIn = await page.request.post("/api/auth/callback/credentials", {
    form: { email: big, password: "x", csrfToken: "x" },
    maxRedirects: 0,
  });
  expect(signIn.status()).toBe(413);
  expect(((await signIn.json()) as { error: { code: string } }).error.code).toBe("BODY_TOO_LARGE");
  const apiKey = await page.request.post("/api/account/api-keys", {
    headers: sameOriginHeaders,
    data: { name: big, scopes: ["push"], packageGlob: "*", expiresInDays: 1 },
  });
  expect(apiKey.status()).toBe(413);
  expect(((await apiKey.json()) as { error: { code: string } }).error.code).toBe("BODY_TOO_LARGE");
  // Server actions post to their page: the sign-up form's, as a browser sends it.
  const action = await page.request.post("/signup", {
    headers: { ...sameOriginHeaders, "Next-Action": "0".repeat(42) },
    multipart: { email: big, password: "x" },
    maxRedirects: 0,
  });
  expect(action.status()).toBe(413);
  expect(((await action.json()) as { error: { code: string } }).error.code).toBe("BODY_TOO_LARGE");
});

test("a server action whose body declares no length (chunked) is refused with 411, not cut off with a 500", async () => {
  // Playwright's request context always declares the length, so this one is sent by hand in chunks.
  const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
    const request = httpRequest(
      `${e2eBaseUrl}/signup`,
      {
        method: "POST",
        headers: {
          ...sameOriginHeaders,
          "Next-Action": "0".repeat(42),
          "Content-Type": "text/plain;charset=UTF-8",
          "Transfer-Encoding": "chunked",
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
      },
    );
    request.on("error", reject);
    for (let chunk = 0; chunk < 4; chunk += 1) request.write("x".repeat(32 * 1024));
    request.end();
  });
  expect(answer.status).toBe(411);
  expect((JSON.parse(answer.body) as { error: { code: string } }).error.code).toBe("LENGTH_REQUIRED");
});
