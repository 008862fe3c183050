// The composition root: the gallery process's long-lived dependencies are built here, each on
// first use, and nowhere else: the database client, package storage, the trust store, the
// repository and publication-log signers, the job queue, the download counter, the sign-in
// throttle, the password-hashing gate, pending passkey challenges, the staging files in flight,
// the page cache, and the timers of background work. The folders below take these as arguments;
// only entry points read them here: app/, proxy.ts, instrumentation-node.ts, scripts, and lib/web,
// lib/admin and lib/feed, which scripts/imports/layers.ts puts above this file (every other part
// of lib/ it builds from sits below it). Tests build their own where they need others
// (createDb, new SignInThrottle(), new StagingFiles(), ...).
//
// The one object is kept on globalThis: Next's development server re-evaluates changed modules,
// and held in a module every edit would open another connection pool, start another job worker
// and timers, and forget throttles, passkey challenges and cached pages.
import { azureBlobSettings, dataDir, databaseUrl, downloadFlushMs, storageDir } from "@/lib/config";
import { createDb, type Db } from "@/lib/db";
import { ConcurrencyGate } from "@/lib/auth/hashing-gate";
import { PasskeyChallenges } from "@/lib/auth/webauthn";
import { SignInThrottle } from "@/lib/auth/throttle";
import { GalleryPageCache } from "@/lib/http/page-cache";
import { DownloadCounter } from "@/lib/jobs/downloads";
import { createJobQueue, type JobQueue } from "@/lib/jobs/queues";
import type { TrustStore } from "@/lib/signing";
import { AzureBlobStorage } from "@/lib/storage/azure-blob";
import { STAGING_FOLDER } from "@/lib/storage/keys";
import { LocalFolderStorage } from "@/lib/storage/local-folder";
import type { PackageStorage } from "@/lib/storage/package-storage";
import { parseSignerKey, type NoteSigner } from "@/lib/tlog/note";
import { logSigningKey } from "@/lib/tlog/serve";
import { loadTrustStore } from "@/lib/trust";
import { loadRepositorySigner, type RepositorySigner } from "@/lib/trust/repository-signing";
import { StagingFiles } from "@/lib/uploads/receive";

/** The local folder by default, Azure Blob Storage when configured (so several app instances can share one store). */
function configuredStorage(): PackageStorage {
  const local = new LocalFolderStorage(storageDir());
  const azure = azureBlobSettings();
  return azure ? new AzureBlobStorage({ ...azure, stagingFolder: STAGING_FOLDER, staging: local }) : local;
}

/** What `forget` can drop: the dependencies built from the configuration. */
export type ConfiguredDependency = "db" | "storage" | "trustStore" | "repositorySigner" | "logSigner" | "jobQueue";

export class GalleryServices {
  private db?: Db;
  private storage?: PackageStorage;
  private trustStore?: TrustStore;
  private repositorySigner?: Promise<RepositorySigner>;
  private logSigner?: NoteSigner;
  private jobQueue?: JobQueue;
  private downloadCounter?: DownloadCounter;
  private readonly timers = new Map<string, NodeJS.Timeout>();
  /** One throttle per process: it counts failed sign-ins by address and account. */
  readonly signInThrottle = new SignInThrottle();
  /** One hash at a time leaves the other core of a 2-core server for pages; 16 waiting is ~1.5 s. */
  readonly hashingGate = new ConcurrencyGate(1, 16);
  readonly passkeyChallenges = new PasskeyChallenges();
  /** The staging files this process is writing or judging, which its sweep leaves alone. */
  readonly staging = new StagingFiles();
  readonly pageCache = new GalleryPageCache();

  getDb(): Db {
    return (this.db ??= createDb(databaseUrl()));
  }

  getStorage(): PackageStorage {
    return (this.storage ??= configuredStorage());
  }

