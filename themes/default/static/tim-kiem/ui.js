// The search page: results as the reader types, `?q=` in the address (shareable, and the
// back button returns to earlier searches), a status line read by screen readers.
import { search, separate } from './engine.js';

const form = document.getElementById('tim-kiem');
const input = document.getElementById('tim-kiem-q');
const status = document.getElementById('tim-kiem-trang-thai');
const list = document.getElementById('tim-kiem-ket-qua');
const more = document.getElementById('tim-kiem-them');
const PAGE = 10;
let shown = 0, current = '', timer = 0, typedAt = 0;
// Every run has a number: only the latest may change the list, since an earlier one (even
// for the same words, typed then submitted) answers from an outdated `shown`. `busy` while
// the latest is under way.
let runs = 0, busy = false;

const count = (n) => n.toLocaleString('vi-VN');

function item(r) {
  const li = document.createElement('li');
  const meta = [r.section, r.date].filter(Boolean).join(' · ');
  li.innerHTML = `<h2><a href="${r.url}">${r.titleHtml}</a></h2>` +
    (meta ? `<p class="meta">${meta.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c])}</p>` : '') +
    `<p>${r.snippetHtml}</p>`;
  return li;
}

async function run(query, append = false) {
  const seq = ++runs;
  current = query;
  busy = Boolean(query.trim());
  if (!busy) {
    shown = 0;
    list.replaceChildren();
    status.textContent = '';
    more.hidden = true;
    more.removeAttribute('aria-disabled');
    return false;
  }
  status.textContent = 'Đang tìm…';
  let found, other = null;
  try {
    found = await search(query, { limit: PAGE, offset: append ? shown : 0 });
    if (!found.total && !append) other = await separate(query).catch(() => null);
  } catch (error) {
    if (seq !== runs) return false;
    busy = false;
    more.removeAttribute('aria-disabled');
    status.textContent = 'Không tải được dữ liệu tìm kiếm. Vui lòng thử lại sau.';
    return false;
  }
  if (seq !== runs) return false; // the reader typed on (or asked again) meanwhile
  busy = false;
  const items = found.results.map(item);
  if (append) list.append(...items); else list.replaceChildren(...items);
  shown = (append ? shown : 0) + items.length;
  if (found.total) {
    status.textContent = `Tìm thấy ${count(found.total)} bài viết cho “${query.trim()}”${found.total > shown ? `, đang hiện ${count(shown)}` : ''}.`;
  } else if (other) {
    suggest(query, other);
  } else {
    status.textContent = `Không tìm thấy bài viết nào cho “${query.trim()}”. Hãy thử từ khóa ngắn hơn hoặc kiểm tra chính tả.`;
  }
  more.hidden = shown >= found.total;
  more.removeAttribute('aria-disabled');
  return true;
}

// No article holds the phrase, though its words stand apart in some: a link (in the status
// line, so screen readers hear it) runs them as separate phrases.
function suggest(query, other) {
  const link = document.createElement('a');
  link.href = `?${new URLSearchParams({ q: other.query })}`;
  link.textContent = other.query;
  link.addEventListener('click', (event) => {
    event.preventDefault();
    clearTimeout(timer);
    input.value = other.query;
    input.focus(); // the link goes away with the status it stood in
    typedAt = 0;
    remember(other.query);
    run(other.query);
  });
  status.replaceChildren(`Không có bài viết nào chứa đúng cụm từ “${query.trim()}”. Tìm các từ riêng rẽ: “`,
    link, `” (${count(other.total)} bài viết).`);
}

function remember(query) {
  const url = new URL(location.href);
  if (query.trim()) url.searchParams.set('q', query); else url.searchParams.delete('q');
  if (url.href === location.href) return;
  // One history entry per search, not one per keystroke: while the reader is still typing
  // (or deleting) the same words, the entry is replaced.
  const before = new URLSearchParams(location.search).get('q') || '';
  // An empty box is no such case: the reader cleared it to search anew, and replacing would
  // lose the search before it (an empty string is a prefix of anything).
  const sameWords = before.trim() && query.trim() && (query.startsWith(before) || before.startsWith(query));
  const typing = sameWords && Date.now() - typedAt < 3000 && history.state && history.state.search;
  history[typing ? 'replaceState' : 'pushState']({ search: true }, '', url);
  typedAt = Date.now();
}

input.addEventListener('input', () => {
  clearTimeout(timer);
  timer = setTimeout(() => { remember(input.value); run(input.value); }, 180);
});
form.addEventListener('submit', (event) => {
  event.preventDefault();
  clearTimeout(timer);
  typedAt = 0;
  remember(input.value);
  // Enter while the same words are still being looked up would only run them twice.
  if (busy && input.value === current) return;
  run(input.value);
});
more.addEventListener('click', () => {
  // A second click while the next page (or a new search) loads would add a page twice. The
  // button is marked busy, not disabled: a disabled button would drop the keyboard focus.
  if (busy) return;
  more.setAttribute('aria-disabled', 'true');
  const focusAt = shown;
  run(current, true).then((done) => done && list.children[focusAt]?.querySelector('a')?.focus());
});
addEventListener('popstate', () => {
  const query = new URLSearchParams(location.search).get('q') || '';
  // A link within the page (#noi-dung, #top) pops state too: the search, and the results
  // shown with "Xem thêm", stay.
  if (query === current) return;
  input.value = query;
  run(query);
});

input.value = new URLSearchParams(location.search).get('q') || '';
if (input.value) run(input.value); else input.focus();
