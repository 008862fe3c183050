// The hostile corpus (test/hostile/hostile-corpus.ts, over 500 packages) through both ways in:
// the NuGet push API (PUT /api/v2/package with an API key) and the browser upload route
// (POST /api/uploads, then submitting the preview), called in-process. Every request must end
// within its own time limit with a 4xx (never a 5xx), carry a specific code for what the package
// was built to be refused for, and leave nothing behind but quarantine records and files.
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { Db } from "@/lib/db";
import type { ErrorBody } from "@/lib/http/errors";
import { testDialects, useAppDatabase } from "@/test/db/scratch";
import { createAccounts, createKeySecret, useScratchStorage } from "@/test/api/push-support";
import { GENERIC_CODES, hostileCorpus, refusedAsExpected, type HostilePackage } from "./hostile-corpus";
import { readdir } from "node:fs/promises";
import path from "node:path";

const session = vi.hoisted(() => ({ userId: undefined as string | undefined }));

vi.mock("next-auth", async (importOriginal) => ({
  ...(await importOriginal<typeof import("next-auth")>()),
  getServerSession: async () => (await import("@/test/support/session-stand-in")).standInSession(session.userId),
}));

const ORIGIN = "http://gallery.test";
/** No single request may take longer: a hang is a failure, not a slow test. */
const REQUEST_TIMEOUT_MS = 20_000;

interface Issue {
  code: string;
  level: string;
}

function multipart(bytes: Uint8Array): FormData {
  const form = new FormData();
  form.append("package", new Blob([new Uint8Array(bytes)], { type: "application/octet-stream" }), "hostile.nupkg");
  return form;
}

async function withinTimeLimit<T>(label: string, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${label} did not answer within ${REQUEST_TIMEOUT_MS} ms`)),
      REQUEST_TIMEOUT_MS,
    );
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function errorCodes(issues: readonly Issue[] | undefined): string[] {
  return (issues ?? []).filter((issue) => issue.level === "error").map((issue) => issue.code);
}

async function filesUnder(root: string, folder = ""): Promise<string[]> {
  const entries = await readdir(path.join(root, folder), { withFileTypes: true }).catch(() => []);
  const nested = await Promise.all(
    entries.map((entry) =>
      entry.isDirectory() ? filesUnder(root, `${folder}${entry.name}/`) : [`${folder}${entry.name}`],
    ),
  );
  return nested.flat();
}

describe.each(testDialects())("hostile corpus on %s", (dialect) => {
  const database = useAppDatabase(dialect);
  const storageRoot = useScratchStorage();
  const corpus = hostileCorpus();
  let db: Db;
  let pushRoute: typeof import("@/app/api/v2/package/route");
  let uploadRoute: typeof import("@/app/api/uploads/route");
  let submitRoute: typeof import("@/app/api/uploads/[id]/submit/route");
  let apiKey: string;

  beforeAll(async () => {
    // Keep every refused file, so the test sees that each lands in quarantine and nowhere else.
    vi.stubEnv("SIGNET_QUARANTINE_BYTES", String(Number.MAX_SAFE_INTEGER));
    vi.stubEnv("SIGNET_QUARANTINE_FILES_PER_HOUR", "100000");
    db = database();
    const { mallory } = await createAccounts(db, ["mallory"]);
    session.userId = mallory;
    apiKey = await createKeySecret(db, mallory);
    pushRoute = await import("@/app/api/v2/package/route");
    uploadRoute = await import("@/app/api/uploads/route");
    submitRoute = await import("@/app/api/uploads/[id]/submit/route");
  });

  it("has more than 500 packages, each with a unique name", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(500);
    expect(new Set(corpus.map((hostile) => hostile.name)).size).toBe(corpus.length);
  });

  /** Checks one refusal: a 4xx, its code specific, and the reason the package was built for. */
  function expectRefused(
    hostile: HostilePackage,
    route: string,
    status: number,
    firstCode: string | undefined,
    codes: string[],
  ): void {
    const label = `${route} ${hostile.name}`;
    expect(status, label).toBeGreaterThanOrEqual(400);
    expect(status, label).toBeLessThan(500);
    expect(firstCode, label).toBeDefined();
    expect(GENERIC_CODES.has(firstCode!), `${label} was refused only with ${firstCode}`).toBe(false);
    expect(
      refusedAsExpected(hostile, codes),
      `${label}: expected ${String(hostile.expected)}, got ${codes.join(", ")}`,
    ).toBe(true);
  }

  it("refuses every package pushed with the NuGet client's API, each for its own reason", async () => {
    for (const hostile of corpus) {
      const request = new Request(`${ORIGIN}/api/v2/package`, {
        method: "PUT",
        body: multipart(hostile.bytes),
        headers: { "X-NuGet-ApiKey": apiKey },
      });
      const response = await withinTimeLimit(`push ${hostile.name}`, pushRoute.PUT(request));
      // The shared error body: the first error's code, and every issue when there is more than one to say.
      const body = (await response.json()) as ErrorBody;
      expectRefused(
        hostile,
        "push",
        response.status,
        body.error.code,
        body.issues ? errorCodes(body.issues) : [body.error.code],
      );
    }
  }, 600_000);

  it("refuses every package uploaded in the browser at once, recorded as refused with nothing left to submit", async () => {
    for (const hostile of corpus) {
      const upload = new Request(`${ORIGIN}/api/uploads`, {
        method: "POST",
        body: multipart(hostile.bytes),
        headers: { origin: ORIGIN },
      });
      const response = await withinTimeLimit(`upload ${hostile.name}`, uploadRoute.POST(upload));
      if (response.status !== 201) {
        // Refused before judging (an empty file): the shared error shape.
        const { error } = (await response.json()) as { error: { code: string } };
        expectRefused(hostile, "upload", response.status, error.code, [error.code]);
        continue;
      }
      const { preview } = (await response.json()) as {
        preview: { attemptId: string; refused: boolean; issues: Issue[] };
      };
      expect(preview.refused, hostile.name).toBe(true);
      const codes = errorCodes(preview.issues);
      expect(
        GENERIC_CODES.has(codes[0] ?? "REQUEST_REFUSED"),
        `upload ${hostile.name} was refused only with ${codes[0]}`,
      ).toBe(false);
      expect(
        refusedAsExpected(hostile, codes),
        `upload ${hostile.name}: expected ${String(hostile.expected)}, got ${codes.join(", ")}`,
      ).toBe(true);
      const submit = new Request(`${ORIGIN}/api/uploads/${preview.attemptId}/submit`, {
        method: "POST",
        headers: { origin: ORIGIN },
      });
      const submitted = await withinTimeLimit(
        `submit ${hostile.name}`,
        submitRoute.POST(submit, { params: Promise.resolve({ id: preview.attemptId }) }),
      );
      expect(submitted.status, `submit ${hostile.name}`).toBe(409);
    }
  }, 900_000);

  it("leaves nothing but quarantine records and files", async () => {
    expect(await db.packageVersion.count()).toBe(0);
    expect(await db.packageRegistration.count()).toBe(0);
    const attempts = await db.uploadAttempt.groupBy({ by: ["status"], _count: true });
    expect(attempts).toEqual([{ status: "REJECTED", _count: expect.any(Number) }]);
    const files = await filesUnder(storageRoot);
    expect(files.filter((file) => !file.startsWith("quarantine/"))).toEqual([]);
    const kept = await db.uploadAttempt.count({ where: { storageKey: { not: null } } });
    expect(files).toHaveLength(kept);
  });
});
