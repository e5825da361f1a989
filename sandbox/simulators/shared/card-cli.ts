import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { GenericCardSimulator, sendGarbage as genericGarbage } from '../generic-card/simulator.js';
import { LithicSimulator, sendGarbage as lithicGarbage, newLithicSecret } from '../lithic/simulator.js';
import {
  newStripeSecret,
  StripeIssuingSimulator,
  sendGarbage as stripeGarbage,
} from '../stripe-issuing/simulator.js';
import { type CardAuthOptions, GARBAGE_BODIES, type SendResult } from './card-client.js';
import { startPlinthRelay } from './plinth-relay.js';

/**
 * The command line behind each card simulator's main.ts: fires a scenario at a relay URL and prints each step's
 * status, latency and verdict. `--self` starts a local Plinth (in-memory database) with a relay for the platform
 * and a registered card, and aims at it instead.
 */
type Platform = 'stripe' | 'lithic' | 'generic';
type Step = [name: string, run: () => Promise<SendResult>];

const USAGE = `options:
  --url <relay url>        where to POST (or --self for a local stand-in relay)
  --secret <secret>        the signing secret the relay is configured with
  --card <card id>         a card registered in Plinth (with --self, one is registered for you)
  --scenario <names>       authorize (default) | lifecycle | negative, or several: authorize,negative
  --amount <minor units>   default 1250
  --mcc <code>             default 5411
  --country <code>         alpha-2 or alpha-3
  --partial                the terminal accepts partial approvals`;

const PROVIDER_KEYS = { stripe: 'stripe_issuing', lithic: 'lithic', generic: 'generic' } as const;
/** A card id in each platform's format, and the currency its simulator pays in. */
const SELF_CARD: Record<Platform, () => { cardId: string; currency: string }> = {
  stripe: () => ({ cardId: `ic_cli${randomUUID().replaceAll('-', '').slice(0, 16)}`, currency: 'USD' }),
  lithic: () => ({ cardId: randomUUID(), currency: 'USD' }),
  generic: () => ({ cardId: `card_cli_${randomUUID().slice(0, 8)}`, currency: 'EUR' }),
};

/**
 * A platform's lifecycle scenario: the authorization, then the steps that act on it (an increment, a partial
 * reversal, the clearing, a refund), then a force post with no authorization behind it.
 */
function lifecycle<H>(
  authorize: [label: string, run: () => Promise<SendResult & { handle: H }>],
  later: [label: string, run: (h: H) => Promise<SendResult>][],
  force: Step,
): Step[] {
  let handle: H | undefined;
  const h = () => {
    if (handle === undefined) throw new Error('the authorization step did not run');
    return handle;
  };
  return [
    [
      authorize[0],
      async () => {
        const r = await authorize[1]();
        handle = r.handle;
        return r;
      },
    ],
    ...later.map(([label, run]): Step => [label, () => run(h())]),
    force,
  ];
}

/** Parts of the amount the lifecycle steps move: a quarter more, a tenth back, a fifth refunded. */
const part = (o: CardAuthOptions, d: number) => Math.ceil(o.amount / d);

const withHandle = async <R extends SendResult, H>(sent: Promise<R>, handle: (r: R) => H) => {
  const r = await sent;
  return { ...r, handle: handle(r) };
};

function stripeSteps(url: string, secret: string, o: CardAuthOptions, scenario: string): Step[] {
  const sim = new StripeIssuingSimulator({ targetUrl: url, secret });
  if (scenario === 'negative')
    return negativeSteps(
      o,
      (x) => sim.authorize(x),
      (b) => stripeGarbage(url, secret, b),
    );
  if (scenario !== 'lifecycle') return [['authorization', () => sim.authorize(o)]];
  return lifecycle(
    ['authorization', () => withHandle(sim.authorize(o), (r) => r.authorization)],
    [
      ['incremental', (a) => sim.increment(a, part(o, 4))],
      ['partial reversal', (a) => sim.reverse(a, part(o, 10))],
      ['capture', (a) => sim.capture(a)],
      ['refund', (a) => sim.refund(a, part(o, 5))],
    ],
    ['force capture', () => sim.forceCapture(o)],
  );
}

function lithicSteps(url: string, secret: string, o: CardAuthOptions, scenario: string): Step[] {
  const sim = new LithicSimulator({ targetUrl: url, secret });
  if (scenario === 'negative')
    return negativeSteps(
      o,
      (x) => sim.authorize(x),
      (b) => lithicGarbage(url, secret, b),
    );
  if (scenario !== 'lifecycle') return [['ASA authorization', () => sim.authorize(o)]];
  return lifecycle(
    ['ASA authorization', () => withHandle(sim.authorize(o), (r) => r.transaction)],
    [
      ['incremental', (t) => sim.increment(t, part(o, 4))],
      ['partial reversal', (t) => sim.reverse(t, part(o, 10))],
      ['clearing', (t) => sim.clear(t)],
      ['return', (t) => sim.refund(t, part(o, 5))],
    ],
    ['force post', () => sim.forcePost(o)],
  );
}

