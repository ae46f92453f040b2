// casebook search: the order of results. Pure functions over what the index says about every
// candidate page; no index access and no UI here. THE RANKING FORMULA (README: 搜索怎样排序):
//
//   score(page) = ( Σ over the query's words w that the page holds:
//                        idf(w) × PLACE[part where w sits] × KIND[how w matched] × share
//                 + COVER × idf̄ × title coverage )
//                 × (1 − HOLD + HOLD × held)
//                 × (1 + INTENT[intent] × titled if the page is a procedure)
//                 + TIE[type]
//
//   idf(w)   = ln(1 + N / df(w)) ^ IDF_POWER: N items in the library, df(w) of them hold w. A word
//              most pages hold (客户, a customer group) counts less than the topical one (养老金,
//              吞卡). IDF_POWER (0.7) flattens the curve: in a sentence, an incidental word that one
//              or two items hold by chance no longer outweighs the several words the answer holds
//              together. Measured with the formula as it stands, first hits on four tuning sets
//              (blind, judged, heldout, blind2: 718 queries) are flat from 0.5 to 1 (672, 669,
//              671, 671, 671 at 0.5, 0.6, 0.7, 0.8, 1); a fifth set of sentence-heavy queries
//              (blind3, 217) gives 197, 199, 199, 195, 192, and BM25's idf (ln(1 + (N − df + ½)
//              / (df + ½))) gives 665 and 188: 0.7 sits inside a plateau, not on a peak.
//   PLACE    = title 1, 常见问法 0.8, 话术 card heading 0.6, tags 0.5, summary 0.4, body 0.2: the
//              best part of the item holding all of the word's character pairs, + SPREAD (0.25) ×
//              the PLACE of every other part holding them (an item about the word has it in
//              many parts: the guide for older customers, not a story that names one in its title).
//   KIND     = the word as typed, or any word of its synonym group, 1; a typo's correction 0.8;
//              a single character 0.3. share: 1, or for a word no page holds whole, the part of its
//              character pairs the page holds × 0.5.
//   held     = the share of the query's idf the page holds (Σ idf × share of the words it holds
//              / Σ idf of all): HOLD = 0.5, so a page missing the query's main word loses up to
//              half, one missing a generic word little (four tuning sets: 672, 671, 670 first
//              hits at HOLD 0.4, 0.5, 0.6; saturating each word's place credit the BM25 way,
//              x(1 + k)/(x + k), to favour pages holding more of the words lost 4 to 14).
//   title coverage = the share of the title's characters the query's words account for (a title
//              that is mostly the query is about it): the index lays the title out one token per
//              character, and a word group once per character pair its words cover there, as a
//              typed word's pairs do (site/search.py title_tokens), so 老人 covers 3 positions of
//              老年客户及行动不便客户服务's 13 and 3 of 疑似认知障碍（失智）老年客户服务's 14 — the
//              guide on older customers first, not the one on dementia (a group counted once gave
//              both nearly the same credit; counting characters rather than pairs, a group word
//              one more than the same word typed, cost a sentence query on blind3); idf̄ is the
//              mean idf of the query's words.
//   INTENT   = for 应急预案, 服务指引, 服务规范 (procedures; 晨会微演练, which rehearse them, half as
//              much): 0.35 (0.25 and 0.45 give 670 and 671 on the four sets) when the query asks how
//              to do something (怎么办, 如何 …: "howto"; not a bare 怎么 of surprise, 怎么没到 or
//              怎么变成保险了: query.js whyNotHow) or whether to (开不开门, 要不要告诉: query.js
//              asksWhether; not 是不是), 0.3 when it only names a topic (up to three
//              words, no filler dropped: "topic" — 老人 asks for the guide on older customers).
//   titled   = for a topic, the share of the query's idf the page holds in its title (the procedure
//              ABOUT the topic, not one that names it in passing: 理财跌破本金 asks for the case of
//              that title before the guide on selling wealth products); a word the page holds whole
//              but not in its title counts by titleShare, the share of the word's character pairs
//              its title holds (挂失补卡 asks for 卡折丢失、挂失补办和忘记密码, whose title holds
//              挂失: four tuning queries of that kind 2 more first); for how-to, 1.
//   TIE      = a thousandth or less, by type (指引, 预案, 规范, 案例, 演练, 故事, 课程): it only orders
//              pages whose scores are otherwise equal.
//
// Pages still sharing the first place exactly (a word of a synonym group, held by two cases in the
// same parts) are ordered by where they hold the words AS TYPED (breakTies: 犹豫期 puts the case
// whose tags and 常见问法 say 犹豫期 before the one saying 退保 there), then by Pagefind's page id.
// Only the first place: the typed words' own tokens are one more look-up (search-engine.js
// typedCredit), worth its bytes where the answer shown first is a coin toss — breaking every tie
// among the first five put 老年客户's first query at 1,000 items from 267 to 392 KiB.
//
// Pages holding every word are not put first by rule: HOLD weighs what a page misses by its idf
// (missing the topic costs much, missing a generic word little). Every candidate the index
// returns is scored: the box and the /search/ page show the same order.