  /**
   * The roots uploads are judged against: reading and splitting the PEM bundles for every upload
   * would cost more than verifying the signature, and the engine keeps its own index of each root
   * list, keyed by the list, so handing it the same arrays matters too.
   */
  getTrustStore(): TrustStore {
    if (!this.trustStore) {
      const loaded = loadTrustStore();
      for (const warning of loaded.warnings) console.warn(`[signet] ${warning}`);
      this.trustStore = loaded.store;
    }
    return this.trustStore;
  }

  /**
   * The gallery's repository signer (key files, the development PKI on first start). A failure to
   * load is not kept, so fixing the configuration does not need a restart of every worker.
   */
  getRepositorySigner(): Promise<RepositorySigner> {
    if (!this.repositorySigner) {
      const loading = loadRepositorySigner(dataDir());
      this.repositorySigner = loading;
      loading.catch(() => {
        if (this.repositorySigner === loading) this.repositorySigner = undefined;
      });
    }
    return this.repositorySigner;
  }

  /** The publication log's key (lib/tlog/serve.ts logSigningKey), parsed once. */
  getLogSigner(): NoteSigner {
    return (this.logSigner ??= parseSignerKey(logSigningKey()));
  }

  /** What the upload flows judge and publish with (lib/uploads JudgingContext): the roots now, the signer once a version is published, the staging files. */
  judging(): { trust: TrustStore; repositorySigner: () => Promise<RepositorySigner>; staging: StagingFiles } {
    return { trust: this.getTrustStore(), repositorySigner: () => this.getRepositorySigner(), staging: this.staging };
  }

  getJobQueue(): JobQueue {
    return (this.jobQueue ??= createJobQueue(this.getDb()));
  }

  /** Counts downloads in memory; it reads the database at each flush, so it follows `forget("db")`. */
  getDownloadCounter(): DownloadCounter {
    return (this.downloadCounter ??= new DownloadCounter(() => this.getDb(), downloadFlushMs()));
  }

  /**
   * Drops what was built of `names`, so the next use builds it from the configuration as it is
   * then (a changed storage folder or trust roots; the test suites change them between files).
   * Nothing is closed: the caller still holding one closes it.
   */
  forget(...names: ConfiguredDependency[]): void {
    for (const name of names) this[name] = undefined;
  }

  /**
   * Stops the timers and the job queue, writes the downloads counted so far and disconnects the
   * database, as a process does before it exits; what is built next is new (the test suites
   * close between scratch databases, so counts go to the database they were made against).
   */
  async close(): Promise<void> {
    for (const timer of this.timers.values()) clearInterval(timer);
    this.timers.clear();
    const { jobQueue, downloadCounter, db } = this;
    this.forget("db", "storage", "trustStore", "repositorySigner", "logSigner", "jobQueue");
    this.downloadCounter = undefined;
    await jobQueue?.stop();
    await downloadCounter?.flush();
    await db?.$disconnect();
  }

  /** Runs `tick` every `intervalMs` on a timer that does not keep the process alive; one timer per name, an earlier one stopped. */
  repeat(name: string, tick: () => void, intervalMs: number): () => void {
    clearInterval(this.timers.get(name));
    const timer = setInterval(tick, intervalMs);
    timer.unref();
    this.timers.set(name, timer);
    return () => clearInterval(timer);
  }
}

const holder = globalThis as typeof globalThis & { signetServices?: GalleryServices };

/** The gallery process's dependencies. */
export const services: GalleryServices = (holder.signetServices ??= new GalleryServices());

/** The gallery's database client (the call most entry points make). */
export function getDb(): Db {
  return services.getDb();
}

export function getStorage(): PackageStorage {
  return services.getStorage();
}

export function galleryTrustStore(): TrustStore {
  return services.getTrustStore();
}

export function galleryRepositorySigner(): Promise<RepositorySigner> {
  return services.getRepositorySigner();
}

export function gallerySigner(): NoteSigner {
  return services.getLogSigner();
}
