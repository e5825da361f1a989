/**
 * Names reduced to comparable tokens: compatibility-decomposed, accents dropped, upper case, punctuation as
 * spaces. Order does not matter to the matcher ("SMITH, John" and "John Smith" are the same tokens). Legal-form
 * words of entities (LTD, LLC, S.A. ...) carry no identity and are dropped.
 */
const NOISE = new Set([
  'CO',
  'COMPANY',
  'CORP',
  'CORPORATION',
  'INC',
  'LLC',
  'LTD',
  'LIMITED',
  'SA',
  'SAS',
  'SRL',
  'GMBH',
  'AG',
  'PLC',
  'JSC',
  'OJSC',
  'PJSC',
  'CJSC',
  'OOO',
  'FZE',
  'THE',
  'OF',
  'AND',
]);

export function nameTokens(name: string): string[] {
  const plain = name
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toUpperCase()
    // Initials and abbreviations: "S.A." → "SA", "O'NEIL" → "ONEIL".
    .replace(/(\p{L})[.'’](?=\p{L})/gu, '$1')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
  if (plain === '') return [];
  const tokens = plain.split(' ');
  const kept = tokens.filter((t) => !NOISE.has(t));
  return kept.length > 0 ? kept : tokens;
}
