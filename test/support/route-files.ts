// Every route file under app/, found on disk, and its state-changing handlers: for tests that
// must hold for each route, so a new route is covered (or must be listed) without editing them.
import { readdirSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const MUTATING = ["POST", "PUT", "PATCH", "DELETE"] as const;

export type RouteHandler = (request: Request, context: { params: Promise<Record<string, string>> }) => Promise<Response>;

export interface MutatingHandler {
  /** The route file relative to app/, e.g. "api/account/api-keys/route.ts". */
  file: string;
  method: (typeof MUTATING)[number];
  handler: RouteHandler;
}

export function routeFiles(): string[] {
  return readdirSync(path.join(ROOT, "app"), { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => file.split(path.sep).join("/"))
    .sort();
}

/** Every dynamic segment gets a value that matches no row. */
export function paramsFor(file: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const match of file.matchAll(/\[([a-z]+)\]/g)) params[match[1] as string] = "no-such-row";
  return params;
}

/** The route's address with its dynamic segments filled as paramsFor fills them. */
export function urlFor(origin: string, file: string): string {
  return `${origin}/${file.replace(/\/route\.ts$/, "").replace(/\[\.\.\.([a-z]+)\]/g, "callback/credentials").replace(/\[([a-z]+)\]/g, "no-such-row")}`;
}

/** Imports every route file (call after any module reset the test relies on). */
export async function mutatingHandlers(): Promise<MutatingHandler[]> {
  const cells: MutatingHandler[] = [];
  for (const file of routeFiles()) {
    const module = (await import(/* @vite-ignore */ path.join(ROOT, "app", file))) as Partial<Record<string, RouteHandler>>;
    for (const method of MUTATING) {
      const handler = module[method];
      if (handler) cells.push({ file, method, handler });
    }
  }
  return cells;
}