function genericSteps(url: string, secret: string, o: CardAuthOptions, scenario: string): Step[] {
  const sim = new GenericCardSimulator({ targetUrl: url, secret });
  if (scenario === 'negative')
    return negativeSteps(
      o,
      (x) => sim.authorize(x),
      (b) => genericGarbage(url, secret, b),
    );
  if (scenario !== 'lifecycle') return [['authorization', () => sim.authorize(o)]];
  return lifecycle(
    ['authorization', () => withHandle(sim.authorize(o), (r) => r.authorization)],
    [
      ['incremental', (a) => sim.increment(a, part(o, 4))],
      ['partial reversal', (a) => sim.reverse(a, part(o, 10))],
      ['clearing', (a) => sim.clear(a)],
      ['refund', (a) => sim.refund(a, part(o, 5))],
    ],
    ['force post', () => sim.forcePost(o)],
  );
}

/** Requests a relay must refuse (401) or decline, never approve or crash on. */
function negativeSteps(
  o: CardAuthOptions,
  authorize: (o: CardAuthOptions) => Promise<SendResult>,
  garbage: (body: string) => Promise<SendResult>,
): Step[] {
  const steps: Step[] = (['wrong_secret', 'tampered', 'stale', 'future', 'missing'] as const).map((m) => [
    `signature ${m} (expect 401)`,
    () => authorize({ ...o, signature: m }),
  ]);
  steps.push(['zero amount (expect decline)', () => authorize({ ...o, amount: 0 })]);
  steps.push(['negative amount (expect decline)', () => authorize({ ...o, amount: -o.amount })]);
  steps.push(['unknown currency (expect decline)', () => authorize({ ...o, currency: 'XYZ' })]);
  for (const [name, body] of Object.entries(GARBAGE_BODIES))
    steps.push([`garbage ${name} (expect decline)`, () => garbage(body)]);
  return steps;
}

/** Whether a step's answer is what the platform (and the step's expectation) requires. */
function judged(name: string, r: SendResult): boolean {
  if (name.includes('expect 401')) return r.status === 401;
  if (name.includes('expect decline')) return r.verdict.ok && r.verdict.approved === false;
  return r.verdict.ok;
}

export async function runCardCli(platform: Platform, argv = process.argv.slice(2)): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      url: { type: 'string' },
      secret: { type: 'string' },
      card: { type: 'string' },
      self: { type: 'boolean', default: false },
      scenario: { type: 'string', default: 'authorize' },
      amount: { type: 'string', default: '1250' },
      mcc: { type: 'string' },
      country: { type: 'string' },
      partial: { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help || (!values.url && !values.self)) {
    console.log(USAGE);
    return values.help ? 0 : 2;
  }

  const secret =
    values.secret ??
    (platform === 'lithic'
      ? newLithicSecret()
      : platform === 'stripe'
        ? newStripeSecret()
        : 'local-cli-secret-0123456789abcdef');
  const plinth = values.self
    ? await startPlinthRelay({ provider: PROVIDER_KEYS[platform], config: { webhook_secret: secret } })
    : undefined;
  let cardId = values.card;
  if (plinth) {
    const card = SELF_CARD[platform]();
    await plinth.card(card.cardId, 100_000_000, card.currency);
    cardId = card.cardId;
  }
  const url = plinth?.relayUrl ?? values.url!;
  const options: CardAuthOptions = {
    amount: Number(values.amount),
    mcc: values.mcc,
    country: values.country,
    partialAllowed: values.partial,
    cardId,
  };
  const build = platform === 'stripe' ? stripeSteps : platform === 'lithic' ? lithicSteps : genericSteps;

  let failures = 0;
  try {
    const steps = values.scenario
      .split(',')
      .flatMap((scenario) => build(url, secret, options, scenario.trim()));
    for (const [name, run] of steps) {
      const r = await run();
      const outcome = r.verdict.approved === null ? '' : r.verdict.approved ? ' approved' : ' declined';
      const good = judged(name, r);
      if (!good) failures++;
      console.log(
        `${good ? 'ok  ' : 'FAIL'} ${name}: HTTP ${r.status} in ${r.latencyMs.toFixed(1)} ms${outcome}` +
          (r.verdict.problems.length && !name.includes('expect 401')
            ? `\n     ${r.verdict.problems.join('\n     ')}`
            : ''),
      );
    }
  } finally {
    await plinth?.close();
  }
  return failures === 0 ? 0 : 1;
}
