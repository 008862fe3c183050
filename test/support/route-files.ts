// Every route file under app/, found on disk, and its state-changing handlers: for tests that
// must hold for each route, so a new route is covered (or must be listed) without editing them.
import { readdirSync } from "node:fs";
import path from "node:path";

const ROOT = path.resolve(import.meta.dirname, "../..");
export const MUTATING = ["POST", "PUT", "PATCH", "DELETE"] as const;
export const METHODS = ["GET", "HEAD", ...MUTATING] as const;

export type RouteHandler = (
  request: Request,
  context: { params: Promise<Record<string, string | string[]>> },
) => Promise<Response>;

export interface MethodHandler<Method extends string = (typeof METHODS)[number]> {
  /** The route file relative to app/, e.g. "api/account/api-keys/route.ts". */
  file: string;
  method: Method;
  handler: RouteHandler;
}

export type MutatingHandler = MethodHandler<(typeof MUTATING)[number]>;

export function routeFiles(): string[] {
  return readdirSync(path.join(ROOT, "app"), { recursive: true, encoding: "utf8" })
    .filter((file) => path.basename(file) === "route.ts")
    .map((file) => file.split(path.sep).join("/"))
    .sort();
}

// What a catch-all segment ([...name]) is filled with: next-auth's credentials callback, the one
// catch-all a test needs to reach; elsewhere it names nothing that exists.
const CATCH_ALL = ["callback", "credentials"];

/** Every dynamic segment gets a value that matches no row (and the same value urlFor puts in the address). */
export function paramsFor(file: string): Record<string, string | string[]> {
  const params: Record<string, string | string[]> = {};
  for (const match of file.matchAll(/\[([A-Za-z]+)\]/g)) params[match[1] as string] = "no-such-row";
  for (const match of file.matchAll(/\[\.\.\.([A-Za-z]+)\]/g)) params[match[1] as string] = CATCH_ALL;
  return params;
}

/** The route's address with its dynamic segments filled as paramsFor fills them. */
export function urlFor(origin: string, file: string): string {
  return `${origin}/${file
    .replace(/\/route\.ts$/, "")
    .replace(/\[\.\.\.([A-Za-z]+)\]/g, CATCH_ALL.join("/"))
    .replace(/\[([A-Za-z]+)\]/g, "no-such-row")}`;
}

/** Imports every route file and returns its handlers for these methods (call after any module reset the test relies on). */
export async function routeHandlers<Method extends (typeof METHODS)[number]>(
  methods: readonly Method[],
): Promise<MethodHandler<Method>[]> {
  const cells: MethodHandler<Method>[] = [];
  for (const file of routeFiles()) {
    const routeModule = (await import(/* @vite-ignore */ path.join(ROOT, "app", file))) as Partial<
      Record<string, RouteHandler>
    >;
    for (const method of methods) {
      const handler = routeModule[method];
      if (handler) cells.push({ file, method, handler });
    }
  }
  return cells;
}

export function mutatingHandlers(): Promise<MutatingHandler[]> {
  return routeHandlers(MUTATING);
}
