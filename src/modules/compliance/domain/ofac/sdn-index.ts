import type { CalendarDate } from '../../../../kernel/dates.js';
import { birthDateCovers } from './dob.js';
import { jaroWinkler } from './jaro-winkler.js';
import { nameTokens } from './normalize.js';
import type { SdnEntry, SdnList, SdnType } from './sdn-file.js';

/**
 * A screening index over an SDN list. Every primary name and alias is reduced to tokens; a trigram index
 * (blocking) finds the names that share enough character trigrams with the query, and only those are scored,
 * so a screen touches a few hundred names of the ~30,000 (18,000 entries and their aliases) instead of all.
 *
 * Score (0 … 1): every token of either name is paired with its most similar token of the other (Jaro-Winkler),
 * and the similarities are averaged over the tokens of both, each weighted by its rarity on the list
 * (log(1 + names / names with the token)): sharing "TRADING" or "MOHAMMAD" says less than sharing a rare
 * surname. Equal token sets score 1 whatever their order; a name with an extra middle name scores below 1; one
 * shared surname alone scores well below a full name. Blocking weighs trigrams the same way.
 * A date of birth on both sides adds `dobMatchBonus` when the listed one covers it, and multiplies the score by
 * `dobMismatchFactor` when none does.
 */
export interface ScreenOptions {
  dateOfBirth?: CalendarDate;
  /** Matches scoring below this are not returned. */
  minScore: number;
  limit?: number;
  dobMatchBonus?: number;
  dobMismatchFactor?: number;
}

export interface ScreenMatch {
  entNum: number;
  /** The listed name (primary or alias) that scored best. */
  matchedName: string;
  primaryName: string;
  type: SdnType;
  programs: string[];
  /** Rounded to four decimals. */
  score: number;
  dob: 'match' | 'mismatch' | 'not_compared';
}

/** Names sharing less than this share of the query's trigram weight are not scored. */
const MIN_SHARED = 0.3;
/** At most this many names (the most trigram weight in common first) are scored per screen. */
const MAX_CANDIDATES = 200;

const rarity = (names: number, withIt: number) => Math.log(1 + names / Math.max(1, withIt));

function trigrams(tokens: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const t of tokens) {
    const padded = `^${t}$`;
    for (let i = 0; i + 3 <= padded.length; i++) out.add(padded.slice(i, i + 3));
  }
  return out;
}

export class SdnIndex {
  readonly entries: readonly SdnEntry[];
  readonly #tokens: string[][] = [];
  readonly #names: string[] = [];
  readonly #entryOf: number[] = [];
  readonly #postings = new Map<string, Int32Array>();
  readonly #tokenNames = new Map<string, number>();
  // Scratch buffers of one screen (screens run one at a time: JavaScript is single-threaded).
  readonly #shared: Float64Array;
  readonly #touched: Int32Array;
  readonly #bestScore: Float64Array;
  readonly #bestName: Int32Array;
  #fromQuery = new Float64Array(16);

  private constructor(entries: readonly SdnEntry[]) {
    this.entries = entries;
    const lists = new Map<string, number[]>();
    entries.forEach((entry, e) => {
      for (const name of [entry.name, ...entry.aliases.map((a) => a.name)]) {
        const tokens = nameTokens(name);
        if (tokens.length === 0) continue;
        const id = this.#tokens.length;
        this.#tokens.push(tokens);
        this.#names.push(name);
        this.#entryOf.push(e);
        for (const t of new Set(tokens)) this.#tokenNames.set(t, (this.#tokenNames.get(t) ?? 0) + 1);
        for (const g of trigrams(tokens)) {
          const list = lists.get(g);
          if (list) list.push(id);
          else lists.set(g, [id]);
        }
      }
    });
    for (const [g, ids] of lists) this.#postings.set(g, Int32Array.from(ids));
    this.#shared = new Float64Array(this.#tokens.length);
    this.#touched = new Int32Array(this.#tokens.length);
    this.#bestScore = new Float64Array(entries.length).fill(-1);
    this.#bestName = new Int32Array(entries.length);
  }

  /** A token's weight: rare on the list weighs more; a token the list does not have weighs most. */
  #weight(token: string): number {
    return rarity(this.#tokens.length, this.#tokenNames.get(token) ?? 1);
  }

  /** Indexes the entries of the given types (individuals and entities by default: borrowers are not ships). */
  static build(list: SdnList, types: readonly SdnType[] = ['individual', 'entity']): SdnIndex {
    return new SdnIndex(list.entries.filter((e) => types.includes(e.type)));
  }

