import type { FastifyPluginAsync } from 'fastify';
import type { AuditWriter } from '../kernel/audit.js';
import type { Config } from '../kernel/config.js';
import type { Database, Db } from '../kernel/db.js';
import type { DomainEvents } from '../kernel/events.js';
import type { Job, JobQueue, WorkOptions } from '../kernel/jobs.js';
import type { Logger } from '../kernel/logging.js';
import type { Catalog, KeyRing, ProviderResolver, Registry, SealedColumn } from '../providers/index.js';

/**
 * The module template's contract (docs/ARCHITECTURE.md, "Modules"). This is the one file under `modules/` that is
 * not a module: what the composition root hands every module, and what every module hands back.
 */

/** What every module's `create` receives from the composition root. */
export interface Platform {
  config: Config;
  logger: Logger;
  database: Database;
  db: Db;
  now: () => Date;
  keyRing: KeyRing;
  catalog: Catalog;
  resolver: ProviderResolver;
  /** The tenancy module's audit log, written in the caller's transaction. */
  audit: AuditWriter;
  /** The job queue, when this process has one: modules send jobs through it. */
  jobs?: JobQueue;
  /**
   * Domain events (kernel/events.ts): a module publishes in its own statement or transaction and wakes the relay;
   * other modules `subscribe` in `create`. Subscribers must be idempotent by the event's id.
   */
  events: DomainEvents;
}

/**
 * A background job of a module. Queue names are `<module>.<job>` in kebab case (`lending.close-of-business`).
 * The composition root registers every module's workers (when PLINTH_WORKERS is on) after the server listens.
 */
export interface Worker<T = unknown> {
  queue: string;
  handle(jobs: Job<T>[]): Promise<void>;
  options?: WorkOptions & {
    /** Workers of this queue in one process (each takes one job at a time). */
    copies?: number;
  };
  /** A cron expression (UTC): the queue also gets a job on this schedule. */
  schedule?: string;
  /** Runs once after the worker is registered: sends again what a crash interrupted. */
  resume?(): Promise<void>;
}

/** A created module: its services (for other modules, the CLI and tests), its routes and workers. */
export interface PlinthModule<S = unknown> {
  name: string;
  services: S;
  /** Every HTTP route of the module, as one Fastify plugin (closing over its services). */
  routes?: FastifyPluginAsync;
  workers?: readonly Worker[];
  close?(): Promise<void>;
}

/**
 * A module as the composition root sees it before anything runs: its name, the provider registries it declares
 * (the catalog is built from every module's before any module is created), and how to create it from the platform
 * and the services it needs from modules created before it.
 */
export interface ModuleDefinition<S, Needs = Record<string, never>> {
  name: string;
  registries?(): Registry[];
  /** The module's columns of sealed secrets, which `plinth keys rotate` re-seals under a new master key. */
  sealed?: readonly SealedColumn[];
  create(platform: Platform, needs: Needs): Promise<PlinthModule<S>> | PlinthModule<S>;
}
