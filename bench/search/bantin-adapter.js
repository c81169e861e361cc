// search-eval adapter for bantin's search (../shared/search-eval/evaluate.mjs): the engine
// the default theme's search page uses, loaded from the built site, the query as typed.
({
  name: 'bantin',
  indexPrefix: '/tim-kiem/',
  engine: null,
  async init() {
    this.engine = await import('/tim-kiem/engine.js');
    await this.engine.init();
  },
  async search(query, k) {
    const { total, results } = await this.engine.search(query, { limit: k });
    return { urls: results.map((r) => r.url), total };
  },
})
