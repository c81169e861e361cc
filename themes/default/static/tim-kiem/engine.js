// bantin search engine. Reads the index that `bantin build` writes beside this file
// (chi-muc/): a directory of shards, shards of inverted lists keyed by folded syllables and
// syllable pairs, and chunks of article data. No dependencies, no external requests.
//
//   import { search } from './engine.js';
//   const { total, results } = await search('dan toc', { limit: 10, offset: 0 });

const INDEX = new URL('chi-muc/', import.meta.url);
// The layout of the index this script reads (`INDEX_VERSION` in src/search/files.rs).
const INDEX_VERSION = 3;
const SITE = new URL('../', import.meta.url);
// First word position of each field (title, names, summary, captions, body), and the rank of
// a match in it: the same table as src/search/text.rs.
const FIELD_START = [0, 512, 1024, 2048, 4096];
const FIELD_RANK = [0, 1, 2, 4, 3];
const TONE_MARKS = '\u0300\u0301\u0303\u0309\u0323';
const TONES = new RegExp(`[${TONE_MARKS}]`, 'g');
const WORD = /[\p{L}\p{N}\p{M}]+/gu;
// Lists looked up at once: a pasted sentence of 70 syllables would fetch a good share of all
// shards. A longer phrase looks up its pairs this many at a time, until the articles still
// in the running fill at most this many chunks of text; the rest of the phrase (and of the
// query, past this many lists) is checked in that text.
const MAX_PAIRS = 8;
const utf8 = new TextDecoder();

// ------------------------------------------------------------------ Vietnamese text

// Letters Unicode does not decompose, as the indexer (`vi::fold`) spells them.
const LETTERS = { ø: 'o', ł: 'l', ß: 'ss', æ: 'ae', œ: 'oe', þ: 'th' };

/** `Đảng ủy` → `dang uy`: no marks, lower case, đ/ð → d, ø → o. */
function fold(text) {
  return text.normalize('NFD').toLowerCase().replace(/[\u0300-\u036f]/g, '').replace(/[đð]/g, 'd')
    .replace(/[øłßæœþ]/g, (c) => LETTERS[c]);
}

/** A syllable's letters and tone apart, so `hoà` and `hòa` (one word, two placements) agree. */
function spelling(word) {
  const d = word.normalize('NFD').toLowerCase().replace(/ð/g, 'đ');
  const tone = d.match(TONES);
  return d.replace(TONES, '').normalize('NFC') + (tone ? tone[0] : '');
}

/** Syllables of a text, NFC: runs of letters, marks and digits. */
function words(text) {
  return text.normalize('NFC').match(WORD) || [];
}

// How well an indexed spelling agrees with what the reader typed: 4 exactly as typed,
// 3 or 2 when the reader left marks out (3 for the spelling most articles use), 1 for a
// syllable still being typed, 0 when the typed marks differ (Tây for Tày).
function agreement(typed, indexed, preferred, partial) {
  if (partial) return 1;
  if (typed === indexed) return 4;
  const [tl, tt] = splitTone(typed), [xl, xt] = splitTone(indexed);
  if ((tt && tt !== xt) || tl.length !== xl.length) return 0;
  for (let i = 0; i < tl.length; i++) {
    if (tl[i] !== xl[i] && tl[i] !== fold(xl[i])) return 0;
  }
  return indexed === preferred ? 3 : 2;
}

// [letters, tone] of a spelling made by `spelling`.
function splitTone(s) {
  const letters = [...s];
  const tone = TONE_MARKS.includes(letters.at(-1)) ? letters.pop() : '';
  return [letters, tone];
}

// ------------------------------------------------------------------ index files

let directory = null;
const files = new Map();
// A file that has not arrived after this long is asked for again, once: a stalled request
// on a phone network must not freeze the search.
const PATIENCE_MS = 4000;