export const PLACES = ["title", "questions", "heads", "tags", "summary", "body"];  // the record's parts, in order
export const PLACE = { title: 1, questions: 0.8, heads: 0.6, tags: 0.5, summary: 0.4, body: 0.2 };
export const KIND = { typed: 1, typo: 0.8, single: 0.3, partial: 0.5 };
export const SPREAD = 0.25;
export const HOLD = 0.5;
export const COVER = 0.6;

/** The place credit of a word: its best part, and a little for each other part holding it. */
export const placeCredit = (place, also = []) =>
  PLACE[PLACES[place]] + SPREAD * also.reduce((sum, k) => sum + PLACE[PLACES[k]], 0);
export const INTENT = { howto: 0.35, topic: 0.3 };
// how much of the intent bonus each type of procedure takes: a drill rehearses what the plan,
// guide or standard lays down, so it takes half
export const PROCEDURES = { emergency: 1, guide: 1, standard: 1, drill: 0.5 };
export const TIE = { guide: 6e-4, emergency: 5e-4, standard: 4e-4, complaint: 3e-4, drill: 2e-4, story: 1e-4, course: 0 };

export const IDF_POWER = 0.7;
export const idf = (n, df) => Math.log(1 + n / Math.max(1, df)) ** IDF_POWER;

/** Which part a word position is in, given the positions where the parts start. */
export function partAt(starts, location) {
  let k = 0;
  while (k + 1 < starts.length && starts[k + 1] <= location) k++;
  return k;
}

/** Score every candidate page.
 *  units: [{text, matches: Map(page → {place: index into PLACES, also: [other parts], kind, share, title: [positions],
 *           titleShare: share of the word's tokens in the title}), df}]
 *  pages: Map(page → {type, titleTokens}); n: items in the library; intent: "howto", "topic" or null.
 *  Returns [{id, score, held: [unit index], complete: bool, best: {unit, place}}], best first. */
export function rankPages(units, pages, n, intent = null) {
  const weights = units.map((u) => idf(n, u.df));
  const mean = weights.length ? weights.reduce((a, b) => a + b, 0) / weights.length : 0;
  const all = new Map();
  units.forEach((u, i) => {
    for (const [id, m] of u.matches) {
      if (!all.has(id)) all.set(id, { id, sum: 0, held: [], title: new Set(), best: null });
      const p = all.get(id);
      const credit = weights[i] * placeCredit(m.place, m.also) * m.kind * m.share;
      p.sum += credit;
      p.held.push(i);
      for (const l of m.title || []) p.title.add(l);
      if (!p.best || credit > p.best.credit) p.best = { unit: i, place: PLACES[m.place], credit };
    }
  });
  const out = [];
  for (const p of all.values()) {
    const info = pages.get(p.id) || {};
    const coverage = info.titleTokens ? Math.min(1, p.title.size / info.titleTokens) : 0;
    const heldIdf = p.held.reduce((sum, i) => sum + weights[i] * Math.min(1, units[i].matches.get(p.id).share), 0);
    const total = weights.reduce((a, b) => a + b, 0) || 1;
    let score = (p.sum + COVER * mean * coverage) * (1 - HOLD + HOLD * heldIdf / total);
    // a topic asks for the procedure ABOUT it: the bonus goes by how much of the query its title holds
    const titled = intent === "topic"
      ? p.held.reduce((sum, i) => {
        const m = units[i].matches.get(p.id);
        return sum + weights[i] * (m.place === 0 ? Math.min(1, m.share) : (m.titleShare || 0));
      }, 0) / total
      : 1;
    if (intent && PROCEDURES[info.type]) score *= 1 + INTENT[intent] * PROCEDURES[info.type] * titled;
    score += TIE[info.type] || 0;
    const whole = p.held.filter((i) => units[i].matches.get(p.id).share >= 1);
    out.push({ id: p.id, score, held: p.held, complete: whole.length === units.length, best: p.best, type: info.type });
  }
  return out.sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Order runs of exactly equal scores among the first `upto` results by `typed` (page id → the
 *  place credit of the query's words as typed, not by a synonym), best first; the rest as they
 *  were. Returns a new array. */
export function breakTies(ranked, typed, upto = 5) {
  const out = ranked.slice();
  for (let i = 0; i < Math.min(upto, out.length);) {
    let j = i + 1;
    while (j < out.length && out[j].score === out[i].score) j++;
    if (j - i > 1) {
      const run = out.slice(i, j).map((p, k) => ({ p, k, t: typed.get(p.id) || 0 }));
      run.sort((a, b) => b.t - a.t || a.k - b.k);
      run.forEach((r, k) => { out[i + k] = r.p; });
    }
    i = j;
  }
  return out;
}

/** The ids of the pages in runs of equal scores that start among the first `upto` results. */
export function tiedIds(ranked, upto = 5) {
  const ids = new Set();
  for (let i = 0; i < Math.min(upto, ranked.length);) {
    let j = i + 1;
    while (j < ranked.length && ranked[j].score === ranked[i].score) j++;
    if (j - i > 1) for (let k = i; k < j; k++) ids.add(ranked[k].id);
    i = j;
  }
  return ids;
}
