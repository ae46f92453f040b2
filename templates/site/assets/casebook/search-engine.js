// casebook search: which pages hold a query's words, and where (no UI here). What a query means
// is in query.js, the order of results in rank.js.
//
// The index (scripts/casebook/site/search.py) holds, per item, six parts in a fixed order —
// title, 常见问法, 话术 card headings, tags, summary, body — each opening with a marker token, and
// in them every pair of neighbouring Chinese characters as an ASCII token (each once, in the
// heaviest part it occurs in), Latin words as they are, one token per word group of
// cases/search-terms.yml and the vocabulary (search_groups.py), and one token for the item's type.
// One search for the marker gives every record's part boundaries (word positions); one search per
// type token gives every record's type. Then a token's hit, which Pagefind reports with its word
// position, says which part of which record it is in — so every candidate is ranked from the
// index alone, and only the records shown are fetched.
//
// Each token is searched alone (Pagefind drops a query word it does not hold from an AND search
// instead of finding nothing), exactly (see tokenHits), and its hits are kept for later queries. A word is held by a page
// that holds all its tokens; it sits in the weakest part among them. A word no page holds whole
// counts, in the pages holding some of its pairs, by the share it holds (rank.js: partial).
import { Lexicon, Readings, correct, parseQuery } from "./query.js";
import { KIND, PLACES, breakTies, partAt, placeCredit, rankPages, tiedIds } from "./rank.js";