async function unpack(name, fresh, attempt) {
  const url = new URL(attempt ? `${name}${name.includes('?') ? '&' : '?'}retry=${attempt}` : name, INDEX);
  const response = await fetch(url, fresh ? { cache: 'no-cache' } : {});
  if (!response.ok) throw new Error(`${name}: HTTP ${response.status}`);
  let bytes = new Uint8Array(await response.arrayBuffer());
  // The files are gzip; a server that sent them with Content-Encoding already unpacked them.
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  }
  return bytes;
}

async function fetchBytes(name, fresh, attempt = 0) {
  let timer;
  const late = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${name}: no answer`)), PATIENCE_MS);
  });
  try {
    return await Promise.race([unpack(name, fresh, attempt), late]);
  } catch (error) {
    if (attempt === 0) return fetchBytes(name, fresh, 1);
    throw error;
  } finally {
    clearTimeout(timer);
  }
}

/** Loads the directory; later calls reuse it (or try again after a failure). */
export function init() {
  if (!directory) {
    directory = fetchBytes('meta.bin', true).then((b) => {
      const dir = JSON.parse(utf8.decode(b));
      if (dir.version !== INDEX_VERSION) {
        throw new Error(`search index version ${dir.version}, this script reads ${INDEX_VERSION}: the theme's tim-kiem/engine.js is older or newer than bantin`);
      }
      return dir;
    });
    directory.catch(() => { directory = null; });
  }
  return directory;
}

// File `number` of a kind (`k` shards, `d` display chunks): `k/0/7.bin`, a folder per
// `perFolder` files.
const inFolder = (dir, kind, number) => `${kind}/${Math.floor(number / dir.perFolder)}/${number}.bin`;

function file(name, parse) {
  if (!files.has(name)) {
    const loaded = init().then((d) => fetchBytes(`${name}?v=${d.stamp}`)).then(parse);
    loaded.catch(() => files.delete(name));
    files.set(name, loaded);
  }
  return files.get(name);
}

function reader(bytes, pos = 0) {
  return {
    pos,
    int() {
      let value = 0, shift = 0, byte;
      do {
        byte = bytes[this.pos++];
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte & 0x80);
      return value;
    },
    str() {
      const n = this.int();
      return utf8.decode(bytes.subarray(this.pos, (this.pos += n)));
    },
  };
}

// A shard: key → spellings, each { text, articles, bytes } with its list still encoded.
function parseShard(bytes) {
  const r = reader(bytes);
  const keys = new Map();
  for (let k = r.int(); k > 0; k--) {
    const key = r.str();
    const spellings = [];
    for (let v = r.int(); v > 0; v--) {
      const text = r.str();
      const articles = r.int();
      const n = r.int();
      spellings.push({ text, articles, bytes: bytes.subarray(r.pos, (r.pos += n)) });
    }
    keys.set(key, spellings);
  }
  return keys;
}

// The shard that would hold `key`: syllables and pairs have shards of their own (pairs from
// `pairShards` on), each part sorted by key.
function shardOf(dir, key) {
  const pair = key.includes(' ');
  let lo = pair ? dir.pairShards : 0, hi = pair ? dir.shards.length - 1 : dir.pairShards - 1;
  if (lo > hi) return -1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (dir.shards[mid] <= key) lo = mid; else hi = mid - 1;
  }
  return lo;
}

// Spellings under `key`, and, when `prefix`, under every key that starts with it
// (the reader is still typing the last syllable); at most three shards are read for that.
// The syllables that continue a prefix lie together: pairs are in shards of their own.
async function lookup(key, prefix) {
  const dir = await init();
  const first = shardOf(dir, key);
  if (first < 0) return []; // a site without articles
  const last = prefix ? Math.min(shardOf(dir, key + '\uffff'), first + 2) : first;
  const found = [];
  for (let s = first; s <= last; s++) {
    const keys = await file(inFolder(dir, 'k', s), parseShard);
    for (const [k, spellings] of keys) {
      const full = k === key;
      if (full || (prefix && k.startsWith(key) && !k.slice(key.length).includes(' '))) {
        for (const sp of spellings) found.push({ ...sp, partial: !full });
      }
    }
  }
  return found;
}

