import { notFound } from "next/navigation";
import { IssueError } from "@/lib/issues";

/** Awaits a lookup, showing the 404 page when it fails with `notFoundCode`. */
export async function loadOrNotFound<T>(lookup: Promise<T>, notFoundCode: string): Promise<T> {
  try {
    return await lookup;
  } catch (caught) {
    if (caught instanceof IssueError && caught.code === notFoundCode) notFound();
    throw caught;
  }
}
