import type { Context } from '../../src/context.js';

/**
 * A tenant's lender and send rate, and its default e-mail config on a SendGrid simulator: what the outbox tests
 * and the outbox benchmark drain messages through.
 */
export async function sendGridOutbox(
  ctx: Context,
  tenantId: string,
  sendgrid: { apiKey: string; url: string },
  ratePerSecond: number,
): Promise<{ tenantId: string; actor: { type: 'system'; id: null } }> {
  const scope = { tenantId, actor: { type: 'system' as const, id: null } };
  await ctx.communications.settings.update(scope, {
    lender: { name: 'Plinth', address: '1 Main St', phone: '+15125550100', email: 'help@plinth.example' },
    ratePerSecond,
  });
  const made = await ctx.providerConfigs.create(scope, {
    label: 'sendgrid',
    serviceType: 'email',
    providerKey: 'sendgrid',
    config: { api_key: sendgrid.apiKey, from_email: 'loans@plinth.example', base_url: sendgrid.url },
    isDefault: true,
  });
  if (!made.ok) throw new Error(made.error.message);
  return scope;
}
