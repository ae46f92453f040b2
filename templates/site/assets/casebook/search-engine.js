// casebook search: what a query means, which pages hold it, and in what order (no UI here).
//
// The index (scripts/casebook/site/search.py) holds, per item and per part of it (title, 话术
// card headings, summary, body), every pair of neighbouring Chinese characters as an ASCII
// token, Latin words as they are, and one token per word group of cases/search-terms.yml and
// the vocabulary (search_groups.py) whose words occur there.
//
// A query is split into parts: each space-separated word, and inside a word the known terms
// (卡被吞了 → 卡被吞; 代取养老金 → 代取 + 养老金). A part that is a known term searches its
// group's token (any word of the group); other parts search their character pairs (all of them:
// Pagefind ANDs). A part that finds nothing is read as a typo: a known term one character away
// (轮倚 → 轮椅), else the pages holding most of its pairs, else its first character.
//
// Ranking (README, 搜索怎样排序), within each step of "holds all / most typed words" (below):
//     score = Σ over parts  max over the part's words w  place(w) × kind(w)   +   prior(type)
// place: title 10, 话术 card heading 6, summary 3, body 1 (the best place the word occurs in);
// kind: the word typed 1, another word of its group 0.95, a typo's correction 0.8 (the rest of
// its group 0.76); a part whose pairs occur but not as one word (scattered) counts 0.5; a
// partial (fallback) match counts 0.3 × the share of its pairs found.
// prior: 服务指引, 应急预案, 服务规范 +1.5; 投诉案例 +0.5; stories and courses 0.
// Pages holding every typed word come first (a word cut into known terms is held when one of
// its pieces is), then pages holding most of them; the score orders pages within each step.
// Pagefind picks the candidates with the same place weights (data-pagefind-weight); the first
// ten candidates (one step of the list) are read and scored as above.

export const PLACE = { title: 10, heads: 6, summary: 3, body: 1 };
export const KIND = { typed: 1, synonym: 0.95, typo: 0.8, scattered: 0.5, partial: 0.3 };
export const PRIOR = { 服务指引: 1.5, 应急预案: 1.5, 服务规范: 1.5, 投诉案例: 0.5 };
// a title that is mostly the matched word is about it: + FOCUS × (word length / title length)
export const FOCUS = 1;
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+/g;
const LATIN = /[A-Za-z0-9]+(?:[.\-][A-Za-z0-9]+)*/g;
// question words and particles carry no topic: 老人取钱怎么办 → 老人 + 取钱
// (a trailing particle only goes when what is left is a known term: 营业中了 is a typo, not 营业中)
const QUESTION = /怎么办|怎么处理|怎么弄|怎么|如何|什么|咋办|咋整|咋弄|该干啥|干啥|干什么|该做啥|应该|需要|可以|的时候|时候/g;
const PARTICLE = /[了吗呢啊吧呀的]+$/;
const strip = (text) => text.replace(QUESTION, "");

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

export class Terms {
  constructor(groups) {
    this.groups = groups;
    this.byTerm = new Map();
    groups.forEach((words, i) => words.forEach((w) => this.byTerm.set(w.toLowerCase(), i)));
    this.longest = Math.max(2, ...[...this.byTerm.keys()].map((t) => [...t].length));
  }
  group(word) { return this.byTerm.get(word.toLowerCase()); }
  /** Known terms one character away from `word` (same length, one character differs): [[term, group]]. */
  near(word) {
    const w = [...word.toLowerCase()];
    const out = [];
    if (w.length < 2) return out;
    for (const [t, g] of this.byTerm) {
      const c = [...t];
      if (c.length !== w.length) continue;
      let diff = 0;
      for (let i = 0; i < c.length && diff < 2; i++) diff += c[i] !== w[i];
      if (diff === 1) out.push([t, g]);
    }
    return out;
  }
  /** A word cut into known terms (longest first, left to right) and the pieces between them. */
  segment(word) {
    const ch = [...word];
    const out = [];
    let lit = "";
    for (let i = 0; i < ch.length;) {
      let found = 0;
      for (let n = Math.min(this.longest, ch.length - i); n >= 2 && !found; n--) {
        if (this.byTerm.has(ch.slice(i, i + n).join("").toLowerCase())) found = n;
      }
      if (found) {
        if (lit) out.push({ text: lit });
        lit = "";
        const text = ch.slice(i, i + found).join("");
        out.push({ text, group: this.group(text) });
        i += found;
      } else lit += ch[i++];
    }
    if (lit) out.push({ text: lit });
    return out;
  }
}

