// The gallery's background work, on a queue that survives restarts: pg-boss when the database
// is PostgreSQL (several app instances share it, each job runs once), the BackgroundJob table
// and an in-process runner on SQLite. Handlers must be idempotent: a job whose process stopped
// midway is run again from the start.

export interface JobPayloads {
  /** Re-verify published versions (those `certificateId` signed, or all) against today's roots. */
  "revalidate-signatures": { certificateId: string | null };
  /** Repository-sign the versions published before the gallery signed what it publishes. */
  "repository-sign-backlog": Record<string, never>;
  /** Add recorded downloads to the packages' totals. */
  "roll-up-downloads": Record<string, never>;
}

export type JobKind = keyof JobPayloads;
export const JOB_KINDS: readonly JobKind[] = ["revalidate-signatures", "repository-sign-backlog", "roll-up-downloads"];

export type JobHandlers = { [Kind in JobKind]: (payload: JobPayloads[Kind]) => Promise<void> };

export interface SendOptions {
  /**
   * While a job of this kind and key waits to start, sending another adds nothing: ten
   * compromise marks of one certificate in a minute queue one revalidation. (One that is
   * already running does not count: it may have passed what the new request is about.)
   */
  singletonKey?: string;
}

export interface JobQueue {
  send<Kind extends JobKind>(kind: Kind, payload: JobPayloads[Kind], options?: SendOptions): Promise<void>;
  /** Starts running queued jobs with these handlers, one at a time, until stop(). */
  work(handlers: JobHandlers): Promise<void>;
  /** Stops taking jobs and waits for the one in hand. */
  stop(): Promise<void>;
}

/** Attempts before a failing job is left FAILED; waits between them double from 2 s. */
export const MAX_ATTEMPTS = 5;
