import { and, eq, sql } from 'drizzle-orm';
import type { AuditWriter, Scope } from '../../../kernel/audit.js';
import type { Db } from '../../../kernel/db.js';
import { err, failure, ok, type Result } from '../../../kernel/result.js';
import { BUILT_IN_TEMPLATES } from '../domain/templates/built-in/index.js';
import {
  CHANNELS,
  type Channel,
  checkContent,
  type Rendered,
  renderContent,
  TEMPLATE_KEYS,
  type TemplateContent,
  type TemplateDefinition,
  type TemplateKey,
} from '../domain/templates/definition.js';
import { templateOverrides } from '../tables.js';

export interface Template {
  definition: TemplateDefinition;
  /** What the tenant sends: the built-in content with the tenant's channels laid over it. */
  content: TemplateContent;
  overridden: Channel[];
}

export const isTemplateKey = (k: string): k is TemplateKey =>
  (TEMPLATE_KEYS as readonly string[]).includes(k);

const unknownTemplate = (key: string) =>
  failure('not_found', 'template_not_found', `no template ${key} (one of ${TEMPLATE_KEYS.join(', ')})`);

/** The built-in templates and each tenant's overrides (per channel), with rendering and previews. */
export class TemplateService {
  constructor(private readonly deps: { db: Db; audit: AuditWriter }) {}

  async #override(tenantId: string, key: TemplateKey): Promise<TemplateContent | undefined> {
    const [r] = await this.deps.db
      .select()
      .from(templateOverrides)
      .where(and(eq(templateOverrides.tenantId, tenantId), eq(templateOverrides.templateKey, key)));
    return r?.content;
  }

  async get(tenantId: string, key: string): Promise<Result<Template>> {
    if (!isTemplateKey(key)) return err(unknownTemplate(key));
    const definition = BUILT_IN_TEMPLATES[key];
    const override = (await this.#override(tenantId, key)) ?? {};
    return ok({
      definition,
      content: { ...definition.content, ...override },
      overridden: CHANNELS.filter((c) => override[c] !== undefined),
    });
  }

  async list(tenantId: string): Promise<Template[]> {
    const rows = await this.deps.db
      .select()
      .from(templateOverrides)
      .where(eq(templateOverrides.tenantId, tenantId));
    const byKey = new Map(rows.map((r) => [r.templateKey, r.content]));
    return TEMPLATE_KEYS.map((key) => {
      const definition = BUILT_IN_TEMPLATES[key];
      const override = byKey.get(key) ?? {};
      return {
        definition,
        content: { ...definition.content, ...override },
        overridden: CHANNELS.filter((c) => override[c] !== undefined),
      };
    });
  }

  /** Replaces the tenant's content for the channels given (the others keep theirs); every field must parse. */
  async put(scope: Scope, key: string, content: TemplateContent): Promise<Result<Template>> {
    if (!isTemplateKey(key)) return err(unknownTemplate(key));
    const checked = checkContent(content);
    if (!checked.ok) return checked;
    await this.deps.db.transaction(async (tx) => {
      await tx
        .insert(templateOverrides)
        .values({ tenantId: scope.tenantId, templateKey: key, content })
        .onConflictDoUpdate({
          target: [templateOverrides.tenantId, templateOverrides.templateKey],
          set: { content, updatedAt: sql`now()` },
        });
      await this.deps.audit(tx, scope, {
        action: 'template.overridden',
        entityType: 'template',
        entityId: key,
        changes: { channels: Object.keys(content) },
      });
    });
    return this.get(scope.tenantId, key);
  }

  /** Back to the built-in content. */
  async reset(scope: Scope, key: string): Promise<Result<Template>> {
    if (!isTemplateKey(key)) return err(unknownTemplate(key));
    await this.deps.db.transaction(async (tx) => {
      await tx
        .delete(templateOverrides)
        .where(and(eq(templateOverrides.tenantId, scope.tenantId), eq(templateOverrides.templateKey, key)));
      await this.deps.audit(tx, scope, {
        action: 'template.reset',
        entityType: 'template',
        entityId: key,
        changes: {},
      });
    });
    return this.get(scope.tenantId, key);
  }

  /**
   * Renders the tenant's template for a channel. `content` previews unsaved content; absent variables are a 422
   * naming each.
   */
  async render(
    tenantId: string,
    key: string,
    channel: Channel,
    variables: Record<string, unknown>,
    content?: TemplateContent,
  ): Promise<Result<Rendered>> {
    if (content) {
      const checked = checkContent(content);
      if (!checked.ok) return checked;
    }
    const t = await this.get(tenantId, key);
    if (!t.ok) return t;
    return renderContent(
      key,
      content ? { ...t.value.content, ...content } : t.value.content,
      channel,
      variables,
    );
  }
}
