import { describe, expect, it } from 'vitest';
import { sample, sampleList } from '../../../../../test/support/compliance/rules.js';
import { parseDate } from '../../../../kernel/dates.js';
import { parseCsv } from './csv.js';
import { datesOfBirth } from './dob.js';
import { jaroWinkler } from './jaro-winkler.js';
import { nameTokens } from './normalize.js';
import { parseSdnFiles } from './sdn-file.js';
import { SdnIndex } from './sdn-index.js';

describe('OFAC CSV', () => {
  it('reads quoted fields with commas, doubled quotes and CRLF, and stops at the SUB character', () => {
    expect(parseCsv('1,"A, B","say ""hi""",x\r\n2,"",-0- ,"-0- "\r\n\x1a')).toEqual([
      { line: 1, fields: ['1', 'A, B', 'say "hi"', 'x'] },
      { line: 2, fields: ['2', '', '-0- ', '-0- '] },
    ]);
  });

  it('rejects an unclosed quote and text after a closing quote', () => {
    expect(() => parseCsv('1,"open\r\n2,x')).toThrow('line 1: a quoted field is not closed');
    expect(() => parseCsv('1,"a"b')).toThrow('unexpected character after a quoted field');
  });
});

describe('SDN files', () => {
  it('parses the sample: types, programs, aliases and dates of birth', () => {
    const list = sampleList();
    expect(list.entries).toHaveLength(8);
    expect(list.aliasCount).toBe(7);
    const [first, company] = list.entries;
    expect(first).toMatchObject({ entNum: 9001, type: 'individual', programs: ['SDGT'] });
    expect(first!.aliases.map((a) => a.name)).toEqual(['QUARTERMAIN, Elias', 'VIKTOROV, Ilya']);
    expect(first!.datesOfBirth).toEqual([{ from: '1971-03-14', to: '1971-03-14', text: '14 Mar 1971' }]);
    expect(company).toMatchObject({ type: 'entity', programs: ['EXAMPLE-EO99999', 'SDGT'] });
    expect(list.entries.find((e) => e.entNum === 9004)!.type).toBe('vessel');
    expect(list.entries.find((e) => e.entNum === 9006)!.remarks).toBe(
      'c/o "Example Agent"; Registration ID 000000.',
    );
  });

  it('reads every DOB form of the remarks', () => {
    expect(
      datesOfBirth(
        'DOB 02 Feb 1965; alt. DOB 1966; DOB Jun 1958; DOB circa 1980; DOB 1975 to 1977; DOB unknown',
      ),
    ).toEqual([
      { from: '1965-02-02', to: '1965-02-02', text: '02 Feb 1965' },
      { from: '1966-01-01', to: '1966-12-31', text: '1966' },
      { from: '1958-06-01', to: '1958-06-30', text: 'Jun 1958' },
      { from: '1979-01-01', to: '1981-12-31', text: 'circa 1980' },
      { from: '1975-01-01', to: '1977-12-31', text: '1975 to 1977' },
    ]);
  });

  it('rejects the whole upload on one bad record, naming file and line', () => {
    const sdn = sample('sdn.csv');
    const short = parseSdnFiles({ sdn: sdn.replace('"SDNTK",', '') });
    expect(short.ok).toBe(false);
    if (!short.ok) expect(short.error.message).toBe('sdn.csv line 3: expected 12 columns, found 11');
    const orphan = parseSdnFiles({
      sdn,
      alt: `${sample('alt.csv').replace('\x1a', '')}77,1,"aka","X",-0-\r\n`,
    });
    expect(!orphan.ok && orphan.error.message).toBe('alt.csv line 8: ent_num 77 is not in sdn.csv');
    const badType = parseSdnFiles({ sdn, alt: '9001,1,"alias","X",-0-' });
    expect(!badType.ok && badType.error.message).toBe(
      'alt.csv line 1: alt_type must be aka, fka or nka, not "alias"',
    );
    expect(parseSdnFiles({ sdn: 'x,"A"' + ',"-0- "'.repeat(10) }).ok).toBe(false);
    expect(parseSdnFiles({ sdn: '\x1a' }).ok).toBe(false);
  });
});

describe('names', () => {
  it('normalizes accents, punctuation, order-free tokens and legal forms', () => {
    expect(nameTokens("  José  O'Brien-MacAllister ")).toEqual(['JOSE', 'OBRIEN', 'MACALLISTER']);
    expect(nameTokens('Silverlake Holdings, S.A.')).toEqual(['SILVERLAKE', 'HOLDINGS']);
    expect(nameTokens('The Company Ltd')).toEqual(['THE', 'COMPANY', 'LTD']);
  });

  it('computes Jaro-Winkler as published (MARTHA/MARHTA 0.9611, DWAYNE/DUANE 0.84)', () => {
    expect(jaroWinkler('MARTHA', 'MARHTA')).toBeCloseTo(0.9611, 4);
    expect(jaroWinkler('DWAYNE', 'DUANE')).toBeCloseTo(0.84, 4);
    expect(jaroWinkler('DIXON', 'DICKSONX')).toBeCloseTo(0.8133, 4);
    expect(jaroWinkler('ABC', 'XYZ')).toBe(0);
  });
});

describe('screening', () => {
  const index = SdnIndex.build(sampleList());
  const top = (name: string, dob?: string) =>
    index.screen(name, {
      minScore: 0.5,
      dateOfBirth: dob ? parseDate(dob) : undefined,
      dobMatchBonus: 0.03,
      dobMismatchFactor: 0.85,
    })[0];

  it('leaves vessels out of the index', () => {
    expect(index.entries.some((e) => e.type === 'vessel')).toBe(false);
    expect(index.nameCount).toBe(7 + 7);
  });

  it('scores an exact name 1 in any order and case, and through an alias', () => {
    expect(top('Elias Viktor Quartermaine')).toMatchObject({ entNum: 9001, score: 1 });
    expect(top('ilya viktorov')).toMatchObject({ entNum: 9001, matchedName: 'VIKTOROV, Ilya', score: 1 });
    expect(top('Silverlake Holdings SA')).toMatchObject({ entNum: 9006, score: 1 });
  });

  it('scores a misspelling or a missing middle name as a near match', () => {
    const typo = top('Elias Viktor Quartermane')!;
    expect(typo.entNum).toBe(9001);
    expect(typo.score).toBeGreaterThan(0.95);
    expect(typo.score).toBeLessThan(1);
    const noMiddle = top('Maria De La Fuente Ramirez')!;
    expect(noMiddle.entNum).toBe(9003);
    expect(noMiddle.score).toBeGreaterThan(0.85);
    expect(noMiddle.score).toBeLessThan(0.97);
  });

  it('adjusts by date of birth', () => {
    expect(top('Rustam Khalidov', '1981-05-05')).toMatchObject({ score: 1, dob: 'match' });
    expect(top('Rustam Khalidov', '1990-05-05')).toMatchObject({ score: 0.85, dob: 'mismatch' });
  });

  it('finds nothing near for an unrelated name, and the blocking agrees with scoring every name', () => {
    expect(index.screen('Jane Q Borrower', { minScore: 0.85 })).toEqual([]);
    for (const name of ['Elias Quartermane', 'Wei Ming Chou', 'Seamus OBrien', 'Orlovanka Trading']) {
      const options = { minScore: 0.7 };
      expect(index.screen(name, options)).toEqual(index.screenAll(name, options));
    }
  });
});