/** The typed words of a query. */
export const typedWords = (q) => q.normalize("NFKC").trim().split(/\s+/).filter(Boolean);

/** The parts of a query: [{text, word, group?}] (word: which typed word; group: index into terms.groups). */
export function analyse(q, terms) {
  const parts = [];
  typedWords(q).forEach((word, wi) => {
    const g = terms.group(word);
    if (g !== undefined) { parts.push({ text: word, word: wi, group: g }); return; }
    const pieces = terms.segment(word);
    if (!pieces.some((p) => p.group !== undefined)) {
      let core = strip(word);
      const bare = core.replace(PARTICLE, "");
      // a word that is only a question (被骗了 怎么办 → 被骗了): no part, unless it is the whole query
      if (!bare && typedWords(q).length > 1) return;
      if (bare !== core && terms.segment(bare).some((p) => p.group !== undefined)) core = bare;
      if (core !== word && core.length >= 2 && terms.segment(core).some((p) => p.group !== undefined)) {
        for (const p of terms.segment(core)) if (p.group !== undefined || [...p.text].length >= 2) parts.push({ ...p, word: wi });
      } else parts.push({ text: core.length >= 2 ? core : word, word: wi });
      return;
    }
    for (const p of pieces) {
      const text = p.group !== undefined ? p.text : strip(p.text).replace(PARTICLE, "");
      if (p.group !== undefined) parts.push({ ...p, word: wi });
      else if ([...text].length >= 2) parts.push({ text, word: wi });
    }
  });
  // the same group twice is one part
  const seen = new Set();
  return parts.filter((p) => {
    const key = p.group !== undefined ? "g" + p.group : "w" + p.text;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The words a part may appear as, each with its kind. */
export function partWords(part, terms) {
  if (part.near) {
    return part.near.flatMap(([t, g]) => [[t, KIND.typo],
      ...terms.groups[g].filter((w) => w.toLowerCase() !== t).map((w) => [w, KIND.typo * KIND.synonym])]);
  }
  if (part.group === undefined) return [[part.text, KIND.typed]];
  return [[part.text, KIND.typed], ...terms.groups[part.group].filter((w) => w.toLowerCase() !== part.text.toLowerCase()).map((w) => [w, KIND.synonym])];
}

const norm = (s) => (s || "").toLowerCase();

/** Where and how well one part sits in one page: {credit, place, word}. */
export function placePart(part, words, meta) {
  const fields = { title: norm(meta.title), heads: norm(meta.heads), summary: norm(meta.summary), body: norm(meta.text) };
  let best = { credit: 0, place: null, word: null };
  for (const [w, kind] of words) {
    const lw = norm(w);
    for (const place of Object.keys(PLACE)) {
      if (fields[place].includes(lw)) {
        const credit = PLACE[place] * kind;
        if (credit > best.credit) best = { credit, place, word: w };
        break;  // places are in falling weight: the first found is this word's best
      }
    }
  }
  return best;
}

/** The explainable score of a page (see the top of this file). */
export function scorePage(parts, meta, found) {
  let score = PRIOR[meta.type] || 0, where = null;
  const full = new Set(), some = new Set();  // typed words held whole / in part
  const placed = [];  // per part: does one of its words occur as written?
  parts.forEach((part, i) => {
    let p = placePart(part, part.words, meta);
    placed.push(!!p.credit);
    if (!p.credit && found[i] > 0) {
      p = { credit: found[i] >= 1 ? KIND.scattered : KIND.partial * found[i], place: null, word: null };
    }
    if (p.credit) some.add(part.word);
    if (p.credit && (p.word || found[i] >= 1)) full.add(part.word);
    if (p.word && (!where || PLACE[p.place] > PLACE[where.place])) where = p;
    score += p.credit;
    if (p.word && p.place === "title" && meta.title) score += FOCUS * [...p.word].length / [...meta.title].length;
  });
  return { score, held: some.size, complete: full.size, where, placed };
}

/** Does the page's text hold every typed word as written? */
export function holdsAll(q, meta) {
  const text = norm([meta.title, meta.heads, meta.summary, meta.text].join("\n")).replace(/\s+/g, "");
  return q.normalize("NFKC").trim().split(/\s+/).filter(Boolean).every((w) => text.includes(norm(w)));
}

export class Engine {
  constructor(pagefind, terms) { this.pf = pagefind; this.terms = terms; }

  async _ids(tokens, filters) {
    if (!tokens.length) return new Map();
    const found = await this.pf.search(tokens.join(" "), { filters });
    return new Map(found.results.map((r) => [r.id, r]));
  }

  /** Every candidate page of a query, best first by Pagefind, with how much of each part it holds.
   *  Returns {parts, candidates: [{result, found: [share per part], held, pf}], exact: bool}. */
  async candidates(q, filters = {}, suspect = new Set()) {
    const parts = analyse(q, this.terms);
    const perPart = [];
    for (const part of parts) {
      let share = new Map();  // page id → {r, share: the part of this part the page holds, 0–1}
      if (part.group !== undefined) {
        for (const [id, r] of await this._ids([groupToken(part.group)], filters)) share.set(id, { r, share: 1, score: r.score || 0 });
      } else {
        // each token alone (Pagefind drops a query word it does not know instead of finding nothing)
        const tokens = literalTokens(part.text);
        const each = await Promise.all((suspect.has(part.text) ? [] : tokens).map((t) => this._ids([t], filters)));
        for (const hits of each) {
          for (const [id, r] of hits) {
            const prev = share.get(id) || { r, share: 0, score: 0 };
            share.set(id, { r: prev.r, share: prev.share + 1 / tokens.length, score: prev.score + (r.score || 0) / tokens.length });
          }
        }
        for (const v of share.values()) if (v.share > 0.999) v.share = 1;
        if (![...share.values()].some((v) => v.share === 1)) {
          // a typo? a known term one character away (轮倚 → 轮椅, 电信炸骗 → 电信诈骗)
          const near = this.terms.near(part.text);
          if (near.length) {
            part.near = near;
            for (const g of new Set(near.map(([, g]) => g))) {
              for (const [id, r] of await this._ids([groupToken(g)], filters)) {
                const prev = share.get(id);  // the best of the corrections
                if (!prev || prev.share < 1 || prev.score < (r.score || 0)) share.set(id, { r, share: 1, score: r.score || 0 });
              }
            }
          } else if (!share.size) {
            // nothing at all: pages with a pair that starts with one of its characters
            const chars = [...part.text].filter((c) => c.match(CJK)).slice(0, 2);
            for (const c of chars) {
              for (const [id, r] of await this._ids([pairToken(c)], filters)) {
                const prev = share.get(id) || { r, share: 0, score: 0 };
                share.set(id, { r: prev.r, share: prev.share + 0.5 / chars.length, score: prev.score + (r.score || 0) / chars.length });
              }
            }
          }
        }
      }
      part.words = partWords(part, this.terms);
      perPart.push(share);
    }
    const pages = new Map();
    perPart.forEach((share, i) => {
      for (const [id, { r, share: s, score }] of share) {
        if (!pages.has(id)) pages.set(id, { result: r, found: parts.map(() => 0), pf: 0 });
        const page = pages.get(id);
        page.found[i] = s;
        page.pf += score;
      }
    });
    const list = [...pages.values()];
    for (const p of list) {
      p.held = new Set(parts.filter((_, i) => p.found[i] > 0).map((q) => q.word)).size;
      p.complete = new Set(parts.filter((_, i) => p.found[i] >= 1).map((q) => q.word)).size;
    }
    list.sort((a, b) => b.complete - a.complete || b.held - a.held || b.pf - a.pf);
    const words = new Set(parts.map((p) => p.word)).size;
    // as typed: no word read as a typo and some page holds every word
    const exact = list.length > 0 && list[0].complete === words && !parts.some((p) => p.near);
    return { parts, words, candidates: list, exact };
  }

  /** Read and score candidates [from, to): [{data, score, held, complete, where, all}] best first. */
  async rank(parts, candidates, from, to) {
    const slice = candidates.slice(from, to);
    const read = await Promise.all(slice.map(async (c) => {
      const data = await c.result.data();
      const s = scorePage(parts, data.meta, c.found);
      return { data, ...s, all: s.complete === new Set(parts.map((p) => p.word)).size };
    }));
    return read.sort((a, b) => b.complete - a.complete || b.held - a.held || b.score - a.score);
  }

  /** Candidates and the first `n` of them read and ranked. Pagefind answers a query word it does
   *  not hold with words that only begin alike; a one-pair word none of whose read pages holds it
   *  is such a case, and is searched again as a typo. */
  async search(q, filters = {}, n = 10) {
    let c = await this.candidates(q, filters);
    let top = await this.rank(c.parts, c.candidates, 0, n);
    const suspect = new Set(c.parts.filter((p, i) => p.group === undefined && !p.near &&
      literalTokens(p.text).length === 1 && !top.some((r) => r.placed[i])).map((p) => p.text));
    if (suspect.size) {
      c = await this.candidates(q, filters, suspect);
      top = await this.rank(c.parts, c.candidates, 0, n);
    }
    return { ...c, top };
  }
}
