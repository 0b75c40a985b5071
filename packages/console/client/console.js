// ESCF console — the browser side: hash routes, one render function per page,
// every read and action through the console's own /api (which adds the admin token).
(() => {
  var view = document.getElementById('view');
  var timers = [];
  var closers = [];
  var mapCache = null;
  var lagHistory = {};

  // ---- small DOM helpers (text is always set as text: no HTML injection)
  function h(tag, attrs) {
    var el = document.createElement(tag);
    if (attrs)
      for (var k in attrs) {
        var v = attrs[k];
        if (v === undefined || v === null || v === false) continue;
        if (k === 'class') el.className = v;
        else if (k === 'text') el.textContent = v;
        else if (k.slice(0, 2) === 'on') el.addEventListener(k.slice(2), v);
        else el.setAttribute(k, v === true ? '' : String(v));
      }
    for (var i = 2; i < arguments.length; i++) append(el, arguments[i]);
    return el;
  }
  function append(el, child) {
    if (child === undefined || child === null || child === false) return;
    if (Array.isArray(child)) {
      child.forEach((c) => {
        append(el, c);
      });
      return;
    }
    el.appendChild(typeof child === 'object' ? child : document.createTextNode(String(child)));
  }
  function svg(tag, attrs) {
    var el = document.createElementNS('http://www.w3.org/2000/svg', tag);
    for (var k in attrs)
      if (k === 'text') el.textContent = attrs[k];
      else el.setAttribute(k, attrs[k]);
    return el;
  }
  function json(value) {
    return h('pre', { class: 'mono' }, JSON.stringify(value, null, 2));
  }
  function time(ms) {
    return ms ? new Date(ms).toLocaleString() : '—';
  }
  /** An event's place in a sharded log (`shard 1 · #42`: positions are per shard), else its position (`#42`). */
  function shardPosition(shard, position) {
    return shard === undefined || shard === null ? `#${position}` : `shard ${shard} · #${position}`;
  }
  function duration(ms) {
    if (ms === null || ms === undefined) return '—';
    if (ms < 1000) return `${ms} ms`;
    if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
    return `${(ms / 60000).toFixed(1)} min`;
  }
  function badge(text, kind) {
    return h('span', { class: `badge ${kind || ''}` }, text);
  }
  function card(title) {
    var c = h('section', { class: 'card' });
    if (title) c.appendChild(h('h2', { text: title }));
    for (var i = 1; i < arguments.length; i++) append(c, arguments[i]);
    return c;
  }
  function head(title, subtitle, actions) {
    return h(
      'div',
      { class: 'page-head' },
      h('div', null, h('h1', { text: title }), subtitle ? h('div', { class: 'muted' }, subtitle) : null),
      actions || null,
    );
  }
  function errorBox(error) {
    return h(
      'div',
      { class: 'error-box', role: 'alert', 'data-testid': 'error' },
      h('strong', { text: error.code || 'ERROR' }),
      ' ',
      error.message || String(error),
      error.details?.issues
        ? h(
            'ul',
            null,
            error.details.issues.map((i) => h('li', { text: `${i.path || '(input)'}: ${i.message}` })),
          )
        : null,
    );
  }

  function api(method, params) {
    return fetch(`api/${method}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-escf-console': '1' },
      body: JSON.stringify(params === undefined ? {} : params),
      credentials: 'same-origin',
    })
      .then((r) => {
        if (r.status === 401) {
          location.href = 'login';
          throw { code: 'UNAUTHORIZED', message: 'Signed out' };
        }
        return r.json();
      })
      .then((reply) => {
        if (!reply.ok) throw reply.error;
        return reply.value;
      });
  }
  function systemMap() {
    return mapCache
      ? Promise.resolve(mapCache)
      : api('systemMap').then((m) => {
          mapCache = m;
          return m;
        });
  }
  function every(ms, fn) {
    fn();
    timers.push(setInterval(fn, ms));
  }

  // ---- routing
  var routes = {
    map: renderMap,
    instances: renderInstances,
    stream: renderStream,
    projections: renderProjections,
    processes: renderProcesses,
    archive: renderArchive,
    metrics: renderMetrics,
    tail: renderTail,
    command: renderCommand,
  };
  function route() {
    timers.forEach(clearInterval);
    timers = [];
    closers.forEach((close) => {
      close();
    });
    closers = [];
    var hash = location.hash.replace(/^#\/?/, '') || 'map';
    var query = {};
    var q = hash.indexOf('?');
    if (q >= 0) {
      new URLSearchParams(hash.slice(q + 1)).forEach((v, k) => {
        query[k] = v;
      });
      hash = hash.slice(0, q);
    }
    var parts = hash.split('/').map(decodeURIComponent);
    var name = routes[parts[0]] ? parts[0] : 'map';
    document.querySelectorAll('.sidebar nav a').forEach((a) => {
      a.classList.toggle('active', a.getAttribute('data-route') === (name === 'stream' ? 'instances' : name));
    });
    view.replaceChildren(h('div', { class: 'muted' }, 'Loading…'));
    Promise.resolve(routes[name](parts.slice(1), query)).catch((error) => {
      view.replaceChildren(errorBox(error));
    });
  }
  window.addEventListener('hashchange', route);

  // ---- system map
  function renderMap() {
    return systemMap().then((map) => {
      view.replaceChildren(
        head(
          'System map',
          map.name +
            ': ' +
            map.aggregates.length +
            ' aggregate(s), ' +
            map.projections.length +
            ' projection(s), ' +
            map.processes.length +
            ' process(es)',
        ),
      );
      view.appendChild(card('Event flow', h('div', { class: 'diagram', 'data-testid': 'diagram' }, diagram(map))));
      map.aggregates.forEach((agg) => {
        view.appendChild(
          card(
            `Aggregate ${agg.type}`,
            h('div', { class: 'muted' }, `hosted by ${agg.worker || '—'}`),
            h('h2', { text: 'Commands', style: 'margin-top:12px' }),
            h(
              'table',
              null,
              h('tr', null, h('th', { text: 'Command' }), h('th', { text: 'Input' }), h('th', { text: 'Emits' })),
              agg.commands.map((c) => {
                var props = c.inputSchema?.properties || {};
                return h(
                  'tr',
                  null,
                  h(
                    'td',
                    null,
                    h('a', {
                      href:
                        '#/command?aggregate=' +
                        encodeURIComponent(agg.type) +
                        '&command=' +
                        encodeURIComponent(c.name),
                      text: c.name,
                    }),
                  ),
                  h(
                    'td',
                    { class: 'mono' },
                    Object.keys(props)
                      .map((p) => `${p}: ${props[p].format || props[p].type || 'any'}`)
                      .join(', ') || '{}',
                  ),
                  h('td', { text: c.emits ? c.emits.join(', ') : '—' }),
                );
              }),
            ),
            h('h2', { text: 'Events', style: 'margin-top:12px' }),
            h(
              'table',
              null,
              h(
                'tr',
                null,
                h('th', { text: 'Event' }),
                h('th', { text: 'Version' }),
                h('th', { text: 'Upcast from' }),
                h('th', { text: 'Sensitive' }),
                h('th', { text: 'Consumers' }),
              ),
              agg.events.map((e) =>
                h(
                  'tr',
                  null,
                  h('td', { text: e.type }),
                  h('td', null, badge(`v${e.version}`)),
                  h('td', {
                    text: e.upcastFrom.length ? `${e.upcastFrom.map((v) => `v${v}`).join(' → ')} → v${e.version}` : '—',
                  }),
                  h('td', null, e.sensitive.length ? e.sensitive.map((s) => badge(s, 'warn')) : '—'),
                  h('td', { text: e.consumers.join(', ') || '—' }),
                ),
              ),
            ),
          ),
        );
      });
      if (map.queues.length)
        view.appendChild(
          card(
            'Queues',
            h(
              'table',
              null,
              h(
                'tr',
                null,
                h('th', { text: 'Queue' }),
                h('th', { text: 'Consumer' }),
                h('th', { text: 'Dead-letter queue' }),
              ),
              map.queues.map((q) =>
                h(
                  'tr',
                  null,
                  h('td', { class: 'mono', text: q.name }),
                  h('td', { text: q.consumer }),
                  h('td', { class: 'mono', text: q.deadLetterQueue || '—' }),
                ),
              ),
            ),
          ),
        );
    });
  }

  function diagram(map) {
    var aggs = map.aggregates,
      events = [],
      reactors = map.projections.concat(map.processes);
    aggs.forEach((a) => {
      a.events.forEach((e) => {
        events.push({ agg: a.type, e: e });
      });
    });
    var rowH = 34,
      top = 30,
      colX = [20, 300, 640],
      boxW = [180, 240, 300];
    var height = Math.max(aggs.length, events.length, reactors.length) * rowH + top + 10;
    var root = svg('svg', {
      width: '960',
      height: String(height),
      viewBox: `0 0 960 ${height}`,
      role: 'img',
      'aria-label': 'aggregates, events and their consumers',
    });
    ['Aggregates', 'Events', 'Projections & processes'].forEach((t, i) => {
      root.appendChild(
        svg('text', { x: colX[i], y: 16, fill: '#667085', 'font-weight': '600', text: t.toUpperCase() }),
      );
    });
    function centre(n, count) {
      var span = (height - top) / Math.max(count, 1);
      return top + span * n + span / 2;
    }
    var aggY = {},
      evY = {},
      reY = {};
    aggs.forEach((a, i) => {
      aggY[a.type] = centre(i, aggs.length);
    });
    events.forEach((x, i) => {
      evY[x.e.type] = top + i * rowH + rowH / 2;
    });
    reactors.forEach((r, i) => {
      reY[r.name] = centre(i, reactors.length);
    });
    function edge(x1, y1, x2, y2, colour) {
      var mx = (x1 + x2) / 2;
      root.appendChild(
        svg('path', {
          d: `M${x1},${y1} C${mx},${y1} ${mx},${y2} ${x2},${y2}`,
          fill: 'none',
          stroke: colour,
          'stroke-width': '1.4',
          opacity: '0.7',
        }),
      );
    }
    events.forEach((x) => {
      edge(colX[0] + boxW[0], aggY[x.agg], colX[1], evY[x.e.type], '#91a7ff');
      x.e.consumers.forEach((c) => {
        if (reY[c] !== undefined) edge(colX[1] + boxW[1], evY[x.e.type], colX[2], reY[c], '#8ce99a');
      });
    });
    function node(x, y, w, label, sub, fill, stroke) {
      root.appendChild(svg('rect', { x: x, y: y - 13, width: w, height: 26, rx: 6, fill: fill, stroke: stroke }));
      root.appendChild(svg('text', { x: x + 10, y: y + 4, fill: '#1b2330', text: label }));
      if (sub)
        root.appendChild(svg('text', { x: x + w - 8, y: y + 4, fill: '#667085', 'text-anchor': 'end', text: sub }));
    }
    aggs.forEach((a) => {
      node(colX[0], aggY[a.type], boxW[0], a.type, `${a.commands.length} cmds`, '#edf2ff', '#748ffc');
    });
    events.forEach((x) => {
      node(colX[1], evY[x.e.type], boxW[1], x.e.type, `v${x.e.version}`, '#fff', '#d0d5dd');
    });
    reactors.forEach((r) => {
      node(
        colX[2],
        reY[r.name],
        boxW[2],
        r.name,
        `${r.kind} · ${r.delivery}`,
        r.kind === 'projection' ? '#ebfbee' : '#fff4e6',
        r.kind === 'projection' ? '#69db7c' : '#ffa94d',
      );
    });
    return root;
  }

  // ---- instances
  function renderInstances(_parts, query) {
    return systemMap().then((map) => {
      var type = h(
        'select',
        { name: 'aggregateType', id: 'search-type' },
        h('option', { value: '', text: 'any type' }),
        map.aggregates.map((a) => h('option', { value: a.type, text: a.type, selected: query.type === a.type })),
      );
      var id = h('input', {
        name: 'aggregateId',
        id: 'search-id',
        placeholder: 'id, or prefix*',
        value: query.id || '',
      });
      var tenant = h('input', { name: 'tenantId', placeholder: 'tenant', value: query.tenant || '' });
      var results = h('div');
      function search(event) {
        if (event) event.preventDefault();
        results.replaceChildren(h('div', { class: 'muted', text: 'Searching…' }));
        api('instances', {
          aggregateType: type.value || undefined,
          aggregateId: id.value || undefined,
          tenantId: tenant.value || undefined,
          withBacklog: true,
          limit: 100,
        }).then(
          (r) => {
            if (!r.instances.length) {
              results.replaceChildren(h('div', { class: 'empty', text: 'No instances match.' }));
              return;
            }
            results.replaceChildren(
              h(
                'table',
                { 'data-testid': 'instances' },
                h(
                  'tr',
                  null,
                  ['Type', 'Id', 'Tenant', 'Version', 'Last event', 'Log position', 'Outbox'].map((t) =>
                    h('th', { text: t }),
                  ),
                ),
                r.instances.map((i) => {
                  var pending = i.outbox?.targets ? i.outbox.targets.reduce((s, t) => s + t.pending, 0) : null;
                  var failing = i.outbox?.targets ? i.outbox.targets.filter((t) => t.failing) : [];
                  return h(
                    'tr',
                    null,
                    h('td', { text: i.aggregateType }),
                    h('td', null, h('a', { class: 'mono', href: streamHref(i), text: i.aggregateId })),
                    h('td', { text: i.tenantId || '—' }),
                    h('td', null, badge(`v${i.version}`)),
                    h('td', { text: time(i.lastEventAt) }),
                    h('td', { text: i.shard === undefined ? i.lastPosition : shardPosition(i.shard, i.lastPosition) }),
                    h(
                      'td',
                      {
                        title: i.outbox?.targets
                          ? i.outbox.targets
                              .map(
                                (t) =>
                                  `${t.target}: ${t.pending}` +
                                  (t.failing
                                    ? ` — failing since ${time(t.failing.failingSince)}, ${t.failing.attempts} attempts: ${t.failing.lastError}`
                                    : ''),
                              )
                              .join('\n')
                          : i.outbox?.error || '',
                      },
                      pending === null
                        ? '—'
                        : failing.length > 0
                          ? badge(
                              `failing: ${failing.map((t) => t.target).join(', ')} (${failing[0].failing.attempts} attempts, ${pending} pending)`,
                              'bad',
                            )
                          : pending === 0
                            ? badge('delivered', 'ok')
                            : badge(`${pending} pending`, 'warn'),
                    ),
                  );
                }),
              ),
            );
          },
          (e) => {
            results.replaceChildren(errorBox(e));
          },
        );
      }
      view.replaceChildren(
        head('Instances', 'Aggregate instances in the event log, newest first'),
        card(
          null,
          h(
            'form',
            { class: 'form-row', onsubmit: search },
            h('div', { class: 'field' }, h('label', { text: 'Type' }), type),
            h('div', { class: 'field' }, h('label', { text: 'Id' }), id),
            h('div', { class: 'field' }, h('label', { text: 'Tenant' }), tenant),
            h('div', { class: 'field actions' }, h('button', { type: 'submit', text: 'Search' })),
          ),
        ),
        card(null, results),
      );
      search();
    });
  }
  function streamHref(s) {
    return (
      '#/stream/' +
      encodeURIComponent(s.aggregateType) +
      '/' +
      encodeURIComponent(s.aggregateId) +
      (s.tenantId ? `?tenant=${encodeURIComponent(s.tenantId)}` : '')
    );
  }

  // ---- stream with time travel
  function renderStream(parts, query) {
    var address = { aggregateType: parts[0], aggregateId: parts.slice(1).join('/') };
    if (query.tenant) address.tenantId = query.tenant;
    var reveal = query.reveal === '1';
    return api('stream', Object.assign({ limit: 500, reveal: reveal }, address)).then((page) => {
      var head_ = page.head;
      var slider = h('input', {
        type: 'range',
        min: '1',
        max: String(Math.max(head_, 1)),
        value: String(head_),
        id: 'version-slider',
        'aria-label': 'version',
      });
      var label = h('strong', { 'data-testid': 'version-label', text: `v${head_}` });
      var stateBox = h('div'),
        diffBox = h('div');
      var rows = {};
      var table = h(
        'table',
        { 'data-testid': 'events' },
        h(
          'tr',
          null,
          ['Ver', 'Pos', 'Event', 'Schema (stored → read)', 'Time', 'Payload', 'Metadata'].map((t) =>
            h('th', { text: t }),
          ),
        ),
        page.events.map((e) => {
          var row = h(
            'tr',
            { class: 'event-row', 'data-version': e.version },
            h('td', null, badge(`v${e.version}`)),
            h('td', { text: e.position === null ? '—' : e.position }),
            h('td', null, h('strong', { text: e.type })),
            h(
              'td',
              null,
              e.storedSchemaVersion === e.readSchemaVersion
                ? `v${e.readSchemaVersion}`
                : badge(`v${e.storedSchemaVersion} → v${e.readSchemaVersion}`, 'warn'),
              e.readError ? errorBox(e.readError) : null,
            ),
            h('td', { text: time(e.timestamp) }),
            h('td', null, json(e.payload)),
            h(
              'td',
              null,
              h(
                'details',
                null,
                h('summary', { text: `correlation ${String(e.metadata.correlationId || '').slice(0, 8)}` }),
                json(e.metadata),
              ),
            ),
          );
          rows[e.version] = row;
          return row;
        }),
      );
      var pending = 0;
      function travel() {
        var v = Number(slider.value);
        label.textContent = `v${v}`;
        Object.keys(rows).forEach((k) => {
          rows[k].classList.toggle('current', Number(k) === v);
        });
        var ticket = ++pending;
        Promise.all([
          api('stateAt', Object.assign({ version: v, reveal: reveal }, address)),
          api('diff', Object.assign({ from: Math.max(0, v - 1), to: v, reveal: reveal }, address)),
        ]).then(
          (r) => {
            if (ticket !== pending) return;
            stateBox.replaceChildren(h('div', { 'data-testid': 'state' }, json(r[0].state)));
            diffBox.replaceChildren(
              r[1].changes.length
                ? h(
                    'table',
                    { 'data-testid': 'diff' },
                    r[1].changes.map((c) =>
                      h(
                        'tr',
                        null,
                        h('td', { class: `mono diff-${c.kind}`, text: c.path || '(root)' }),
                        h('td', null, badge(c.kind, c.kind === 'added' ? 'ok' : c.kind === 'removed' ? 'bad' : 'warn')),
                        h('td', null, c.before === undefined ? '' : json(c.before)),
                        h('td', null, c.after === undefined ? '' : json(c.after)),
                      ),
                    ),
                  )
                : h('div', { class: 'empty', text: 'No change in state.' }),
            );
          },
          (e) => {
            stateBox.replaceChildren(errorBox(e));
          },
        );
      }
      slider.addEventListener('input', travel);
      var revealLink = h('a', {
        href: streamHref(address) + (reveal ? '' : `${address.tenantId ? '&' : '?'}reveal=1`),
        text: reveal ? 'Mask sensitive fields' : 'Reveal sensitive fields',
      });
      view.replaceChildren(
        head(
          `${address.aggregateType} ${address.aggregateId}`,
          `${(address.tenantId ? `tenant ${address.tenantId} · ` : '') + head_} event(s)`,
          h(
            'div',
            { class: 'toolbar' },
            revealLink,
            h('a', {
              class: 'button',
              href:
                '#/command?aggregate=' +
                encodeURIComponent(address.aggregateType) +
                '&id=' +
                encodeURIComponent(address.aggregateId),
              text: 'Send command',
            }),
          ),
        ),
        card(
          'Time travel',
          h(
            'div',
            { class: 'slider-row' },
            h('span', { class: 'muted', text: 'v1' }),
            slider,
            h('span', { class: 'muted', text: `v${head_}` }),
            label,
          ),
          h(
            'div',
            { class: 'two-col', style: 'margin-top:14px' },
            h('div', null, h('h2', { text: 'State at this version' }), stateBox),
            h('div', null, h('h2', { text: 'Change from the previous version' }), diffBox),
          ),
        ),
        card(
          'Events',
          table,
          page.nextVersion ? h('div', { class: 'muted', text: `More events from v${page.nextVersion}…` }) : null,
        ),
      );
      travel();
    });
  }

  // ---- projections
  function renderProjections() {
    var cards = {};
    var holder = h('div', { class: 'grid' });
    var headline = h('div', { class: 'muted' });
    view.replaceChildren(head('Projections', headline), holder);
    function act(method, name, button) {
      button.disabled = true;
      return api(method, { projection: name })
        .then(
          (r) => {
            flash(
              cards[name].notice,
              method === 'rebuild'
                ? `Rebuild started (generation ${r.generation})`
                : r.error
                  ? `Still stuck: ${r.error}`
                  : `Retried: ${r.applied} event(s) applied`,
              r.error ? 'bad' : 'ok',
            );
            refresh();
          },
          (e) => {
            cards[name].notice.replaceChildren(errorBox(e));
          },
        )
        .then(() => {
          button.disabled = false;
        });
    }
    function build(p) {
      var c = {
        chart: h('div', { class: 'chart' }),
        stats: h('div', { class: 'stats' }),
        shards: h('div'),
        stuck: h('div'),
        rebuild: h('div'),
        notice: h('div'),
      };
      c.retry = h('button', {
        class: 'secondary',
        'data-testid': `retry-${p.name}`,
        onclick: () => {
          act('retryStuck', p.name, c.retry);
        },
        text: 'Retry stuck',
      });
      c.rebuildButton = h('button', {
        class: 'secondary',
        'data-testid': `rebuild-${p.name}`,
        onclick: () => {
          if (confirm(`Rebuild projection ${p.name} from the whole log?`)) act('rebuild', p.name, c.rebuildButton);
        },
        text: 'Start rebuild',
      });
      c.el = card(
        null,
        h(
          'div',
          { class: 'page-head', style: 'margin-bottom:4px' },
          h(
            'div',
            null,
            h('h2', { text: p.name, style: 'margin:0' }),
            h('div', { class: 'muted', text: `${p.worker} · ${p.delivery} delivery` }),
          ),
          h('div', { class: 'toolbar' }, c.retry, c.rebuildButton),
        ),
        c.stats,
        c.shards,
        c.notice,
        h('h2', { text: 'Lag (events behind the log)' }),
        c.chart,
        h('h2', { text: 'Rebuild' }),
        c.rebuild,
        h('h2', { text: 'Stuck streams & dead letters' }),
        c.stuck,
      );
      c.el.setAttribute('data-testid', `projection-${p.name}`);
      holder.appendChild(c.el);
      return c;
    }
    function stat(label, value, testid) {
      return h(
        'div',
        { class: 'stat' },
        h('div', { class: 'label', text: label }),
        h('div', { class: 'value', 'data-testid': testid, text: value }),
      );
    }
    function refresh() {
      return api('projections').then(
        (r) => {
          headline.textContent =
            `Log head: position ${r.logHead}` +
            (r.shardHeads ? ` (${r.shardHeads.map((head, shard) => `shard ${shard}: ${head}`).join(' · ')})` : '') +
            ` · refreshed ${new Date().toLocaleTimeString()}`;
          headline.setAttribute('data-testid', 'log-head');
          r.projections.forEach((p) => {
            var c = cards[p.name] || (cards[p.name] = build(p));
            var s = p.status;
            var healthy = s && s.stuck.length === 0;
            c.stats.replaceChildren(
              stat('Health', '', null),
              stat(
                'Position',
                // Over shards: the sum of its position in each, as the log head is the sum of theirs.
                s ? (s.shardPositions ? s.shardPositions.reduce((sum, n) => sum + n, 0) : s.position) : '—',
                `position-${p.name}`,
              ),
              stat('Streams', s ? s.streams : '—'),
              stat('Lag', p.lagEvents === null ? '—' : `${p.lagEvents} ev`, `lag-${p.name}`),
              stat('Oldest unapplied', duration(p.lagMs)),
            );
            // A sharded log: positions are per shard, so progress and lag are drawn per shard too.
            c.shards.replaceChildren(
              r.shardHeads && p.shards
                ? h(
                    'table',
                    { 'data-testid': `shards-${p.name}` },
                    h(
                      'tr',
                      null,
                      ['Shard', 'Log head', 'Applied position', 'Lag'].map((t) => h('th', { text: t })),
                    ),
                    p.shards.map((shard, n) =>
                      h(
                        'tr',
                        { 'data-testid': `shard-${p.name}-${n}` },
                        h('td', { text: `shard ${n}` }),
                        h('td', { text: r.shardHeads[n] }),
                        h('td', { text: shard.position }),
                        h('td', { text: `${shard.lagEvents} ev` }),
                      ),
                    ),
                  )
                : '',
            );
            c.stats.firstChild.lastChild.replaceChildren(
              p.error
                ? badge('unreachable', 'bad')
                : healthy
                  ? badge('healthy', 'ok')
                  : badge(`${s.stuck.length} stuck`, 'bad'),
            );
            if (p.error) c.notice.replaceChildren(errorBox({ code: 'UNREACHABLE', message: p.error }));
            c.retry.disabled = !s || s.stuck.length === 0;
            var history = lagHistory[p.name] || (lagHistory[p.name] = [[], []]);
            history[0].push(Date.now() / 1000);
            history[1].push(p.lagEvents || 0);
            if (history[0].length > 150) {
              history[0].shift();
              history[1].shift();
            }
            drawChart(c, history);
            var rb = s?.rebuild;
            c.rebuild.replaceChildren(
              rb
                ? h(
                    'div',
                    { 'data-testid': `rebuild-status-${p.name}` },
                    h(
                      'div',
                      { class: 'toolbar' },
                      badge(rb.status, rb.status === 'done' ? 'ok' : 'warn'),
                      h('span', {
                        text:
                          'generation ' +
                          rb.generation +
                          ' · ' +
                          rb.applied +
                          ' event(s) read' +
                          (rb.target ? ` of ${rb.target}` : '') +
                          (rb.finishedAt ? ` · finished ${time(rb.finishedAt)}` : ` · started ${time(rb.startedAt)}`),
                      }),
                    ),
                    h(
                      'div',
                      { class: 'progress', style: 'margin-top:6px' },
                      h('div', {
                        style:
                          'width:' +
                          (rb.status === 'done'
                            ? 100
                            : rb.target
                              ? Math.min(100, Math.round((rb.cursor / rb.target) * 100))
                              : 5) +
                          '%',
                      }),
                    ),
                    s.databases
                      ? h('div', {
                          class: 'muted',
                          text:
                            'active database ' +
                            s.databases.active +
                            (s.databases.rebuilding ? `, rebuilding ${s.databases.rebuilding}` : ''),
                        })
                      : null,
                  )
                : h('div', { class: 'empty', text: 'Never rebuilt.' }),
            );
            c.stuck.replaceChildren(
              s?.stuck.length
                ? h(
                    'table',
                    { 'data-testid': `stuck-${p.name}` },
                    h(
                      'tr',
                      null,
                      ['Stream', 'Version', 'Event', 'Error', 'State'].map((t) => h('th', { text: t })),
                    ),
                    s.stuck.map((x) => {
                      var bits = x.stream.split('/');
                      return h(
                        'tr',
                        null,
                        h(
                          'td',
                          null,
                          h('a', {
                            class: 'mono',
                            href: streamHref({
                              aggregateType: bits[1],
                              aggregateId: bits.slice(2).join('/'),
                              tenantId: decodeURIComponent(bits[0]) || undefined,
                            }),
                            text: x.stream,
                          }),
                        ),
                        h('td', { text: `v${x.version}` }),
                        h('td', { text: x.eventType }),
                        h('td', { class: 'mono error-cell', text: x.error }),
                        h(
                          'td',
                          null,
                          x.deadLettered ? badge('dead-lettered', 'bad') : badge('retrying', 'warn'),
                          h('div', { class: 'hint', text: `${x.attempts} attempt(s)` }),
                        ),
                      );
                    }),
                  )
                : h('div', { class: 'empty', 'data-testid': `no-stuck-${p.name}`, text: 'No stuck streams.' }),
            );
          });
        },
        (e) => {
          holder.replaceChildren(errorBox(e));
        },
      );
    }
    every(2000, refresh);
  }
  function drawChart(c, data) {
    if (typeof uPlot === 'undefined') return;
    var width = Math.max(300, c.chart.clientWidth || 400);
    if (!c.plot) {
      c.plot = new uPlot(
        {
          width: width,
          height: 150,
          legend: { show: false },
          cursor: { show: false },
          scales: {
            y: {
              range: (_u, _min, max) => [0, Math.max(5, max)],
            },
          },
          series: [{}, { label: 'lag', stroke: '#3b5bdb', fill: 'rgba(59,91,219,0.08)', width: 2 }],
          axes: [
            {
              stroke: '#667085',
              space: 90,
              values: (_u, ticks) => ticks.map((t) => new Date(t * 1000).toLocaleTimeString()),
            },
            { stroke: '#667085', size: 40 },
          ],
        },
        data,
        c.chart,
      );
    } else c.plot.setData(data);
  }
  function flash(holder, text, kind) {
    holder.replaceChildren(
      h('div', { class: kind === 'bad' ? 'error-box' : 'ok-box', 'data-testid': 'notice', text: text }),
    );
  }

  // ---- metrics (the admin entrypoint's metrics document)
  function renderMetrics() {
    function table(headers, rows, testid) {
      return h(
        'table',
        { 'data-testid': testid },
        h(
          'tr',
          null,
          headers.map((t) => h('th', { text: t })),
        ),
        rows.map((cells) =>
          h(
            'tr',
            null,
            cells.map((c) => (c instanceof Node ? h('td', null, c) : h('td', { text: c === null ? '—' : String(c) }))),
          ),
        ),
      );
    }
    var ms = (v) => (v === null ? '—' : `≤ ${v} ms`);
    function refresh() {
      return api('metrics').then((d) => {
        view.replaceChildren(
          head(
            'Metrics',
            (d.instances.source === 'rollup'
              ? `Commands and outboxes of all ${d.instances.asked} instances (each written at most every 30 s)`
              : `Commands and outboxes of the ${d.instances.asked} most recently active instances`) +
              (d.instances.unreachable ? ` (${d.instances.unreachable} unreachable)` : '') +
              '; projections, processes and archive for the whole system',
          ),
          card(
            'Commands',
            table(
              ['Aggregate', 'Command', 'Outcome', 'Code', 'Count'],
              d.aggregates.flatMap((a) =>
                a.commands.map((c) => [
                  a.aggregateType,
                  c.command,
                  badge(c.outcome, c.outcome === 'ok' ? 'ok' : c.outcome === 'failed' ? 'bad' : 'warn'),
                  c.code,
                  c.count,
                ]),
              ),
              'metrics-commands',
            ),
            table(
              ['Aggregate', 'Commands', 'p50', 'p90', 'p99', 'Mean'],
              d.aggregates.map((a) => [
                a.aggregateType,
                a.latency.count,
                ms(a.latency.p50Ms),
                ms(a.latency.p90Ms),
                ms(a.latency.p99Ms),
                a.latency.count ? `${Math.round(a.latency.sumMs / a.latency.count)} ms` : '—',
              ]),
              'metrics-latency',
            ),
          ),
          card(
            'Outbox',
            table(
              ['Target', 'Pending events', 'Oldest pending', 'Instances behind', 'Instances failing'],
              d.outbox.targets.map((t) => [
                t.target,
                t.pending,
                t.pending ? duration(t.oldestPendingAgeMs) : '—',
                t.instancesBehind,
                t.instancesFailing ? badge(String(t.instancesFailing), 'bad') : 0,
              ]),
              'metrics-outbox',
            ),
            d.outbox.failing.length
              ? table(
                  ['Failing delivery', 'Target', 'Since', 'Attempts', 'Pending', 'Last error'],
                  d.outbox.failing.map((f) => [
                    h('a', { class: 'mono', href: streamHref(f), text: `${f.aggregateType}/${f.aggregateId}` }),
                    f.target,
                    time(f.failingSince),
                    f.attempts,
                    f.pending,
                    f.lastErrorCode ? `${f.lastErrorCode}: ${f.lastError}` : f.lastError,
                  ]),
                  'metrics-failing',
                )
              : h('div', { class: 'muted', text: 'No failing delivery.' }),
          ),
          card(
            'Projections and processes',
            table(
              ['Name', 'Kind', 'Lag (events)', 'Lag', 'Stuck streams', 'Dead-lettered', 'Failed attempts'],
              d.projections
                .map((p) => ['projection', p])
                .concat(d.processes.map((p) => ['process', p]))
                .map(([kind, r]) => [
                  r.name,
                  kind,
                  r.lagEvents,
                  r.lagMs === null ? null : duration(r.lagMs),
                  r.stuckStreams ? badge(String(r.stuckStreams), 'bad') : 0,
                  r.deadLetteredStreams,
                  r.failedAttempts,
                ]),
              'metrics-reactors',
            ),
          ),
          card(
            'Archive',
            d.archive.configured
              ? table(
                  ['Archived events', 'Archived through', 'Events in D1', 'Eligible now'],
                  [
                    [
                      d.archive.archivedEvents,
                      d.archive.archivedThrough,
                      d.archive.eventsInD1,
                      d.archive.eligibleEvents,
                    ],
                  ],
                  'metrics-archive',
                )
              : h('div', { class: 'muted', text: 'Not configured.' }),
          ),
        );
      });
    }
    timers.push(
      setInterval(() => {
        refresh().catch((error) => {
          view.replaceChildren(errorBox(error));
        });
      }, 10_000),
    );
    return refresh();
  }

  // ---- processes
  function renderProcesses() {
    return api('processes').then((r) => {
      view.replaceChildren(
        head('Processes', 'Claims, failures and dead letters as each process reports them'),
        r.processes.length
          ? card(
              null,
              h(
                'table',
                null,
                h(
                  'tr',
                  null,
                  ['Process', 'Worker', 'Delivery', 'Dead-letter queue', 'Status'].map((t) => h('th', { text: t })),
                ),
                r.processes.map((p) =>
                  h(
                    'tr',
                    null,
                    h('td', null, h('strong', { text: p.name })),
                    h('td', { text: p.worker }),
                    h('td', { text: p.delivery }),
                    h('td', { class: 'mono', text: p.deadLetterQueue || '—' }),
                    h(
                      'td',
                      null,
                      p.status ? json(p.status) : h('span', { class: 'muted', text: p.error || 'no status' }),
                    ),
                  ),
                ),
              ),
            )
          : card(null, h('div', { class: 'empty', text: 'This system has no processes.' })),
      );
    });
  }

  // ---- archive
  function renderArchive() {
    return api('archive').then((a) => {
      if (!a.configured) {
        view.replaceChildren(
          head('Archive', 'Retention and R2 segments'),
          card(
            null,
            h('div', {
              class: 'empty',
              text: 'This system does not archive: every event stays in D1. Configure retention and an EventArchiver to see segments here (docs/operating-at-scale.md).',
            }),
          ),
        );
        return;
      }
      var s = a.status;
      view.replaceChildren(
        head('Archive', 'Retention and R2 segments'),
        s.shards ? archiveShards(s.shards, a.next?.shards) : '',
        card(
          'Hot log (D1)',
          h(
            'div',
            { class: 'stats' },
            stat2('Events', s.d1.events),
            stat2('Rows', s.d1.rows),
            stat2('Bytes', s.d1.bytes),
            stat2('Positions', `${s.d1.firstPosition || '—'} … ${s.d1.lastPosition || '—'}`),
          ),
        ),
        card(
          'Archive (R2)',
          h(
            'div',
            { class: 'stats' },
            stat2('Segments', s.archive.segments),
            stat2('Events', s.archive.events),
            stat2('NDJSON bytes', s.archive.ndjsonBytes),
            stat2('Gzip bytes', s.archive.gzipBytes),
            stat2('Last position', s.archive.lastPosition || '—'),
          ),
        ),
        card(
          'Next run would archive',
          a.next?.rows
            ? h(
                'div',
                null,
                h(
                  'div',
                  { class: 'stats' },
                  stat2('Rows', a.next.rows),
                  stat2('Events', a.next.events),
                  stat2('Bytes', a.next.bytes),
                  stat2('More after it', a.next.more ? 'yes' : 'no'),
                ),
                h(
                  'table',
                  null,
                  h(
                    'tr',
                    null,
                    ['Aggregate type', 'Rows', 'Events', 'Bytes', 'From position'].map((t) => h('th', { text: t })),
                  ),
                  a.next.byType.map((t) =>
                    h(
                      'tr',
                      null,
                      h('td', { text: t.aggregateType }),
                      h('td', { text: t.rows }),
                      h('td', { text: t.events }),
                      h('td', { text: t.bytes }),
                      h('td', { text: t.oldestPosition }),
                    ),
                  ),
                ),
              )
            : h('div', { class: 'empty', text: 'Nothing: the retention policy keeps everything D1 holds now.' }),
          a.next?.awaitingSnapshot
            ? h('div', {
                class: 'hint',
                text: `${a.next.awaitingSnapshot} stream(s) would be snapshotted first (keepSinceSnapshot).`,
              })
            : null,
        ),
        a.lastRun
          ? card('Last run', json(a.lastRun))
          : card(
              'Last run',
              h('div', { class: 'empty', text: 'No report kept (pass lastArchiveRun to the admin entrypoint).' }),
            ),
      );
    });
  }
  /** A sharded store's archive, one row per shard: positions are per shard, so the totals above carry none. */
  function archiveShards(statuses, previews) {
    var range = (first, last) => `${first || '—'} … ${last || '—'}`;
    return card(
      `Shards (${statuses.length})`,
      h(
        'table',
        { 'data-testid': 'archive-shards' },
        h(
          'tr',
          null,
          [
            'Shard',
            'D1 rows',
            'D1 events',
            'D1 bytes',
            'D1 positions',
            'Segments',
            'Archived events',
            'Archived through',
            'Next run',
          ].map((t) => h('th', { text: t })),
        ),
        statuses.map((shard, n) =>
          h(
            'tr',
            { 'data-testid': `archive-shard-${n}` },
            h('td', { text: `shard ${n}` }),
            h('td', { text: shard.d1.rows }),
            h('td', { text: shard.d1.events }),
            h('td', { text: shard.d1.bytes }),
            h('td', { text: range(shard.d1.firstPosition, shard.d1.lastPosition) }),
            h('td', { text: shard.archive.segments }),
            h('td', { text: shard.archive.events }),
            h('td', { text: shard.archive.lastPosition || '—' }),
            h('td', { text: previews?.[n] ? `${previews[n].rows} rows, ${previews[n].events} events` : '—' }),
          ),
        ),
      ),
    );
  }
  function stat2(label, value) {
    return h(
      'div',
      { class: 'stat' },
      h('div', { class: 'label', text: label }),
      h('div', { class: 'value', text: value }),
    );
  }

  // ---- live tail
  function renderTail() {
    var list = h('div', { class: 'tail-list', 'data-testid': 'tail' });
    var state = h('span', null, badge('connecting', 'warn'));
    var count = 0;
    view.replaceChildren(
      head('Live tail', 'Events as they are committed to the log', state),
      card(null, list, h('div', { class: 'empty', id: 'tail-empty', text: 'Waiting for new events…' })),
    );
    var source = new EventSource('api/tail/stream');
    closers.push(() => {
      source.close();
    });
    source.addEventListener('ready', () => {
      state.replaceChildren(badge('live', 'ok'));
    });
    source.addEventListener('error', () => {
      state.replaceChildren(badge('reconnecting', 'warn'));
    });
    source.addEventListener('event', (message) => {
      var e = JSON.parse(message.data);
      var empty = document.getElementById('tail-empty');
      if (empty) empty.remove();
      list.prepend(
        h(
          'div',
          { class: 'tail-item', 'data-testid': 'tail-item', 'data-event-id': e.id },
          h(
            'div',
            { class: 'toolbar' },
            badge(shardPosition(e.shard, e.position)),
            h('strong', { text: e.type }),
            h('a', {
              class: 'mono',
              href: streamHref(e),
              text: `${e.aggregateType} ${e.aggregateId} v${e.version}`,
            }),
            h('span', { class: 'muted', text: time(e.timestamp) }),
          ),
          json(e.payload),
        ),
      );
      if (++count > 200) list.lastChild.remove();
    });
  }

  // ---- send command (form from the input JSON Schema)
  function renderCommand(_parts, query) {
    return systemMap().then((map) => {
      var aggSelect = h(
        'select',
        { id: 'command-aggregate' },
        map.aggregates.map((a) => h('option', { value: a.type, text: a.type, selected: a.type === query.aggregate })),
      );
      var cmdSelect = h('select', { id: 'command-name' });
      var idInput = h('input', { id: 'command-id', value: query.id || crypto.randomUUID(), class: 'mono', size: '40' });
      var tenantInput = h('input', { id: 'command-tenant', placeholder: 'optional' });
      var fields = h('div'),
        result = h('div', { 'data-testid': 'command-result' });
      var inputs = {};
      function aggregate() {
        return map.aggregates.filter((a) => a.type === aggSelect.value)[0];
      }
      function fillCommands() {
        cmdSelect.replaceChildren.apply(
          cmdSelect,
          aggregate().commands.map((c) =>
            h('option', { value: c.name, text: c.name, selected: c.name === query.command }),
          ),
        );
        fillFields();
      }
      function fillFields() {
        var command = aggregate().commands.filter((c) => c.name === cmdSelect.value)[0];
        var schema = command?.inputSchema || {};
        var props = schema.properties || {},
          required = schema.required || [];
        inputs = {};
        fields.replaceChildren.apply(
          fields,
          Object.keys(props).length
            ? Object.keys(props).map((name) => {
                var p = props[name],
                  input;
                if (p.enum)
                  input = h(
                    'select',
                    null,
                    p.enum.map((v) => h('option', { value: v, text: v })),
                  );
                else if (p.type === 'boolean') input = h('input', { type: 'checkbox' });
                else if (p.type === 'integer' || p.type === 'number')
                  input = h('input', { type: 'number', step: p.type === 'integer' ? '1' : 'any' });
                else if (p.type === 'object' || p.type === 'array')
                  input = h('textarea', { rows: '3', class: 'mono', placeholder: p.type === 'array' ? '[]' : '{}' });
                else
                  input = h('input', {
                    type: p.format === 'email' ? 'email' : /password|secret/i.test(name) ? 'password' : 'text',
                    minlength: p.minLength,
                    maxlength: p.maxLength,
                  });
                input.name = name;
                input.id = `field-${name}`;
                inputs[name] = { el: input, schema: p };
                var hints = [
                  p.format || p.type,
                  p.minLength !== undefined ? `min ${p.minLength}` : null,
                  p.maxLength !== undefined ? `max ${p.maxLength}` : null,
                ]
                  .filter(Boolean)
                  .join(' · ');
                return h(
                  'div',
                  { class: 'field' },
                  h('label', { for: input.id, text: name + (required.indexOf(name) >= 0 ? ' *' : '') }),
                  input,
                  h('div', { class: 'hint', text: hints }),
                );
              })
            : [h('div', { class: 'muted', text: 'This command takes no input.' })],
        );
      }
      function collect() {
        var input = {};
        Object.keys(inputs).forEach((name) => {
          var x = inputs[name],
            el = x.el;
          if (x.schema.type === 'boolean') {
            input[name] = el.checked;
            return;
          }
          if (el.value === '') return;
          if (x.schema.type === 'integer' || x.schema.type === 'number') input[name] = Number(el.value);
          else if (x.schema.type === 'object' || x.schema.type === 'array') {
            try {
              input[name] = JSON.parse(el.value);
            } catch (_e) {
              input[name] = el.value;
            }
          } else input[name] = el.value;
        });
        return input;
      }
      function submit(event) {
        event.preventDefault();
        var button = event.submitter || form.querySelector('button');
        button.disabled = true;
        var address = { aggregateType: aggSelect.value, aggregateId: idInput.value };
        if (tenantInput.value) address.tenantId = tenantInput.value;
        result.replaceChildren(h('div', { class: 'muted', text: 'Sending…' }));
        api('sendCommand', Object.assign({ command: cmdSelect.value, input: collect() }, address))
          .then(
            (r) => {
              if (!r.ok) {
                result.replaceChildren(errorBox(r.error));
                return;
              }
              result.replaceChildren(
                h(
                  'div',
                  { class: 'ok-box' },
                  h('strong', { text: `Committed: version ${r.version}. ` }),
                  h('a', { href: streamHref(address), text: 'Open the stream →' }),
                ),
                h(
                  'table',
                  { 'data-testid': 'command-events', style: 'margin-top:10px' },
                  h(
                    'tr',
                    null,
                    ['Ver', 'Event', 'Payload'].map((t) => h('th', { text: t })),
                  ),
                  r.events.map((e) =>
                    h(
                      'tr',
                      null,
                      h('td', null, badge(`v${e.version}`)),
                      h('td', null, h('strong', { text: e.type })),
                      h('td', null, json(e.payload)),
                    ),
                  ),
                ),
              );
            },
            (e) => {
              result.replaceChildren(errorBox(e));
            },
          )
          .then(() => {
            button.disabled = false;
          });
      }
      aggSelect.addEventListener('change', fillCommands);
      cmdSelect.addEventListener('change', fillFields);
      // novalidate: the command's own schema answers, with its stable error code.
      var form = h(
        'form',
        { onsubmit: submit, 'data-testid': 'command-form', novalidate: true },
        h(
          'div',
          { class: 'form-row' },
          h('div', { class: 'field' }, h('label', { for: 'command-aggregate', text: 'Aggregate' }), aggSelect),
          h('div', { class: 'field' }, h('label', { for: 'command-name', text: 'Command' }), cmdSelect),
          h('div', { class: 'field' }, h('label', { for: 'command-id', text: 'Aggregate id' }), idInput),
          h('div', { class: 'field' }, h('label', { for: 'command-tenant', text: 'Tenant' }), tenantInput),
        ),
        h('h2', { text: 'Input' }),
        fields,
        h('button', { type: 'submit', text: 'Send command' }),
      );
      view.replaceChildren(
        head(
          'Send command',
          'The form follows the command’s input JSON Schema; the result shows the committed events or the error code',
        ),
        card(null, form),
        card('Result', result),
      );
      fillCommands();
    });
  }

  route();
})();
