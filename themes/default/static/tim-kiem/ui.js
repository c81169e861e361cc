// The search page: results as the reader types, `?q=` in the address (shareable, and the
// back button returns to earlier searches), a status line read by screen readers.
import { search } from './engine.js';

const form = document.getElementById('tim-kiem');
const input = document.getElementById('tim-kiem-q');
const status = document.getElementById('tim-kiem-trang-thai');
const list = document.getElementById('tim-kiem-ket-qua');
const more = document.getElementById('tim-kiem-them');
const PAGE = 10;
let shown = 0, current = '', timer = 0, typedAt = 0;

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
  current = query;
  if (!append) shown = 0;
  if (!query.trim()) {
    list.replaceChildren();
    status.textContent = '';
    more.hidden = true;
    return;
  }
  status.textContent = 'Đang tìm…';
  let found;
  try {
    found = await search(query, { limit: PAGE, offset: shown });
  } catch (error) {
    status.textContent = 'Không tải được dữ liệu tìm kiếm. Vui lòng thử lại sau.';
    return;
  }
  if (query !== current) return; // the reader typed on meanwhile
  const items = found.results.map(item);
  if (append) list.append(...items); else list.replaceChildren(...items);
  shown += items.length;
  status.textContent = found.total
    ? `Tìm thấy ${count(found.total)} bài viết cho “${query.trim()}”${found.total > shown ? `, đang hiện ${count(shown)}` : ''}.`
    : `Không tìm thấy bài viết nào cho “${query.trim()}”. Hãy thử từ khóa ngắn hơn hoặc kiểm tra chính tả.`;
  more.hidden = shown >= found.total;
}

function remember(query) {
  const url = new URL(location.href);
  if (query.trim()) url.searchParams.set('q', query); else url.searchParams.delete('q');
  if (url.href === location.href) return;
  // One history entry per search, not one per keystroke: while the reader is still typing
  // (or deleting) the same words, the entry is replaced.
  const before = new URLSearchParams(location.search).get('q') || '';
  const sameWords = before && (query.startsWith(before) || before.startsWith(query));
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
  run(input.value);
});
more.addEventListener('click', () => {
  const focusAt = shown;
  run(current, true).then(() => list.children[focusAt]?.querySelector('a')?.focus());
});
addEventListener('popstate', () => {
  input.value = new URLSearchParams(location.search).get('q') || '';
  run(input.value);
});

input.value = new URLSearchParams(location.search).get('q') || '';
if (input.value) run(input.value); else input.focus();