// ------------------------------------------------------------------ matching

// Per spelling position, the spelling most articles use: the reader who types no marks
// most likely means it (`dong bao` → đồng bào).
function preferredAt(lists, pick) {
  const counts = new Map();
  for (const sp of lists) if (!sp.partial) {
    const s = pick(sp);
    counts.set(s, (counts.get(s) || 0) + sp.articles);
  }
  let best = null, most = -1;
  for (const [s, n] of counts) if (n > most) { best = s; most = n; }
  return best;
}

// One syllable: articles by their best agreement and field, from per-article bytes
// (bits 0–4 the fields, 5–7 the count).
function matchSyllable(typed, lists) {
  const found = new Map();
  const spell = (sp) => spelling(sp.text);
  const preferred = preferredAt(lists, spell);
  for (const sp of lists) {
    const score = agreement(typed, spell(sp), preferred, sp.partial);
    const r = reader(sp.bytes);
    let article = 0;
    for (let i = 0; i < sp.articles; i++) {
      article += r.int();
      const mask = sp.bytes[r.pos++];
      let field = 9;
      for (let f = 0; f < 5; f++) if (mask & (1 << f)) field = Math.min(field, FIELD_RANK[f]);
      keep(found, article, score, field);
    }
  }
  return found;
}

function keep(found, article, score, field) {
  const old = found.get(article);
  if (!old) found.set(article, { score, field });
  else if (score > old.score || (score === old.score && field < old.field)) {
    old.score = score;
    old.field = field;
  }
}

// Positions of a pair list, per article: Map article → [[position, spelling index]].
function positions(lists) {
  const byArticle = new Map();
  lists.forEach((sp, index) => {
    const r = reader(sp.bytes);
    let article = 0;
    for (let i = 0; i < sp.articles; i++) {
      article += r.int();
      // Gaps shifted left once; the low bit says another position follows.
      let position = 0, more = 1;
      const list = byArticle.get(article) || [];
      while (more) {
        const v = r.int();
        more = v & 1;
        list.push([(position += (v - more) / 2), index]);
      }
      byArticle.set(article, list);
    }
  });
  return byArticle;
}

function fieldRank(position) {
  let f = FIELD_START.length - 1;
  while (FIELD_START[f] > position) f--;
  return FIELD_RANK[f];
}

// A phrase of several syllables: the articles where every pair occurs at consecutive
// positions, scored by the agreement of the best occurrence.
function matchPhrase(typed, pairLists) {
  const halves = (i) => (sp) => spelling(sp.text.split(' ')[i]);
  const preferred = typed.map((_, i) =>
    i === 0 ? preferredAt(pairLists[0], halves(0)) : preferredAt(pairLists[i - 1], halves(1)));
  // Decode the rarest pair first; the others only for articles still in the running.
  const order = pairLists.map((l, i) => [l.reduce((n, sp) => n + sp.articles, 0), i]).sort((a, b) => a[0] - b[0]);
  let candidates = null;
  const decoded = [];
  for (const [, i] of order) {
    decoded[i] = positions(pairLists[i]);
    const keys = candidates ? [...candidates].filter((a) => decoded[i].has(a)) : [...decoded[i].keys()];
    candidates = new Set(keys);
    if (!candidates.size) return new Map();
  }
  const scores = pairLists.map((lists, i) => lists.map((sp) => {
    const [a, b] = sp.text.split(' ');
    const second = agreement(typed[i + 1], spelling(b), preferred[i + 1], sp.partial);
    return i === 0 ? [agreement(typed[0], spelling(a), preferred[0], false), second] : [0, second];
  }));
  const found = new Map();
  for (const article of candidates) {
    const later = decoded.slice(1).map((d) => new Map(d.get(article)));
    for (const [position, sp] of decoded[0].get(article)) {
      let score = scores[0][sp][0] + scores[0][sp][1];
      for (let i = 1; i < pairLists.length && score >= 0; i++) {
        const at = later[i - 1].get(position + i);
        score = at === undefined ? -1 : score + scores[i][at][1];
      }
      if (score >= 0) keep(found, article, score, fieldRank(position));
    }
  }
  return found;
}

