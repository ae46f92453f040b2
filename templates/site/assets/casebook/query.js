// casebook search: what a typed query means — its words, its fillers, whether it asks how to do
// something, and which of its pieces may be typos. No index access and no UI here.
//
// The lexicon comes with the index (pagefind/casebook-terms.json, built by site/search.py from
// the library): word groups (synonyms), words (group words, vocabulary, tags), pieces (2–4
// characters recurring in titles and 常见问法), stop phrases and how-to phrases (both from
// cases/search-terms.yml).
//
// A query is cut into words by the cheapest cut of each typed chunk (dynamic programming):
// a known word costs WORD, a recurring piece PIECE, a stop or how-to phrase DROP (it is dropped),
// a character the lexicon does not know UNKNOWN. So 老年客户 beats 老年 + 客户, a word beats a
// fragment that straddles two words (客户 在 厅堂 beats 客户在厅 + 堂), and unknown characters are
// taken only where nothing else fits. Runs of unknown characters go to Intl.Segmenter (the
// browser's own dictionary); single-character stop words (了 吗 的 要 …) are dropped only there,
// where they stand alone, so 要求 or 说明 keep their first character — and so is a segment made
// only of them (我的, 还有, 想在, 就在: Intl.Segmenter joins two fillers into one "word").
//
// A typo is a known word one character away whose differing character sounds alike (Readings:
// the table of site/search_readings.py, fetched only when a query has a window to try): 屯卡 is
// 吞卡, while 灭了 in a sentence is not 亏了.

export const COST = { WORD: 1, PIECE: 1.3, DROP: 0.2, UNKNOWN: 1.6 };
const CJK = /[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]/;
const lower = (s) => String(s).normalize("NFKC").toLowerCase();
const chars = (s) => [...s];

export class Lexicon {
  constructor({ groups = [], words = [], pieces = [], stop = [], howto = [] } = {}) {
    this.groups = groups;
    this.group = new Map();
    groups.forEach((ws, i) => ws.forEach((w) => this.group.set(lower(w), i)));
    this.cost = new Map();
    for (const w of pieces) if (chars(w).length >= 2) this.cost.set(lower(w), COST.PIECE);
    for (const w of [...words, ...this.group.keys()]) if (chars(w).length >= 2) this.cost.set(lower(w), COST.WORD);
    this.drop = new Map();
    this.stop = new Set(stop.map(lower));
    for (const s of stop) if (chars(s).length >= 2) this.drop.set(lower(s), false);
    for (const h of howto) this.drop.set(lower(h), true);
    this.howto = howto.map(lower);
    this.longest = Math.max(2, ...[...this.cost.keys(), ...this.drop.keys()].map((w) => chars(w).length));
    this.byLength = new Map();  // for typo candidates: the known words (not pieces) by length
    for (const [w, c] of this.cost) {
      if (c !== COST.WORD) continue;
      const n = chars(w).length;
      if (!this.byLength.has(n)) this.byLength.set(n, []);
      this.byLength.get(n).push(w);
    }
  }

  /** The cheapest cut of one chunk: [{kind: "word"|"drop"|"run", text, howto?}]. */
  cut(chunk) {
    const ch = chars(chunk);
    const n = ch.length;
    const best = new Array(n + 1).fill(Infinity);
    const back = new Array(n + 1).fill(null);
    best[0] = 0;
    for (let i = 0; i < n; i++) {
      if (best[i] === Infinity) continue;
      for (let j = Math.min(n, i + this.longest); j >= i + 2; j--) {
        const w = ch.slice(i, j).join("");
        let c = this.cost.get(w);
        let kind = "word";
        if (this.drop.has(w) && (c === undefined || COST.DROP < c)) { c = COST.DROP; kind = "drop"; }
        if (c !== undefined && best[i] + c < best[j]) { best[j] = best[i] + c; back[j] = { i, kind, text: w }; }
      }
      if (best[i] + COST.UNKNOWN < best[i + 1]) { best[i + 1] = best[i] + COST.UNKNOWN; back[i + 1] = { i, kind: "run", text: ch[i] }; }
    }
    const out = [];
    for (let j = n; j > 0; j = back[j].i) out.unshift(back[j]);
    const merged = [];
    for (const p of out) {  // neighbouring unknown characters are one run
      const last = merged[merged.length - 1];
      if (p.kind === "run" && last && last.kind === "run") last.text += p.text;
      else merged.push({ kind: p.kind, text: p.text, ...(p.kind === "drop" ? { howto: this.drop.get(p.text) } : {}) });
    }
    return merged;
  }

  /** Known words one character away from a window of `run`, longest first:
   *  [{at, length, word, window, edge, typed, known}] — 被冻洁 → 冻洁 → 冻结; edge: the differing
   *  character is the window's first or last; typed, known: the differing characters. */
  near(run) {
    const ch = chars(run);
    const out = [];
    for (let len = Math.min(ch.length, this.longest); len >= 2; len--) {
      for (let at = 0; at + len <= ch.length; at++) {
        const win = ch.slice(at, at + len);
        if (!win.every((c) => CJK.test(c))) continue;
        for (const w of this.byLength.get(len) || []) {
          const wc = chars(w);
          let diff = 0, where = -1;
          for (let k = 0; k < len && diff < 2; k++) if (wc[k] !== win[k]) { diff++; where = k; }
          if (diff === 1) out.push({ at, length: len, word: w, window: win.join(""), edge: where === 0 || where === len - 1,
                                     typed: win[where], known: wc[where] });
        }
      }
    }
    return out;
  }
}

