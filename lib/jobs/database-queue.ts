// The job queue of the embedded (SQLite) gallery: jobs are rows of BackgroundJob, taken by one
// in-process runner at a time. A running job holds a lease that the runner renews while it
// works; a job whose lease ran out belonged to a process that stopped, and is taken again.
import { hostname } from "node:os";
import type { Db } from "@/lib/db";
import {
  JOB_KINDS,
  MAX_ATTEMPTS,
  type JobHandlers,
  type JobKind,
  type JobPayloads,
  type JobQueue,
  type SendOptions,
} from "./queue";

export interface DatabaseQueueOptions {
  /** How long a taken job stays the runner's without a renewal. */
  leaseMs?: number;
  /** How often an idle runner looks for work. */
  pollMs?: number;
}

type ClaimedJob = { id: string; kind: string; payload: string; attempts: number };

export class DatabaseJobQueue implements JobQueue {
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly owner = `${hostname()}+${process.pid}`;
  private running: Promise<void> | null = null;
  private stopping = false;
  private wake: (() => void) | null = null;

  constructor(
    private readonly db: Db,
    options: DatabaseQueueOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 60_000;
    this.pollMs = options.pollMs ?? 1_000;
  }

  async send<Kind extends JobKind>(kind: Kind, payload: JobPayloads[Kind], options: SendOptions = {}): Promise<void> {
    const singletonKey = options.singletonKey ?? null;
    await this.db.$transaction(async (tx) => {
      if (
        singletonKey !== null &&
        (await tx.backgroundJob.count({ where: { kind, singletonKey, state: "QUEUED" } })) > 0
      )
        return;
      await tx.backgroundJob.create({
        data: { kind, payload: JSON.stringify(payload), singletonKey, state: "QUEUED" },
      });
    });
    this.wake?.();
  }

  async work(handlers: JobHandlers): Promise<void> {
    if (this.running) return;
    this.stopping = false;
    this.running = this.loop(handlers);
  }

  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    await this.running;
    this.running = null;
  }

  private async loop(handlers: JobHandlers): Promise<void> {
    while (!this.stopping) {
      let job: ClaimedJob | null = null;
      try {
        job = await this.claim();
        if (job) await this.run(job, handlers);
      } catch (failure) {
        console.error("[signet] job queue:", failure);
      }
      if (!job && !this.stopping) {
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, this.pollMs);
          this.wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        this.wake = null;
      }
    }
  }

  /** Takes the oldest job due (or abandoned); null when there is none. A lost race tries again. */
  private async claim(): Promise<ClaimedJob | null> {
    for (;;) {
      const now = new Date();
      const candidate = await this.db.backgroundJob.findFirst({
        where: {
          kind: { in: [...JOB_KINDS] },
          OR: [
            { state: "QUEUED", runAfter: { lte: now } },
            { state: "RUNNING", lockedUntil: { lt: now } },
          ],
        },
        orderBy: { createdAt: "asc" },
        select: { id: true, kind: true, payload: true, attempts: true, state: true },
      });
      if (!candidate) return null;
      // Taken only if nobody took it since it was read (same state and attempt count).
      const { count } = await this.db.backgroundJob.updateMany({
        where: { id: candidate.id, state: candidate.state, attempts: candidate.attempts },
        data: {
          state: "RUNNING",
          attempts: candidate.attempts + 1,
          lockedBy: this.owner,
          lockedUntil: new Date(now.getTime() + this.leaseMs),
        },
      });
      if (count === 1) return { ...candidate, attempts: candidate.attempts + 1 };
    }
  }

  private async run(job: ClaimedJob, handlers: JobHandlers): Promise<void> {
    const renew = setInterval(
      () => {
        this.db.backgroundJob
          .updateMany({
            where: { id: job.id, lockedBy: this.owner, state: "RUNNING" },
            data: { lockedUntil: new Date(Date.now() + this.leaseMs) },
          })
          .catch((failure: unknown) => console.error("[signet] job lease renewal:", failure));
      },
      Math.max(10, Math.floor(this.leaseMs / 3)),
    );
    try {
      const handler = handlers[job.kind as JobKind] as (payload: unknown) => Promise<void>;
      await handler(JSON.parse(job.payload));
      await this.db.backgroundJob.updateMany({
        where: { id: job.id, lockedBy: this.owner },
        data: { state: "DONE", finishedAt: new Date(), lockedBy: null, lockedUntil: null },
      });
    } catch (failure) {
      const message = failure instanceof Error ? failure.message : String(failure);
      const lastAttempt = job.attempts >= MAX_ATTEMPTS;
      await this.db.backgroundJob.updateMany({
        where: { id: job.id, lockedBy: this.owner },
        data: lastAttempt
          ? { state: "FAILED", lastError: message, finishedAt: new Date(), lockedBy: null, lockedUntil: null }
          : {
              state: "QUEUED",
              lastError: message,
              runAfter: new Date(Date.now() + 2_000 * 2 ** (job.attempts - 1)),
              lockedBy: null,
              lockedUntil: null,
            },
      });
      console.error(`[signet] job ${job.kind} ${job.id} failed (attempt ${job.attempts} of ${MAX_ATTEMPTS}):`, message);
    } finally {
      clearInterval(renew);
    }
  }
}