/**
 * The phrases of a query: comma-separated groups of syllables, each matched as a phrase.
 * A stray mark folds to nothing and would match every key: the index skips it, so do we.
 */
function phrases(query) {
  return query.split(/[,;]/).map((p) => words(p).filter((w) => fold(w))).filter((p) => p.length);
}

async function matchAll(query) {
  const groups = phrases(query);
  const typing = !/[\s,;]$/.test(query);
  const dir = await init();
  const few = (m) => new Set([...m.keys()].map((a) => Math.floor(a / dir.perChunk))).size <= MAX_PAIRS;
  let total = null, lists = 0;
  for (const [g, group] of groups.entries()) {
    const typed = group.map(spelling);
    const folded = group.map(fold);
    const prefix = typing && g === groups.length - 1;
    let found;
    if (total && lists >= MAX_PAIRS && few(total)) {
      found = await verify(new Map([...total.keys()].map((a) => [a, { score: 0, field: 9 }])), folded, prefix);
    } else if (group.length === 1) {
      lists += 1;
      found = matchSyllable(typed[0], await lookup(folded[0], prefix));
    } else {
      // Pairs looked up before are parsed already: each round fetches only the new ones.
      let n = 0;
      do {
        n = Math.min(folded.length - 1, n + MAX_PAIRS);
        const pairs = await Promise.all(folded.slice(1, n + 1).map((f, i) =>
          lookup(`${folded[i]} ${f}`, prefix && i === folded.length - 2)));
        found = matchPhrase(typed.slice(0, n + 1), pairs);
      } while (n < folded.length - 1 && found.size && !few(found));
      lists += n;
      if (n < folded.length - 1) found = await verify(found, folded, prefix);
    }
    if (total === null) total = found;
    else {
      for (const [article, m] of total) {
        const other = found.get(article);
        if (!other) total.delete(article);
        else { m.score += other.score; m.field = Math.min(m.field, other.field); }
      }
    }
    if (!total.size) break; // no article holds this phrase: the others need not be fetched
  }
  return total || new Map();
}

// Of `found`, the articles with the whole phrase `folded` in one title, summary, paragraph,
// name or caption (phrases never run from one of these into the next in the index either),
// ranked by the best field that holds it (a caption as a name: the text does not tell them
// apart) and the agreement of the syllables the lists told.
async function verify(found, folded, prefix) {
  const dir = await init();
  await Promise.all([...found.keys()].map(async (article) => {
    const [, title, , , summary, text, names] = await row(article, dir);
    const lines = [[title, 0], [summary, 2], ...text.split('\n').map((l) => [l, 3]), ...names.split('\n').map((l) => [l, 1])];
    const ranks = lines.filter(([line]) => holds(line, folded, prefix)).map(([, rank]) => rank);
    if (ranks.length) found.get(article).field = Math.min(...ranks); else found.delete(article);
  }));
  return found;
}

function holds(line, folded, prefix) {
  const f = words(line).map(fold).filter(Boolean);
  const last = folded.length - 1;
  for (let i = 0; i + last < f.length; i++) {
    if (folded.every((w, j) => (prefix && j === last ? f[i + j].startsWith(w) : f[i + j] === w))) return true;
  }
  return false;
}

// ------------------------------------------------------------------ results

// An article's display data: [path, title, section, date, summary, text, names].
async function row(article, dir) {
  const chunk = await file(inFolder(dir, 'd', Math.floor(article / dir.perChunk)), (b) => JSON.parse(utf8.decode(b)));
  return chunk[article % dir.perChunk];
}

