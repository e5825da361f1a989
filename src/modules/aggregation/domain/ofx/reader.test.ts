import { describe, expect, it } from 'vitest';
import { OfxSyntaxError } from './errors.js';
import { END, EOF, LEAF, Reader, START } from './reader.js';

function tokens(src: string, sgml = false): string[] {
  const r = new Reader(src, 0, sgml);
  const out: string[] = [];
  for (;;) {
    const t = r.next();
    if (t === EOF) return out;
    out.push(t === LEAF ? `${r.name}=${r.value}` : t === START ? `<${r.name}>` : `</${r.name}>`);
  }
}

function failureOf(src: string, sgml = false): OfxSyntaxError {
  try {
    tokens(src, sgml);
  } catch (e) {
    if (e instanceof OfxSyntaxError) return e;
    throw e;
  }
  throw new Error('expected a syntax error');
}

describe('Reader', () => {
  it('reads SGML leaves without closing tags, on one line or many', () => {
    const expected = ['<OFX>', '<STMTTRN>', 'TRNTYPE=DEBIT', 'TRNAMT=-1.00', '</STMTTRN>', '</OFX>'];
    expect(tokens('<OFX><STMTTRN><TRNTYPE>DEBIT<TRNAMT>-1.00</STMTTRN></OFX>')).toEqual(expected);
    expect(
      tokens('<OFX>\n  <STMTTRN>\n    <TRNTYPE>DEBIT\n    <TRNAMT>-1.00\n  </STMTTRN>\n</OFX>\n'),
    ).toEqual(expected);
  });

  it('reads XML leaves with closing tags, and mixed files', () => {
    expect(tokens('<OFX><NAME>A B</NAME><MEMO>m\n<FITID>1</FITID></OFX>')).toEqual([
      '<OFX>',
      'NAME=A B',
      'MEMO=m',
      'FITID=1',
      '</OFX>',
    ]);
  });

  it('keeps dotted names and upper-cases lower-case tags', () => {
    expect(tokens('<OFX><INTU.BID>10898<intu.userid>x</OFX>')).toEqual([
      '<OFX>',
      'INTU.BID=10898',
      'INTU.USERID=x',
      '</OFX>',
    ]);
  });

  it('decodes entities but keeps bare ampersands and CDATA verbatim', () => {
    expect(tokens('<OFX><NAME>AT&T &amp; B&#38;B &#xE9;&lt;&gt;&quot;&apos; &bogus; &#xD800;</OFX>')).toEqual(
      ['<OFX>', 'NAME=AT&T & B&B é<>"\' &bogus; &#xD800;', '</OFX>'],
    );
    expect(tokens('<OFX><NAME> x <![CDATA[a&amp;<b>]]> y </NAME></OFX>')).toEqual([
      '<OFX>',
      'NAME=x a&amp;<b> y',
      '</OFX>',
    ]);
    expect(tokens('<OFX><NAME><![CDATA[]]></NAME></OFX>')).toEqual(['<OFX>', 'NAME=', '</OFX>']);
  });

  it('trims a value the same way whether it is written plain, as character references or in CDATA', () => {
    const spellings = [
      '<NAME>  ACME  MART \t</NAME>',
      '<NAME><![CDATA[  ACME  MART \t]]></NAME>',
      '<NAME> <![CDATA[ ACME  MART ]]>\n</NAME>',
      '<NAME><![CDATA[ ACME ]]><![CDATA[ MART ]]></NAME>',
      '<NAME>&#32;ACME  MART&#x20;</NAME>',
      '<NAME><![CDATA[\r\n ACME]]>  MART\n',
    ];
    for (const spelling of spellings)
      expect(tokens(`<OFX>${spelling}</OFX>`), spelling).toEqual(['<OFX>', 'NAME=ACME  MART', '</OFX>']);
    // Inner spacing is the payee's own and stays, also across CDATA boundaries.
    expect(tokens('<OFX><NAME><![CDATA[ A ]]> <![CDATA[ B ]]></NAME></OFX>')).toEqual([
      '<OFX>',
      'NAME=A   B',
      '</OFX>',
    ]);
  });

  it('treats empty elements as empty leaves: XML pairs, self-closing tags, SGML tags with no value', () => {
    expect(tokens('<OFX><MEMO></MEMO><X/><MEMO2><NAME>n</OFX>')).toEqual([
      '<OFX>',
      'MEMO=',
      'X=',
      'MEMO2=',
      'NAME=n',
      '</OFX>',
    ]);
  });

  it('recognizes an unknown empty element as an aggregate when its end tag comes before its parent’s', () => {
    expect(tokens('<OFX><INTU.EXT><A>1<B>2</INTU.EXT><C>3</OFX>')).toEqual([
      '<OFX>',
      '<INTU.EXT>',
      'A=1',
      'B=2',
      '</INTU.EXT>',
      'C=3',
      '</OFX>',
    ]);
    // Nested unknowns, one of them an empty leaf.
    expect(tokens('<OFX><U1><U2><U3><V>1</U2></U1></OFX>')).toEqual([
      '<OFX>',
      '<U1>',
      '<U2>',
      'U3=',
      'V=1',
      '</U2>',
      '</U1>',
      '</OFX>',
    ]);
  });

  it('stays linear on many unknown empty elements', () => {
    const src = `<OFX>${'<U>'.repeat(50_000)}</OFX>`;
    const started = performance.now();
    expect(tokens(src)).toHaveLength(50_002);
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('skips comments, processing instructions and DOCTYPE', () => {
    expect(tokens('<?xml version="1.0"?><!DOCTYPE ofx><OFX><!-- note <X> --><A>1</A><?pi x?></OFX>')).toEqual(
      ['<OFX>', 'A=1', '</OFX>'],
    );
  });

  it('skips unknown aggregates whole', () => {
    const r = new Reader('<OFX><MKTGINFO2><A>1<B><C>2</B></MKTGINFO2><D>4</OFX>', 0);
    expect(r.next()).toBe(START);
    expect(r.next()).toBe(START);
    r.skip();
    expect([r.next(), r.name, r.value]).toEqual([LEAF, 'D', '4']);
    expect(r.next()).toBe(END);
    expect(r.next()).toBe(EOF);
  });

  it('fails on a mismatched closing tag, naming it', () => {
    const e = failureOf('<OFX>\n<STMTTRN>\n<FITID>1\n</BANKTRANLIST>\n</OFX>');
    expect(e.element).toBe('BANKTRANLIST');
    expect(e.message).toBe('mismatched closing tag </BANKTRANLIST>: expected </STMTTRN>');
  });

  it('in XML, fails on a known aggregate left open', () => {
    const e = failureOf('<OFX><BANKTRANLIST><STMTTRN><FITID>1</BANKTRANLIST></OFX>');
    expect(e.element).toBe('BANKTRANLIST');
    expect(e.message).toContain('expected </STMTTRN>');
  });

  /** In SGML, `open` reads exactly as `closed`, the same file with its end tags written out. */
  const readsAs = (open: string, closed: string) => expect(tokens(open, true)).toEqual(tokens(closed));

  it('in SGML, closes an aggregate left open when an ancestor closes', () => {
    readsAs(
      '<OFX><STMTRS><BANKTRANLIST><STMTTRN><FITID>1</STMTTRN></STMTRS></OFX>',
      '<OFX><STMTRS><BANKTRANLIST><STMTTRN><FITID>1</STMTTRN></BANKTRANLIST></STMTRS></OFX>',
    );
    readsAs(
      '<OFX><BANKTRANLIST><STMTTRN><FITID>1</BANKTRANLIST></OFX>',
      '<OFX><BANKTRANLIST><STMTTRN><FITID>1</STMTTRN></BANKTRANLIST></OFX>',
    );
  });

  it('in SGML, closes an aggregate left open when an aggregate that belongs to an ancestor starts', () => {
    // The end tag of BANKTRANLIST omitted before LEDGERBAL, as a bank's export does: LEDGERBAL belongs to STMTRS.
    readsAs(
      '<OFX><STMTRS><BANKTRANLIST><STMTTRN><FITID>1</STMTTRN><LEDGERBAL><BALAMT>5</LEDGERBAL></STMTRS></OFX>',
      '<OFX><STMTRS><BANKTRANLIST><STMTTRN><FITID>1</STMTTRN></BANKTRANLIST><LEDGERBAL><BALAMT>5</LEDGERBAL></STMTRS></OFX>',
    );
    // A transaction left open: a transaction does not nest in a transaction.
    readsAs(
      '<OFX><BANKTRANLIST><STMTTRN><FITID>1<STMTTRN><FITID>2</STMTTRN></BANKTRANLIST></OFX>',
      '<OFX><BANKTRANLIST><STMTTRN><FITID>1</STMTTRN><STMTTRN><FITID>2</STMTTRN></BANKTRANLIST></OFX>',
    );
    // Inside an unknown aggregate nothing is inferred: its content is not known.
    readsAs(
      '<OFX><STMTRS><INTU.X><LEDGERBAL><BALAMT>5</LEDGERBAL></INTU.X></STMTRS></OFX>',
      '<OFX><STMTRS><INTU.X><LEDGERBAL><BALAMT>5</LEDGERBAL></INTU.X></STMTRS></OFX>',
    );
  });

  it('in SGML, still fails on a closing tag that closes nothing open, and on an aggregate open at end of file', () => {
    expect(failureOf('<OFX><STMTTRN><FITID>1</BANKTRANLIST></OFX>', true).message).toBe(
      'mismatched closing tag </BANKTRANLIST>: expected </STMTTRN>',
    );
    expect(failureOf('<OFX><BANKTRANLIST><STMTTRN><FITID>1', true).message).toBe(
      'unexpected end of file inside <STMTTRN>',
    );
  });

  it('fails at end of file inside an aggregate, at the aggregate’s start tag', () => {
    const src = '<OFX>\n<STMTTRN>\n<FITID>1';
    const e = failureOf(src);
    expect(e.element).toBe('STMTTRN');
    expect(e.message).toBe('unexpected end of file inside <STMTTRN>');
    expect(e.at).toBe(src.indexOf('<STMTTRN>'));
    expect(e.path).toBe('OFX/STMTTRN');
  });

  it('fails on text between aggregates, unterminated tags and unterminated CDATA', () => {
    expect(failureOf('<OFX><STMTTRN><FITID>1</FITID>junk</STMTTRN></OFX>').message).toBe(
      'unexpected text "junk" inside <STMTTRN>',
    );
    // A known aggregate written with a value is read as a leaf (`<CURRENCY>USD` exists in the wild), so its end tag
    // no longer matches.
    expect(failureOf('<OFX><STMTTRN>junk<FITID>1</STMTTRN></OFX>').element).toBe('STMTTRN');
    expect(failureOf('<OFX><STMTTRN><FITID>1</STMTTRN></OFX>trailing').message).toContain('outside <OFX>');
    expect(failureOf('<OFX><FITID').message).toBe('unterminated tag');
    expect(failureOf('<OFX></OFX').message).toBe('unterminated tag');
    expect(failureOf('<OFX><NAME><![CDATA[abc</NAME></OFX>').message).toBe(
      'unterminated CDATA section in <NAME>',
    );
    expect(failureOf('<OFX><!-- open').message).toBe('unterminated markup declaration');
  });
});
