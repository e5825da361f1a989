import type { Scope } from '../../../kernel/audit.js';
import { type CalendarDate, dateInZone } from '../../../kernel/dates.js';
import type { Db } from '../../../kernel/db.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import { err, type Failure, failure, ok, type Result } from '../../../kernel/result.js';
import type { ProviderResolver } from '../../../providers/index.js';
import type { CustomerService, TenantService } from '../../tenancy/index.js';
import {
  type AprAccuracyCheck,
  type AprCalculator,
  type BorrowerFacts,
  type CashFlowFacts,
  type ComplianceContext,
  type Evaluation,
  evaluateRules,
  type HookPoint,
  type Remedy,
  type UnderwritingFacts,
} from '../domain/index.js';
import type { OfacService } from '../ofac/service.js';
import type { ComplianceCheckRow } from '../tables.js';
import { borrowerOf, UNKNOWN_BORROWER } from './borrower.js';
import type { BorrowerCache } from './borrower-cache.js';
import {
  type CheckView,
  type ComplianceGate,
  checkViewJson,
  type GateDecision,
  type GateOptions,
  type GateRequest,
  type HookFacts,
} from './gate.js';
import * as store from './store.js';

export type ComplianceCheck = ComplianceCheckRow;

/**
 * The aggregation module's cash-flow summary of a borrower's linked deposit accounts through `asOf`; null when the
 * customer has none. Aggregation is created after compliance, so the composition root sets it (setCashFlowSource).
 */
export type CashFlowSource = (
  scope: Scope,
  customer: { id: string; timeZone: string | null },
  asOf: CalendarDate,
) => Promise<CashFlowFacts | null>;

const NOTHING_LISTENS: GateDecision = {
  evaluationId: null,
  outcome: 'pass',
  checks: [],
  remedies: [],
  pending: [],
};

/** Hooks whose context has no borrower unless the caller knows one (a quote for a prospect). */
const BORROWER_OPTIONAL: ReadonlySet<HookPoint> = new Set(['quote']);

/**
 * The compliance gate: resolves the set of rule configs that apply (the tenant's, with the program's overrides),
 * runs those listening at the hook, stores every evaluation and decides. A block is a failure naming the rule and
 * its citation; the gated module then writes nothing. A hook with no rule listening costs no database access.
 */
export class ComplianceService implements ComplianceGate {
  #cashFlow: CashFlowSource | null = null;

  constructor(
    private readonly deps: {
      db: Db;
      resolver: ProviderResolver;
      customers: CustomerService;
      tenants: TenantService;
      ofac: OfacService;
      apr: AprCalculator;
      aprAccuracy: AprAccuracyCheck;
      now: () => Date;
      /** The customers' borrower facts as read, dropped when tenancy says a customer changed. */
      borrowers: BorrowerCache;
    },
  ) {}

  check<H extends HookPoint>(
    scope: Scope,
    request: GateRequest<H>,
    options?: GateOptions,
  ): Promise<Result<GateDecision>> {
    return this.checkAll(scope, [request], options);
  }

  /** Where ability_to_repay's measured income comes from (the aggregation module's summary). */
  setCashFlowSource(source: CashFlowSource): void {
    this.#cashFlow = source;
  }

