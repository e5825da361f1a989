import { describe, expect, it } from 'vitest';
import { isAlpha3, isOfficialAlpha3, OFFICIAL_COUNTRY_COUNT, toAlpha2, toAlpha3 } from './countries.js';

const regionNames = new Intl.DisplayNames(['en'], { type: 'region' });

describe('countries', () => {
  it('holds the 249 officially assigned codes', () => {
    expect(OFFICIAL_COUNTRY_COUNT).toBe(249);
  });

  it('maps every official alpha-2 code that ICU knows to a distinct alpha-3 code', () => {
    // Every letter pair ICU names as a region must be in the table, except codes that are exceptionally reserved
    // (AC CP CQ DG EA EU EZ FX IC TA UK UN), withdrawn (BU CS DD DY HV NH RH SU TP VD YD YU ZR) or private use.
    const nonCountries = new Set(
      'AC CP CQ DG EA EU EZ FX IC TA UK UN BU CS DD DY HV NH RH SU TP VD YD YU ZR QO XA XB ZZ'.split(' '),
    );
    const seen = new Set<string>();
    for (let a = 65; a <= 90; a++) {
      for (let b = 65; b <= 90; b++) {
        const a2 = String.fromCharCode(a, b);
        const a3 = toAlpha3(a2);
        const named = regionNames.of(a2) !== a2;
        if (a3 !== undefined) {
          expect(named, `${a2} is not a region ICU knows`).toBe(true);
          expect(seen.has(a3), `${a3} appears twice`).toBe(false);
          seen.add(a3);
        } else if (named && !nonCountries.has(a2) && a2 !== 'XK' && a2 !== 'AN') {
          expect.fail(`ICU knows region ${a2} but the table does not`);
        }
      }
    }
    expect(seen.size).toBe(249 + 2);
  });

  it('spot-checks codes whose alpha-3 is not derived from the alpha-2', () => {
    const pairs: [string, string][] = [
      ['DE', 'DEU'],
      ['ES', 'ESP'],
      ['CH', 'CHE'],
      ['GB', 'GBR'],
      ['KM', 'COM'],
      ['KY', 'CYM'],
      ['TF', 'ATF'],
      ['PM', 'SPM'],
      ['GS', 'SGS'],
      ['YT', 'MYT'],
      ['RO', 'ROU'],
      ['TL', 'TLS'],
      ['SX', 'SXM'],
      ['BQ', 'BES'],
    ];
    for (const [a2, a3] of pairs) {
      expect(toAlpha3(a2)).toBe(a3);
      expect(toAlpha2(a3)).toBe(a2);
    }
  });

  it('normalizes case and whitespace, passes alpha-3 through, rejects the rest', () => {
    expect(toAlpha3(' us ')).toBe('USA');
    expect(toAlpha3('fra')).toBe('FRA');
    expect(toAlpha3('QQ')).toBeUndefined();
    expect(toAlpha3('QQQ')).toBeUndefined();
    expect(toAlpha3('USAA')).toBeUndefined();
    expect(toAlpha3('')).toBeUndefined();
  });

  it('accepts the network codes for Kosovo and the Netherlands Antilles, but not as official', () => {
    expect(toAlpha3('XK')).toBe('XKX');
    expect(isAlpha3('XKX')).toBe(true);
    expect(isOfficialAlpha3('XKX')).toBe(false);
    expect(isAlpha3('ANT')).toBe(true);
    expect(isAlpha3('usa')).toBe(false);
    expect(isAlpha3('US')).toBe(false);
  });
});
