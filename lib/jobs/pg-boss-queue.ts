// The job queue on PostgreSQL: pg-boss, in its own "pgboss" schema of the gallery's database, so
// every app instance sends to and works from one queue and each job runs once. A worker sends
// heartbeats while it runs a job; a job whose heartbeats stop (its process died) is retried.
import { PgBoss } from "pg-boss";
import {
  JOB_KINDS,
  MAX_ATTEMPTS,
  type JobHandlers,
  type JobKind,
  type JobPayloads,
  type JobQueue,
  type SendOptions,
} from "./queue";

export interface PgBossQueueOptions {
  /** A job is retried when its worker sends no heartbeat for this long (pg-boss allows 10 s at least). */
  heartbeatSeconds?: number;
  /** How often an idle worker polls (it is also woken by NOTIFY when pg-boss can use it). */
  pollSeconds?: number;
  /** How often pg-boss looks for jobs whose heartbeats stopped (its supervise and monitor passes). */
  superviseSeconds?: number;
}

export class PgBossJobQueue implements JobQueue {
  private readonly boss: PgBoss;
  private ready: Promise<void> | null = null;
  private working = false;

  constructor(
    connectionString: string,
    private readonly options: PgBossQueueOptions = {},
  ) {
    const superviseSeconds = options.superviseSeconds ?? 30;
    this.boss = new PgBoss({
      connectionString,
      superviseIntervalSeconds: superviseSeconds,
      monitorIntervalSeconds: superviseSeconds,
      schedule: false,
    });
    this.boss.on("error", (failure) => console.error("[signet] pg-boss:", failure));
  }

  /** Starts pg-boss (creating or migrating its schema) and the queues, once. */
  private start(): Promise<void> {
    this.ready ??= (async () => {
      await this.boss.start();
      const existing = new Set((await this.boss.getQueues()).map((queue) => queue.name));
      for (const kind of JOB_KINDS) {
        if (existing.has(kind)) continue;
        // "stately": at most one waiting and one running job per singleton key.
        await this.boss.createQueue(kind, {
          policy: "stately",
          retryLimit: MAX_ATTEMPTS - 1,
          retryDelay: 2,
          retryBackoff: true,
          heartbeatSeconds: this.options.heartbeatSeconds ?? 30,
          // Heartbeats decide whether a worker is gone; this only bounds a stuck job.
          expireInSeconds: 6 * 60 * 60,
        });
      }
    })().catch((failure: unknown) => {
      this.ready = null;
      throw failure;
    });
    return this.ready;
  }

  async send<Kind extends JobKind>(kind: Kind, payload: JobPayloads[Kind], options: SendOptions = {}): Promise<void> {
    await this.start();
    // pg-boss answers null when a stately queue already holds a waiting job with the key.
    await this.boss.send(kind, payload, options.singletonKey ? { singletonKey: options.singletonKey } : {});
  }

  async work(handlers: JobHandlers): Promise<void> {
    if (this.working) return;
    this.working = true;
    await this.start();
    for (const kind of JOB_KINDS) {
      const handler = handlers[kind] as (payload: unknown) => Promise<void>;
      await this.boss.work(
        kind,
        { pollingIntervalSeconds: this.options.pollSeconds ?? 2, batchSize: 1 },
        async (jobs) => {
          for (const job of jobs) await handler(job.data);
        },
      );
    }
  }

  async stop(): Promise<void> {
    if (!this.ready) return;
    await this.boss.stop({ graceful: true });
    this.ready = null;
    this.working = false;
  }
}
