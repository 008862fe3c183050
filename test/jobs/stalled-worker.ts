// A job worker that takes one job and never finishes it, for the restart test to kill: prints
// "taken <kind>" once it holds the job. Arguments: the dialect and the database URL.
import { createDb } from "@/lib/db";
import { testJobQueue } from "./test-queue";
import { JOB_KINDS, type JobHandlers } from "@/lib/jobs/queue";

const [dialect, url] = process.argv.slice(2) as ["sqlite" | "postgresql", string];
const queue = testJobQueue(dialect, createDb(url), url);
const hang = (kind: string) => async () => {
  console.log(`taken ${kind}`);
  await new Promise(() => undefined);
};
await queue.work(Object.fromEntries(JOB_KINDS.map((kind) => [kind, hang(kind)])) as unknown as JobHandlers);