/** Which characters sound alike (site/search_readings.py: a pinyin keyboard's homophones, with
 *  its fuzzy initials and finals folded): a typo is a homophone of the character meant. */
export class Readings {
  constructor(table = {}) {
    this.keys = new Map();  // character → its reading keys
    for (const [key, cs] of Object.entries(table)) {
      for (const c of chars(cs)) {
        if (!this.keys.has(c)) this.keys.set(c, []);
        this.keys.get(c).push(key);
      }
    }
  }

  /** Do two characters share a reading? (A character the table lacks sounds like nothing.) */
  alike(a, b) {
    const ka = this.keys.get(a), kb = this.keys.get(b);
    return !!ka && !!kb && ka.some((k) => kb.includes(k));
  }
}

let segmenter = null;
function segment(run) {
  if (segmenter === null) {
    try { segmenter = new Intl.Segmenter("zh", { granularity: "word" }); } catch (e) { segmenter = false; }
  }
  if (!segmenter) return [run];  // (no Intl.Segmenter: the run is searched by its character pairs)
  return [...segmenter.segment(run)].filter((s) => s.isWordLike !== false || CJK.test(s.segment)).map((s) => s.segment);
}

/** Does a bare 怎么 ask why rather than how? 怎么 before a negation or an adverb (怎么没到,
 *  怎么不让取, 怎么还收钱) or in a sentence ending in 了 (怎么变成保险了, 怎么亏了) is surprise —
 *  a customer's complaint, not a how-to question; 怎么取, 怎么办, 该怎么接待 stay how-to. */
export const WHY_AFTER = "没不还又就会都也才";
export function whyNotHow(text, lex) {
  const t = text.replace(/\s+/g, "");
  const other = lex.howto.filter((h) => h !== "怎么" && t.includes(h));
  if (other.some((h) => !"怎么".includes(h) && !h.endsWith("怎么"))) return false;  // 怎么办, 如何 …
  const at = t.indexOf("怎么");
  if (at < 0) return false;
  return WHY_AFTER.includes(t[at + 2] || "") || t.endsWith("了");
}

/** Does the query ask whether to do something — a verb, 不 or 没, the verb again (能不能投,
 *  要不要告诉, 开不开门, 删不删)? That asks for the rule, as 怎么办 does. Not 是不是: a customer's
 *  是不是你们… is an accusation. */
export const asksWhether = (text) => [...text.matchAll(/(\p{Script=Han})[不没]\1/gu)].some((m) => m[1] !== "是");

/** Is a segment of two characters or more made only of one-character stop words (我的, 还有,
 *  想在)? Intl.Segmenter joins such fillers into one "word", which then matches everywhere. */
export const fillersOnly = (s, lex) => chars(s).length > 1 && chars(s).every((c) => lex.stop.has(c));

/** The words of a query: {units, dropped, howto, runs}.
 *  units: [{text, group?, run?}] in typed order, each word once (a group once);
 *  run: index into runs (the unknown stretch the unit came from, for typo correction), and
 *  runCuts[run] where its segments start and end;
 *  dropped: the stop and how-to phrases taken out; howto: does it ask how to do something. */
export function parseQuery(q, lex) {
  const text = lower(q).replace(/[\s\p{P}\p{S}]+/gu, " ").trim();
  const units = [], dropped = [], runs = [], runCuts = [];
  let howto = lex.howto.some((h) => text.replace(/\s+/g, "").includes(h)) || asksWhether(text);
  const add = (t, extra = {}) => {
    const g = lex.group.get(t);
    units.push({ text: t, ...(g !== undefined ? { group: g } : {}), ...extra });
  };
  for (const chunk of text.split(" ").filter(Boolean)) {
    // Latin words and numbers (ATM, 95566, 3.5) stand as they are
    for (const piece of chunk.split(/([a-z0-9]+(?:[.\-][a-z0-9]+)*)/)) {
      if (!piece) continue;
      if (/^[a-z0-9]/.test(piece)) { add(piece); continue; }
      if (!CJK.test(piece)) continue;
      for (const p of lex.cut(piece)) {
        if (p.kind === "drop") { dropped.push(p.text); howto = howto || p.howto; continue; }
        if (p.kind === "word") { add(p.text); continue; }
        const r = runs.push(p.text) - 1;
        const cuts = [0];  // where the run's segments start and end (typo windows keep to them)
        for (const s of segment(p.text)) {
          cuts.push(cuts[cuts.length - 1] + chars(s).length);
          if (lex.stop.has(s) || lex.drop.has(s)) { dropped.push(s); howto = howto || !!lex.drop.get(s); continue; }
          if (fillersOnly(s, lex)) { dropped.push(s); continue; }
          if (chars(s).length === 1 && !CJK.test(s)) continue;
          add(s, { run: r });
        }
        runCuts.push(cuts);
      }
    }
  }
  // the same word or group twice is one unit
  const seen = new Set();
  const once = units.filter((u) => {
    const key = u.group !== undefined ? "g" + u.group : "w" + u.text;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  // a query that is only fillers (就是 怎么办) still searches what was typed
  if (!once.length && text) once.push({ text: text.replace(/\s+/g, "") });
  return { units: once, dropped, howto: howto && !whyNotHow(text, lex), runs, runCuts };
}

/** The query with one window of a run replaced by a known word (a corrected typo). */
export function correct(q, window, word) {
  const at = lower(q).indexOf(window);
  if (at < 0) return null;
  const s = lower(q);
  return s.slice(0, at) + word + s.slice(at + window.length);
}
