import type { Scope } from '../../../kernel/audit.js';
import { isUniqueViolation } from '../../../kernel/db.js';
import { isUuid, uuidv7 } from '../../../kernel/ids.js';
import { err, failure, notFound, ok, type Result } from '../../../kernel/result.js';
import type { CardServiceDeps } from '../categories/service.js';
import { type LoanExists, ownerProblem } from '../domain/owners.js';
import type { CardRow } from '../tables.js';
import * as store from './store.js';

export const CARD_STATUSES = ['active', 'frozen', 'closed'] as const;
export type CardStatus = (typeof CARD_STATUSES)[number];

/** An issuer's card and who owns it: the card_owner resolver finds the owner's lines of credit through it. */
export type Card = CardRow & { status: CardStatus };

export interface CardInput {
  cardId: string;
  ownerType: string;
  ownerRef: string;
  status?: CardStatus;
}

export type CardFilter = store.CardFilter & { status?: CardStatus };

const duplicate = (cardId: string) =>
  failure('conflict', 'duplicate_card', `card ${cardId} is already registered`, {
    fields: [{ path: 'card_id', message: 'already registered' }],
  });

export class CardService {
  constructor(private readonly deps: CardServiceDeps & { loanExists: LoanExists }) {}

  /** Fails with `unknown_owner` when the owner is a loan the tenant does not have. */
  async registerCard(scope: Scope, input: CardInput): Promise<Result<Card>> {
    const owner = await ownerProblem(this.deps.loanExists, scope, input);
    if (owner) return err(owner);
    try {
      const row = await this.deps.db.transaction(async (tx) => {
        const created = await store.insertCard(tx, { tenantId: scope.tenantId, id: uuidv7(), ...input });
        await this.deps.audit(tx, scope, {
          action: 'card.registered',
          entityType: 'card',
          entityId: created.id,
          changes: { ...input },
        });
        return created;
      });
      await this.deps.changed(scope.tenantId);
      return ok(row as Card);
    } catch (e) {
      if (isUniqueViolation(e, 'card_cards_card_id')) return err(duplicate(input.cardId));
      throw e;
    }
  }

  async getCard(scope: Scope, id: string): Promise<Result<Card>> {
    const row = isUuid(id) ? await store.findCard(this.deps.db, scope.tenantId, id) : undefined;
    return row ? ok(row as Card) : err(notFound('card'));
  }

  async listCards(scope: Scope, f: CardFilter): Promise<Card[]> {
    if (f.ownerRef && !isUuid(f.ownerRef)) return [];
    const rows = await store.listCards(this.deps.db, scope.tenantId, {
      ...f,
      before: f.before && isUuid(f.before) ? f.before : undefined,
    });
    return rows as Card[];
  }

  /** Freeze, unfreeze or close a card. Closing is final. */
  async setCardStatus(scope: Scope, id: string, status: CardStatus): Promise<Result<Card>> {
    const current = await this.getCard(scope, id);
    if (!current.ok) return current;
    const closed = failure('conflict', 'card_closed', `card ${current.value.cardId} is closed`);
    if (current.value.status === 'closed') return err(closed);
    const row = await this.deps.db.transaction(async (tx) => {
      const updated = await store.setCardStatus(tx, scope.tenantId, id, status);
      if (updated)
        await this.deps.audit(tx, scope, {
          action: 'card.status_changed',
          entityType: 'card',
          entityId: id,
          changes: { before: current.value.status, after: status },
        });
      return updated;
    });
    if (!row) return err(closed);
    await this.deps.changed(scope.tenantId);
    return ok(row as Card);
  }
}