const escape = (s) => s.replace(/[&<>"]/g, (c) => `&${{ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot' }[c]};`);

// Marks every occurrence of a phrase of `groups` (folded syllables) in `text`; `around`,
// when set, cuts a window of about that many words around the first one.
function highlight(text, groups, around = 0) {
  const tokens = [...text.matchAll(WORD)].map((m) => ({ at: m.index, end: m.index + m[0].length, f: fold(m[0]) }));
  const marked = new Array(tokens.length).fill(false);
  let first = -1;
  for (const group of groups) {
    for (let i = 0; i + group.length <= tokens.length; i++) {
      if (group.every((f, j) => (j === group.length - 1 ? tokens[i + j].f.startsWith(f) : tokens[i + j].f === f))) {
        for (let j = 0; j < group.length; j++) marked[i + j] = true;
        if (first < 0 || i < first) first = i;
      }
    }
  }
  if (around && first < 0) return null;
  let from = 0, to = text.length, lead = '', tail = '';
  if (around && tokens.length > around) {
    const start = Math.max(0, first - Math.floor(around / 3));
    const stop = Math.min(tokens.length - 1, start + around);
    from = tokens[start].at;
    to = tokens[stop].end;
    lead = start > 0 ? '… ' : '';
    tail = stop < tokens.length - 1 ? ' …' : '';
  }
  let html = '', pos = from;
  tokens.forEach((t, i) => {
    if (!marked[i] || t.at < from || t.end > to) return;
    html += escape(text.slice(pos, t.at)) + '<mark>' + escape(text.slice(t.at, t.end)) + '</mark>';
    pos = t.end;
  });
  return lead + html + escape(text.slice(pos, to)) + tail;
}

async function describe(article, groups, dir) {
  const [path, title, section, date, summary, text, names] = await row(article, dir);
  // Where the words are: the summary, else the body, else a tag, name or photo caption.
  const lines = [summary, ...text.split('\n'), ...names.split('\n')];
  const snippet = lines.map((line) => highlight(line, groups, 40)).find((s) => s !== null) ?? escape(summary);
  return { url: new URL(path, SITE).href, title, titleHtml: highlight(title, groups), section, date, snippetHtml: snippet };
}

/**
 * Finds the articles matching every phrase of `query`, best first: the reader's exact
 * diacritics, then matches in the title, names, summary, body, captions, then newest.
 * Returns { total, results } with `limit` results from `offset`.
 */
export async function search(query, { limit = 10, offset = 0 } = {}) {
  const dir = await init();
  const found = await matchAll(query);
  const ranked = [...found].sort((a, b) => b[1].score - a[1].score || a[1].field - b[1].field || a[0] - b[0]);
  const groups = phrases(query).map((p) => p.map(fold));
  const page = ranked.slice(offset, offset + limit).map(([article]) => describe(article, groups, dir));
  return { total: ranked.length, results: await Promise.all(page) };
}

/**
 * For a phrase no article holds, its words as separate phrases that do find articles:
 * split where two adjacent syllables stand together in no article (`Cần Thơ Khmer` →
 * `Cần Thơ, Khmer`), else between every syllable. Returns { query, total }, or null (also
 * for a query of several phrases, of one syllable or longer than MAX_PAIRS + 1).
 */
export async function separate(query) {
  const groups = phrases(query);
  const group = groups[0];
  if (groups.length !== 1 || /[,;]/.test(query) || group.length < 2 || group.length > MAX_PAIRS + 1) return null;
  const folded = group.map(fold);
  const typing = !/\s$/.test(query);
  const pairs = await Promise.all(folded.slice(1).map((f, i) =>
    lookup(`${folded[i]} ${f}`, typing && i === folded.length - 2)));
  const gap = pairs.map((p) => !p.length);
  const split = (cut) => group.reduce((s, w, i) => s + (i ? (cut[i - 1] ? ', ' : ' ') : '') + w, '');
  const tries = [split(gap.map(() => true))];
  if (gap.includes(true)) tries.unshift(split(gap));
  for (const alternative of new Set(tries)) {
    const { total } = await search(alternative, { limit: 0 });
    if (total) return { query: alternative, total };
  }
  return null;
}