const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
const LATIN = /[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*/g;

// letters only, base 26, four per character (Pagefind splits words where letters meet digits)
const letters = (n) => { let s = ""; for (let i = 0; i < 4; i++) { s = String.fromCharCode(97 + (n % 26)) + s; n = Math.floor(n / 26); } return s; };
const code = (c) => letters(c.codePointAt(0));
export const pairToken = (s) => "z" + [...s].map(code).join("");
export const groupToken = (i) => "qq" + letters(i);

/** The index tokens of a literal word: its Chinese pairs (a lone character alone) and Latin words. */
export function literalTokens(word) {
  const out = [];
  for (const m of word.matchAll(CJK)) {
    const run = [...m[0]];
    if (run.length === 1) out.push(pairToken(run[0]));
    for (let i = 0; i + 1 < run.length; i++) out.push(pairToken(run[i] + run[i + 1]));
  }
  for (const m of word.replace(CJK, " ").matchAll(LATIN)) out.push(m[0].toLowerCase());
  return [...new Set(out)];
}

const norm = (s) => (s || "").toLowerCase();
const TOPIC_WORDS = 3;  // more words than this is a situation told, not a topic named
// two windows share a character position? (approximated by sharing a character: windows are short)
const overlap = (a, b) => [...a].some((c) => b.includes(c));

/** Does the page's text hold every typed word as written? */
export function holdsAll(q, meta) {
  const text = norm([meta.title, meta.questions, meta.heads, meta.tags, meta.summary, meta.text].join("\n")).replace(/\s+/g, "");
  return q.normalize("NFKC").trim().split(/\s+/).filter(Boolean).every((w) => text.includes(norm(w)));
}

export class Engine {
  /** readings: an async function giving the table of sounds (query.js: Readings), asked for only
   *  when a query has a window no page holds; without it a typo is any one character away. */
  constructor(pagefind, terms = {}, readings = null) {
    this.pf = pagefind;
    this.readings = readings;
    this.sounds = null;
    this.lex = new Lexicon(terms);
    this.terms = terms;
    this.n = terms.n || 0;
    this.hits = new Map();  // token + filters → Promise<Map(page id → [word positions])>
    this.results = new Map();  // page id → a Pagefind result (to fetch the record when shown)
    this.pages = null;
  }

  /** Every record's part boundaries and type, from the marker and type tokens (once). */
  layout() {
    if (!this.pages) {
      this.pages = (async () => {
        const pages = new Map();
        const marks = await this.pf.search(this.terms.mark || "xmark");
        for (const r of marks.results) {
          const starts = [...r.words].sort((a, b) => a - b);
          pages.set(r.id, { starts, titleTokens: Math.max(0, (starts[1] ?? starts[0]) - starts[0] - 1), type: null });
          this.results.set(r.id, r);
        }
        await Promise.all(Object.entries(this.terms.kinds || {}).map(async ([type, token]) => {
          for (const r of (await this.pf.search(token)).results) if (pages.has(r.id)) pages.get(r.id).type = type;
        }));
        if (!this.n) this.n = pages.size;
        return pages;
      })();
    }
    return this.pages;
  }

  /** The table of sounds, fetched once (null when there is none: every one-character
   *  difference is then a typo). */
  alike() {
    if (!this.sounds) {
      this.sounds = (async () => {
        try {
          const table = this.readings ? await this.readings() : null;
          return table ? new Readings(table) : null;
        } catch (e) { this.sounds = null; return null; }
      })();
    }
    return this.sounds;
  }

  tokenHits(token, filters) {
    const key = token + "\u0000" + JSON.stringify(filters);
    if (!this.hits.has(key)) {
      // Pagefind answers a token the index does not hold with similar-looking tokens (other
      // character pairs), so the token is also searched in quotes (exact: only pages that hold it,
      // though with one position each) and only those pages are kept, with all their positions.
      // A lone character's token is meant to match, as a prefix, every pair starting with it.
      const prefix = /^z[a-z]{4}$/.test(token);
      this.hits.set(key, Promise.all([this.pf.search(token, { filters }),
                                      prefix ? null : this.pf.search(`"${token}"`, { filters })]).then(([found, exact]) => {
        const held = exact ? new Set(exact.results.map((r) => r.id)) : null;
        const out = new Map();
        for (const r of found.results) {
          if (held && !held.has(r.id)) continue;
          out.set(r.id, r.words);
          if (!this.results.has(r.id)) this.results.set(r.id, r);
        }
        return out;
      }));
    }
    return this.hits.get(key);
  }

  /** Pages holding some of `tokens`: Map(id → {share, place, also, title: [positions], titleShare}):
   *  place, the best part holding every token held (else the weakest token's best part);
   *  also, the other parts holding them all; titleShare, the share of the tokens in the title
   *  (挂失 of 挂失补卡: rank.js titled). */
  async wordHits(tokens, filters) {
    const pages = await this.layout();
    const per = await Promise.all(tokens.map((t) => this.tokenHits(t, filters)));
    const out = new Map();
    per.forEach((hits) => {
      for (const [id, words] of hits) {
        const info = pages.get(id);
        if (!info) continue;
        const parts = words.map((w) => partAt(info.starts, w));
        const o = out.get(id) || { held: 0, floor: 0, common: null, title: [], titled: 0 };
        o.held += 1;
        if (parts.includes(0)) o.titled += 1;
        o.floor = Math.max(o.floor, Math.min(...parts));
        const set = new Set(parts);
        o.common = o.common === null ? set : new Set([...o.common].filter((k) => set.has(k)));
        words.forEach((w, k) => { if (parts[k] === 0) o.title.push(w); });
        out.set(id, o);
      }
    });
    for (const o of out.values()) {
      o.share = tokens.length ? o.held / tokens.length : 0;
      o.titleShare = tokens.length ? o.titled / tokens.length : 0;
      const common = [...(o.common || [])].sort((a, b) => a - b);
      o.place = common.length ? common[0] : o.floor;
      o.also = common.slice(1);
    }
    return out;
  }

  /** Where one unit of the query sits in every page that holds it: {…unit, matches, df}. */
  async match(unit, filters) {
    const matches = new Map();
    const put = (id, o, kind, share) => {
      const prev = matches.get(id);
      const credit = placeCredit(o.place, o.also) * kind * share;  // (to keep the best reading of the unit)
      if (!prev || credit > prev.credit) matches.set(id, { place: o.place, also: o.also, kind, share, title: o.title, titleShare: o.titleShare, credit });
    };
    const single = [...unit.text].length === 1 && /[\u3400-\u9fff]/.test(unit.text);
    const base = unit.typo ? KIND.typo : single ? KIND.single : KIND.typed;
    // a word of a synonym group is searched as its group's token alone (the word itself is one
    // of them): each more token to look up may be one more index chunk fetched on a cold page
    const literal = unit.group !== undefined ? new Map() : await this.wordHits(literalTokens(unit.text), filters);
    for (const [id, o] of literal) if (o.share >= 1) put(id, o, base, 1);
    if (unit.group !== undefined) {
      for (const [id, o] of await this.wordHits([groupToken(unit.group)], filters)) put(id, o, base, 1);
    }
    for (const alt of unit.alts || []) {  // the other readings of a typo, and their groups
      for (const [id, o] of await this.wordHits(literalTokens(alt), filters)) if (o.share >= 1) put(id, o, base, 1);
      const g = this.lex.group.get(alt);
      if (g !== undefined) for (const [id, o] of await this.wordHits([groupToken(g)], filters)) put(id, o, base, 1);
    }
    if (!matches.size) {  // no page holds it whole: the pages holding most of its pairs
      for (const [id, o] of literal) if (o.share >= 0.5) put(id, o, KIND.partial, o.share);
    }
    const df = [...matches.values()].filter((m) => m.share >= 1).length || matches.size;
    return { ...unit, matches, df };
  }

  /** Pages holding a word whole, or (with `group`) any word of its synonym group. */
  async df(word, filters, group = false) {
    const g = group ? this.lex.group.get(word) : undefined;
    const tokens = g !== undefined ? [groupToken(g)] : literalTokens(word);
    return [...(await this.wordHits(tokens, filters)).values()].filter((o) => o.share >= 1).length;
  }

  /** One-character typos, corrected against the dictionary's words (query.js: Lexicon.near):
   *  - inside a run of characters the dictionary does not know, a window from one segment
   *    boundary to another that no page holds (冻洁 in 账户被冻洁 → 冻结; not 话结 in 说话|结巴);
   *  - anywhere in a typed chunk, a window of three characters or more that no page holds, whose
   *    differing character is inside it (营业中了 → 营业终了; not 老人摔 → 老人家).
   *  The known word must be held by some page, and the differing characters must sound alike
   *  (Readings: 屯卡 → 吞卡, not 断卡; 灭了 is no typo of 亏了). Longest first; a window overlapping a correction
   *  already made is left alone. Returns [{from, to}]. */
  async typos(q, parsed, filters) {
    const chunks = q.normalize("NFKC").toLowerCase().split(/[\s\p{P}\p{S}]+/u).filter(Boolean);
    const cands = [];
    parsed.runs.forEach((run, r) => {
      const cuts = new Set(parsed.runCuts[r] || []);
      for (const n of this.lex.near(run)) if (cuts.has(n.at) && cuts.has(n.at + n.length)) cands.push(n);
    });
    for (const c of chunks) for (const n of this.lex.near(c)) if (n.length >= 3 && !n.edge) cands.push(n);
    cands.sort((a, b) => b.length - a.length);
    // a typo sounds like the character meant: checked first, as it costs no index look-up
    const sounds = cands.length ? await this.alike() : null;
    const fixes = [];
    const tried = new Set();
    for (const cand of cands) {
      if (tried.size >= 16) break;
      if (sounds && !sounds.alike(cand.typed, cand.known)) continue;
      const key = cand.window + ">" + cand.word;
      if (tried.has(key) || fixes.some((f) => f.from !== cand.window && overlap(f.from, cand.window))) continue;
      tried.add(key);
      if (await this.df(cand.window, filters)) continue;
      if (!(await this.df(cand.word, filters, true))) continue;
      // every known word one character from the same window is a reading of it (晕到: 晕倒 or
      // 捡到): the ranking, not the order of the dictionary, decides between them
      const same = fixes.find((f) => f.from === cand.window);
      if (same) same.alts.push(cand.word);
      else if (!fixes.some((f) => overlap(f.from, cand.window))) fixes.push({ from: cand.window, to: cand.word, alts: [] });
    }
    return fixes;
  }

  /** For tied pages: the place credit of the query's group words as typed (a word of a synonym
   *  group is otherwise searched by its group's token alone; looked up only when a tie needs it). */
  async typedCredit(units, ids, filters) {
    const out = new Map();
    for (const u of units) {
      if (u.group === undefined) continue;
      for (const [id, o] of await this.wordHits(literalTokens(u.text), filters)) {
        if (ids.has(id) && o.share >= 1) out.set(id, (out.get(id) || 0) + placeCredit(o.place, o.also));
      }
    }
    return out;
  }

  /** Every candidate of a query, ranked: {query, units, dropped, howto, fixes, ranked, exact}. */
  async search(q, filters = {}) {
    const pages = await this.layout();
    let parsed = parseQuery(q, this.lex);
    let text = q;
    const fixes = [];
    for (const f of await this.typos(q, parsed, filters)) {
      const fixed = correct(text, f.from, f.to);
      if (fixed) { text = fixed; fixes.push(f); }
    }
    if (fixes.length) {
      parsed = parseQuery(text, this.lex);
      const by = new Map(fixes.map((f) => [f.to, f]));
      parsed.units = parsed.units.map((u) => (by.has(u.text) ? { ...u, typo: true, alts: by.get(u.text).alts } : u));
    }
    const units = await Promise.all(parsed.units.map((u) => this.match(u, filters)));
    // a query that only names a topic (keywords, no sentence around them) asks for the item about it
    const topic = !parsed.howto && !parsed.dropped.length && units.length <= TOPIC_WORDS;
    let ranked = rankPages(units, pages, this.n || pages.size, parsed.howto ? "howto" : topic ? "topic" : null);
    const tied = tiedIds(ranked, 1);  // (the first place only: rank.js breakTies)
    if (tied.size) ranked = breakTies(ranked, await this.typedCredit(units, tied, filters), 1);
    const exact = ranked.length > 0 && ranked[0].complete && !fixes.length;
    return { query: q, units, dropped: parsed.dropped, howto: parsed.howto, topic, fixes, ranked, exact };
  }

  /** Fetch the records of ranked[from, to) for display: [{…ranked, data, where, matched}]. */
  async read(found, from, to) {
    return Promise.all(found.ranked.slice(from, to).map(async (p) => {
      const data = await this.results.get(p.id).data();
      const matched = p.held.map((i) => found.units[i].text);
      return { ...p, data, where: where(data.meta, found.units, p, this.lex.groups), matched,
               all: p.complete };
    }));
  }
}

/** Where the page's best-placed word is written, for the snippet: {place, word} or null. */
function where(meta, units, p, groups) {
  const fields = { title: meta.title, questions: meta.questions, heads: meta.heads, summary: meta.summary, body: meta.text };
  for (const i of [p.best?.unit, ...p.held]) {
    if (i === undefined) continue;
    const u = units[i];
    const words = [u.text, ...(u.group !== undefined ? groups[u.group] : [])];
    for (const place of ["title", "questions", "heads", "summary", "body"]) {
      for (const w of words) if (norm(fields[place]).includes(norm(w))) return { place, word: w };
    }
  }
  return null;
}

export { PLACES };
