import { and, desc, eq, lt, ne, sql } from 'drizzle-orm';
import type { Scope } from '../../kernel/audit.js';
import { isUniqueViolation } from '../../kernel/db.js';
import { isUuid, uuidv7 } from '../../kernel/ids.js';
import { err, failure, notFound, ok, type Result } from '../../kernel/result.js';
import type { CardServiceDeps } from './categories.js';
import { type CardRow, cards } from './store.js';

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

export interface CardFilter {
  cardId?: string;
  ownerType?: string;
  ownerRef?: string;
  status?: CardStatus;
  limit: number;
  before?: string;
}

const duplicate = (cardId: string) =>
  failure('conflict', 'duplicate_card', `card ${cardId} is already registered`, {
    fields: [{ path: 'card_id', message: 'already registered' }],
  });

export class CardService {
  constructor(private readonly deps: CardServiceDeps) {}

  async registerCard(scope: Scope, input: CardInput): Promise<Result<Card>> {
    try {
      const row = await this.deps.db.transaction(async (tx) => {
        const [created] = await tx
          .insert(cards)
          .values({ tenantId: scope.tenantId, id: uuidv7(), ...input })
          .returning();
        await this.deps.audit(tx, scope, {
          action: 'card.registered',
          entityType: 'card',
          entityId: created!.id,
          changes: { ...input },
        });
        return created!;
      });
      await this.deps.changed(scope.tenantId);
      return ok(row as Card);
    } catch (e) {
      if (isUniqueViolation(e, 'card_cards_card_id')) return err(duplicate(input.cardId));
      throw e;
    }
  }

  async getCard(scope: Scope, id: string): Promise<Result<Card>> {
    if (!isUuid(id)) return err(notFound('card'));
    const [row] = await this.deps.db
      .select()
      .from(cards)
      .where(and(eq(cards.tenantId, scope.tenantId), eq(cards.id, id)));
    return row ? ok(row as Card) : err(notFound('card'));
  }

  async listCards(scope: Scope, f: CardFilter): Promise<Card[]> {
    if (f.ownerRef && !isUuid(f.ownerRef)) return [];
    const rows = await this.deps.db
      .select()
      .from(cards)
      .where(
        and(
          eq(cards.tenantId, scope.tenantId),
          f.cardId ? eq(cards.cardId, f.cardId) : undefined,
          f.ownerType ? eq(cards.ownerType, f.ownerType) : undefined,
          f.ownerRef ? eq(cards.ownerRef, f.ownerRef) : undefined,
          f.status ? eq(cards.status, f.status) : undefined,
          f.before && isUuid(f.before) ? lt(cards.id, f.before) : undefined,
        ),
      )
      .orderBy(desc(cards.id))
      .limit(f.limit);
    return rows as Card[];
  }

  /** Freeze, unfreeze or close a card. Closing is final. */
  async setCardStatus(scope: Scope, id: string, status: CardStatus): Promise<Result<Card>> {
    const current = await this.getCard(scope, id);
    if (!current.ok) return current;
    const closed = failure('conflict', 'card_closed', `card ${current.value.cardId} is closed`);
    if (current.value.status === 'closed') return err(closed);
    const row = await this.deps.db.transaction(async (tx) => {
      const [updated] = await tx
        .update(cards)
        .set({ status, updatedAt: sql`now()` })
        .where(and(eq(cards.tenantId, scope.tenantId), eq(cards.id, id), ne(cards.status, 'closed')))
        .returning();
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