  /**
   * Several hooks of one operation on one borrower (an approval and the late fee its terms set): one read of the
   * borrower, one insert of every evaluation, one decision (the worst outcome; a block names the first).
   */
  async checkAll(
    scope: Scope,
    requests: readonly GateRequest[],
    options: GateOptions = {},
  ): Promise<Result<GateDecision>> {
    const { resolver, ofac, apr, aprAccuracy } = this.deps;
    const first = requests[0];
    if (!first) return ok(NOTHING_LISTENS);
    const set = await resolver.resolveSet(scope.tenantId, 'compliance_rule', first.programId ?? null);
    const listening = requests.map((r) => set.filter((m) => m.instance.hooks.includes(r.hook)));
    if (listening.every((m) => m.length === 0)) return ok(NOTHING_LISTENS);

    const borrower = await this.#borrower(scope, first);
    if (!borrower.ok) return borrower;
    const now = this.deps.now();
    const asOf = first.asOf ?? dateInZone(now, await this.deps.tenants.timeZone(scope.tenantId));
    const sdn = set.some((m) => m.providerKey === 'ofac_screening')
      ? await ofac.index(scope.tenantId)
      : undefined;
    const evaluationId = uuidv7();
    const rows: store.NewCheck[] = [];
    const remedies: Remedy[] = [];
    let outcome = 'pass' as 'pass' | 'warn' | 'block';
    const underwriting = await Promise.all(
      requests.map((r, k) => this.#underwriting(scope, r, listening[k]!, borrower.value, r.asOf ?? asOf)),
    );
    requests.forEach((request, k) => {
      const members = listening[k]!;
      if (members.length === 0) return;
      const ctx = {
        hook: request.hook,
        asOf: request.asOf ?? asOf,
        now,
        ...request.facts,
        ...(underwriting[k] && { underwriting: underwriting[k] }),
        ...(borrower.value && { borrower: borrower.value }),
      } as ComplianceContext;
      // The domain's runner, over configs that all listen at the hook: results come back in the members' order.
      const evaluated = evaluateRules(
        members.map((m) => m.instance),
        ctx,
        { apr, aprAccuracy, sdn },
      );
      if (evaluated.outcome === 'block' || (evaluated.outcome === 'warn' && outcome === 'pass'))
        outcome = evaluated.outcome;
      evaluated.results.forEach((r, i) => {
        rows.push(this.#row(scope, request, evaluationId, members[i]!.providerConfigId, r, now));
        if (r.outcome !== 'pass' && r.remedy) remedies.push(r.remedy);
      });
    });
    const byCaller = options.store === 'caller' && outcome !== 'block';
    if (!byCaller) await store.insertChecks(this.deps.db, rows);
    const checks = rows.map(viewOf);
    if (outcome === 'block') return err(blocked(first.hook, evaluationId, checks));
    return ok({ evaluationId, outcome, checks, remedies, pending: byCaller ? rows : [] });
  }

  /**
   * An approval's underwriting facts with the cash-flow summary of the borrower's linked accounts through the
   * approval's date, when ability_to_repay listens and the caller did not supply one; undefined: as the caller gave.
   */
  async #underwriting(
    scope: Scope,
    request: GateRequest,
    members: readonly { providerKey: string }[],
    borrower: BorrowerFacts | undefined,
    asOf: CalendarDate,
  ): Promise<UnderwritingFacts | undefined> {
    if (request.hook !== 'approval' || !this.#cashFlow || !borrower?.customerId) return undefined;
    if (!members.some((m) => m.providerKey === 'ability_to_repay')) return undefined;
    const given = (request.facts as HookFacts<'approval'>).underwriting;
    if (given?.cashFlow) return undefined;
    const customer = { id: borrower.customerId, timeZone: borrower.timeZones[0] ?? null };
    const cashFlow = await this.#cashFlow(scope, customer, asOf);
    return cashFlow ? { ...given, cashFlow } : undefined;
  }

  async #borrower(scope: Scope, request: GateRequest): Promise<Result<BorrowerFacts | undefined>> {
    if (request.borrower) return ok(request.borrower);
    if (request.customerId) {
      const { customers, borrowers } = this.deps;
      const customerId = request.customerId;
      const found = await borrowers.get(scope.tenantId, customerId, async () => {
        const customer = await customers.get(scope, customerId);
        return customer.ok ? borrowerOf(customer.value) : undefined;
      });
      if (!found) return err(failure('unprocessable', 'unknown_customer', 'customer_id: no such customer'));
      return ok(found);
    }
    return ok(BORROWER_OPTIONAL.has(request.hook) ? undefined : UNKNOWN_BORROWER);
  }

  #row(
    scope: Scope,
    request: GateRequest,
    evaluationId: string,
    providerConfigId: string,
    r: Evaluation,
    at: Date,
  ): store.NewCheck {
    return {
      tenantId: scope.tenantId,
      id: uuidv7(),
      evaluationId,
      hook: request.hook,
      subjectType: request.subject.type,
      subjectId: request.subject.id,
      programId: request.programId ?? null,
      rule: r.rule,
      providerConfigId,
      outcome: r.outcome,
      reasons: r.reasons,
      citation: r.citation,
      facts: r.facts ?? null,
      remedy: r.remedy ?? null,
      requestId: scope.requestId ?? null,
      at,
    };
  }

  async list(
    scope: Scope,
    filter: store.CheckFilter & { limit: number; before?: string },
  ): Promise<ComplianceCheck[]> {
    return store.listChecks(this.deps.db, scope.tenantId, {
      ...filter,
      before: filter.before && isUuid(filter.before) ? filter.before : undefined,
    });
  }

  /** Every warn and block of [from, to), oldest first, read in pages: the compliance_exceptions report's rows. */
  async *exceptions(
    tenantId: string,
    period: { from: Date; to: Date },
    pageSize = 1000,
  ): AsyncIterable<ComplianceCheck> {
    let after: string | null = null;
    for (;;) {
      const page = await store.checksPage(
        this.deps.db,
        tenantId,
        { exceptions: true, ...period },
        after,
        pageSize,
      );
      yield* page;
      if (page.length < pageSize) return;
      after = page.at(-1)!.id;
    }
  }
}

function viewOf(r: store.NewCheck): CheckView {
  return {
    id: r.id,
    rule: r.rule as CheckView['rule'],
    outcome: r.outcome,
    reasons: r.reasons,
    citation: r.citation,
    facts: r.facts ?? null,
    remedy: r.remedy ?? null,
  };
}

/** 422 `compliance_blocked`: the first blocking rule and its citation in the title, every block listed. */
function blocked(hook: HookPoint, evaluationId: string, checks: readonly CheckView[]): Failure {
  const blocks = checks.filter((c) => c.outcome === 'block');
  const first = blocks[0]!;
  return failure(
    'unprocessable',
    'compliance_blocked',
    `blocked at ${hook} by ${first.rule} (${first.citation}): ${first.reasons.join('; ')}`,
    {
      extra: {
        rule: first.rule,
        citation: first.citation,
        reasons: first.reasons,
        evaluation_id: evaluationId,
        blocks: blocks.map(checkViewJson),
        checks: checks.map(checkViewJson),
      },
    },
  );
}
