/**
 * Writes an SDN list in OFAC's legacy CSV format at full scale (~18,000 entries with aliases), for the screening
 * benchmark. Names are synthetic: syllables for rare tokens, plus a small pool of very common given names and
 * particles (as on the real list, where a few tokens such as "MOHAMMAD" or "AL" recur thousands of times), so the
 * trigram blocking meets long posting lists like it would in production.
 *
 *   npx tsx bench/compliance/lib/generate-sdn.ts [entries] [out-dir]     (default 18000, .plinth/bench/sdn)
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { random } from '../../lib/random.js';

export { random };

const SYLLABLES =
  'ka ri mo ta sa le vi no ra dan ish ov ek al im ur ba zo fe hu gan tar mir bek ost ya qi lu nes'.split(' ');
const COMMON =
  'MOHAMMAD ALI AHMED HASSAN HUSSEIN IVAN SERGEY WANG LI KIM JOSE MARIA ABDUL IBRAHIM YUSUF OMAR'.split(' ');
const PARTICLES = ['AL', 'EL', 'BIN', 'DE', 'VAN'];
const ENTITY_WORDS =
  'TRADING SHIPPING GROUP HOLDINGS INDUSTRIES PETROCHEMICAL BANK EXCHANGE SERVICES LOGISTICS'.split(' ');
const FORMS = ['LTD', 'LLC', 'CO.', 'S.A.', 'GMBH', 'FZE', 'JSC'];
const MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');
const NULL = '"-0- "';

export function generateSdnFiles(count: number, seed = 13): { sdn: string; alt: string; names: string[] } {
  const rnd = random(seed);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)]!;
  const word = () => {
    const n = 2 + Math.floor(rnd() * 2);
    return Array.from({ length: n }, () => pick(SYLLABLES))
      .join('')
      .toUpperCase();
  };
  const given = () => (rnd() < 0.3 ? pick(COMMON) : word());
  const surname = () => (rnd() < 0.15 ? `${pick(PARTICLES)} ${word()}` : word());
  const person = () => `${surname()}, ${given()}${rnd() < 0.4 ? ` ${given()}` : ''}`;
  const entity = () =>
    `${word()} ${pick(ENTITY_WORDS)}${rnd() < 0.5 ? ` ${pick(ENTITY_WORDS)}` : ''} ${pick(FORMS)}`;
  const quote = (s: string) => `"${s.replace(/"/g, '""')}"`;

  const sdn: string[] = [];
  const alt: string[] = [];
  const names: string[] = [];
  let altNum = 1;
  for (let k = 0; k < count; k++) {
    const entNum = 10_000 + k;
    const roll = rnd();
    const type = roll < 0.6 ? 'individual' : roll < 0.95 ? null : 'vessel';
    const name = type === 'individual' ? person() : type === null ? entity() : `${word()} ${word()}`;
    names.push(name);
    const dob =
      type === 'individual'
        ? `DOB ${1 + Math.floor(rnd() * 28)} ${pick(MONTHS)} ${1940 + Math.floor(rnd() * 60)}; POB Exampleland.`
        : null;
    sdn.push(
      [
        entNum,
        quote(name),
        type ? quote(type) : NULL,
        quote(pick(['SDGT', 'SDNTK', 'EXAMPLE-EO1'])),
        ...Array(7).fill(NULL),
        dob ? quote(dob) : NULL,
      ].join(','),
    );
    const aliases = Math.floor(rnd() * rnd() * 4);
    for (let a = 0; a < aliases; a++) {
      const aliasName = type === 'individual' ? person() : entity();
      alt.push([entNum, altNum++, quote(pick(['aka', 'aka', 'fka'])), quote(aliasName), NULL].join(','));
    }
  }
  return { sdn: `${sdn.join('\r\n')}\r\n\x1a`, alt: `${alt.join('\r\n')}\r\n\x1a`, names };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const count = Number(process.argv[2] ?? 18_000);
  const dir = process.argv[3] ?? '.plinth/bench/sdn';
  const files = generateSdnFiles(count);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'sdn.csv'), files.sdn);
  writeFileSync(join(dir, 'alt.csv'), files.alt);
  console.log(`wrote ${count} entries to ${dir}/sdn.csv and ${dir}/alt.csv`);
}