  get nameCount(): number {
    return this.#tokens.length;
  }

  /** The names that share enough trigram weight with the query, most shared first. */
  #candidates(query: readonly string[]): number[] {
    const shared = this.#shared;
    let total = 0;
    let touched = 0;
    for (const g of trigrams(query)) {
      const ids = this.#postings.get(g);
      const weight = rarity(this.#tokens.length, ids?.length ?? 0);
      total += weight;
      if (!ids) continue;
      for (let k = 0; k < ids.length; k++) {
        const id = ids[k]!;
        const before = shared[id]!;
        if (before === 0) this.#touched[touched++] = id;
        shared[id] = before + weight;
      }
    }
    const min = total * MIN_SHARED;
    let out: number[] = [];
    for (let k = 0; k < touched; k++) {
      const id = this.#touched[k]!;
      if (shared[id]! >= min) out.push(id);
    }
    if (out.length > MAX_CANDIDATES) {
      const weights = out.map((id) => shared[id]!);
      const cut = [...weights].sort((a, b) => b - a)[MAX_CANDIDATES - 1]!;
      out = out.filter((id) => shared[id]! >= cut).slice(0, MAX_CANDIDATES * 2);
    }
    for (let k = 0; k < touched; k++) shared[this.#touched[k]!] = 0;
    return out;
  }

  /** Brute force: every name scored. Kept as the benchmark's baseline and the tests' check of the blocking. */
  screenAll(name: string, options: ScreenOptions): ScreenMatch[] {
    const query = nameTokens(name);
    return this.#rank(query, [...this.#tokens.keys()], options);
  }

  screen(name: string, options: ScreenOptions): ScreenMatch[] {
    const query = nameTokens(name);
    if (query.length === 0) return [];
    return this.#rank(query, this.#candidates(query), options);
  }

  #rank(query: readonly string[], ids: readonly number[], options: ScreenOptions): ScreenMatch[] {
    const queryWeights = query.map((q) => this.#weight(q));
    const queryWeight = queryWeights.reduce((a, b) => a + b, 0);
    const similarity = new Map<string, Float64Array>();
    const rowOf = (token: string): Float64Array => {
      let row = similarity.get(token);
      if (!row) {
        row = Float64Array.from(query, (q) => jaroWinkler(q, token));
        similarity.set(token, row);
      }
      return row;
    };
    if (this.#fromQuery.length < query.length) this.#fromQuery = new Float64Array(query.length * 2);
    const fromQuery = this.#fromQuery;
    const seen: number[] = [];
    for (const id of ids) {
      const tokens = this.#tokens[id]!;
      fromQuery.fill(0, 0, query.length);
      let total = 0;
      let weights = queryWeight;
      for (const token of tokens) {
        const row = rowOf(token);
        let max = 0;
        for (let q = 0; q < query.length; q++) {
          const s = row[q]!;
          if (s > max) max = s;
          if (s > fromQuery[q]!) fromQuery[q] = s;
        }
        const w = this.#weight(token);
        total += w * max;
        weights += w;
      }
      for (let q = 0; q < query.length; q++) total += queryWeights[q]! * fromQuery[q]!;
      const score = total / weights;
      const entry = this.#entryOf[id]!;
      if (this.#bestScore[entry] === -1) seen.push(entry);
      if (score > this.#bestScore[entry]!) {
        this.#bestScore[entry] = score;
        this.#bestName[entry] = id;
      }
    }
    const matches: ScreenMatch[] = [];
    for (const e of seen) {
      const score = this.#bestScore[e]!;
      const id = this.#bestName[e]!;
      this.#bestScore[e] = -1;
      const entry = this.entries[e]!;
      let adjusted = score;
      let dob: ScreenMatch['dob'] = 'not_compared';
      if (options.dateOfBirth && entry.datesOfBirth.length > 0) {
        const covered = entry.datesOfBirth.some((b) => birthDateCovers(b, options.dateOfBirth!));
        dob = covered ? 'match' : 'mismatch';
        adjusted = covered
          ? Math.min(1, score + (options.dobMatchBonus ?? 0))
          : score * (options.dobMismatchFactor ?? 1);
      }
      if (adjusted < options.minScore) continue;
      matches.push({
        entNum: entry.entNum,
        matchedName: this.#names[id]!,
        primaryName: entry.name,
        type: entry.type,
        programs: entry.programs,
        score: Math.round(adjusted * 10_000) / 10_000,
        dob,
      });
    }
    matches.sort((a, b) => b.score - a.score || a.entNum - b.entNum);
    return options.limit === undefined ? matches : matches.slice(0, options.limit);
  }
}
