/* Timeline viewer: time axis (vis-timeline), network (vis-network), panel,
 * filters and search over the events.json data embedded in the page.
 *
 * Every text from the data reaches the page through textContent, a text
 * node, an <option> or a native title attribute, never as HTML; vis item and
 * group contents are DOM elements built here for the same reason.
 * Filters refresh DataViews (never re-add items), so a change at 5,000
 * events stays well under a frame budget of a few hundred ms.
 */
(function () {
  'use strict';

  const DATA = JSON.parse(document.getElementById('kg-data').textContent);
  const vis = window.vis;
  const DAY = 86400000;
  const LIST_LIMIT = 300;            // rows drawn in the event list; the rest are counted
  const SOURCES_SHOWN = 5;           // sources the panel lists before a "show all" button
  const BIG = 800;                   // dated events above which the axis opens on the latest ones
  const OPEN_EVENTS = 250;
  const NET_EVENTS = 200;            // event nodes the network draws at once (vis-network adds nodes slowly)
  // Actors with a lane of their own: the busiest ones (and the one filtered on); the rest share
  // a lane. vis-timeline draws every lane, scrolled out of sight or not: 2,000 take over a second.
  const ACTOR_LANES = 60;
  const MODALITIES = ['occurred', 'scheduled', 'proposed', 'expected', 'threatened', 'demanded', 'cancelled', 'denied'];
  // How a link reads from its source and from its target.
  const LINK_WORDS = {
    next: ['followed by', 'follows'],
    deadline_of: ['deadline of', 'has the deadline'],
    revises: ['revises', 'revised by'],
    follows_up: ['follows up on', 'followed up by'],
  };
  const COARSE = new Set(['week', 'month', 'quarter', 'year']);

  const $ = (id) => document.getElementById(id);

  /** Build an element; strings among children become text nodes. */
  function h(tag, props, ...children) {
    const node = document.createElement(tag);
    if (props) {
      for (const [key, value] of Object.entries(props)) {
        if (value === undefined || value === null || value === false) continue;
        if (key === 'className') node.className = value;
        else if (key === 'text') node.textContent = value;
        else if (key === 'dataset') Object.assign(node.dataset, value);
        else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
        else if (key in node) node[key] = value;
        else node.setAttribute(key, value);
      }
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }

  function parseDay(text) {
    const m = typeof text === 'string' && /^(\d{4})-(\d{2})-(\d{2})/.exec(text);
    return m ? new Date(Number(m[1]), Number(m[2]) - 1, Number(m[3])) : null;
  }
  function isoDay(date) {
    const p = (n) => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${p(date.getMonth() + 1)}-${p(date.getDate())}`;
  }
  /** Only http(s) links become anchors: a javascript: URL from an article must stay text. */
  function safeUrl(text) {
    try {
      const url = new URL(String(text));
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (err) {
      return null;
    }
  }
  const cssClass = (text) => String(text).replace(/[^A-Za-z0-9_-]/g, '_');

  // ------------------------------------------------------------------ model
  const events = Array.isArray(DATA.events) ? DATA.events : [];
  const view = DATA.view || {types: [], network: {nodes: [], edges: [], options: {}}};
  const typeInfo = new Map(view.types.map((t) => [t.name, t]));
  const typeOrder = new Map(view.types.map((t, i) => [t.name, i]));
  const actorInfo = new Map((DATA.actors || []).map((a) => [a.id, a]));
  const byId = new Map();
  const actorEvents = new Map();      // actor id -> Set of event ids
  const processOf = new Map();        // event id -> process id
  const processInfo = new Map();
  const links = new Map();            // event id -> [{other, type, outgoing, date}]

  (DATA.processes || []).forEach((p, i) => {
    processInfo.set(p.id, {label: p.label || p.id, order: i});
    for (const id of p.events || []) processOf.set(id, p.id);
  });

  for (const e of events) {
    byId.set(e.id, e);
    e.modality = MODALITIES.includes(e.modality) ? e.modality : 'occurred';
    e.type = e.type || 'Unknown';
    const s = parseDay(e.start) || parseDay(e.end);
    const end = parseDay(e.end) || s;
    e._s = s ? s.getTime() : null;
    e._e = end ? Math.max(end.getTime(), e._s) + DAY : null;   // exclusive end: the whole last day
    e._range = s !== null && (e._e - e._s > DAY || COARSE.has(e.precision));
    e._uncertain = s !== null && e.precision !== 'day';
    e._actors = (e.actors || []).filter((a) => a && a.id);
    for (const a of e._actors) {
      if (!actorEvents.has(a.id)) actorEvents.set(a.id, new Set());
      actorEvents.get(a.id).add(e.id);
      if (!actorInfo.has(a.id)) actorInfo.set(a.id, {id: a.id, name: a.name || a.id, kind: 'organization'});
    }
    if (e.process && !processOf.has(e.id)) processOf.set(e.id, e.process);
    const words = [e.label, e.type, (typeInfo.get(e.type) || {}).label, e.time_text, e.modality];
    for (const a of e._actors) words.push(a.name, a.role, (actorInfo.get(a.id) || {}).name);
    for (const p of e.places || []) words.push(p.name);
    for (const src of e.sources || []) words.push(src.sentence, src.title, src.trigger);
    for (const c of e.claims || []) words.push(c.time_text, c.attribution && c.attribution.name);
    e._hay = words.filter(Boolean).join('\n').toLowerCase();
  }
  for (const link of DATA.links || []) {
    if (!byId.has(link.source) || !byId.has(link.target)) continue;
    for (const [from, to, outgoing] of [[link.source, link.target, true], [link.target, link.source, false]]) {
      if (!links.has(from)) links.set(from, []);
      links.get(from).push({other: to, type: link.type, outgoing, date: link.date});
    }
  }
  const chronological = events.filter((e) => e._s !== null)
    .sort((a, b) => a._s - b._s || a._e - b._e || String(a.label).localeCompare(String(b.label)));
  const undated = events.filter((e) => e._s === null);

  const DEFAULTS = {sel: '', actor: '', q: '', from: '', to: '', lanes: 'process', hide: [], hidemod: [], win: null};
  const state = {...DEFAULTS, hide: new Set(), hidemod: new Set()};
  let visible = new Set();
  let netVisible = new Set();
  let edgeEnds = netVisible;          // nodes whose edges the network's edge view lets through
  let cursor = '';
  let ready = false;

  function passDate(e) {
    if (e._s === null) return true;   // undated events are listed apart, never dropped by dates
    if (state.from && e._e <= parseDay(state.from).getTime()) return false;
    if (state.to && e._s > parseDay(state.to).getTime()) return false;
    return true;
  }

  /** Recompute the visible set and the faceted counts (each facet counts with the other filters on). */
  function computeVisible() {
    const terms = state.q.toLowerCase().split(/\s+/).filter(Boolean);
    const actorSet = state.actor ? (actorEvents.get(state.actor) || new Set()) : null;
    const typeCounts = new Map();
    const modCounts = new Map();
    visible = new Set();
    for (const e of events) {
      if (actorSet && !actorSet.has(e.id)) continue;
      if (!passDate(e)) continue;
      if (terms.length && !terms.every((t) => e._hay.includes(t))) continue;
      const passType = !state.hide.has(e.type);
      const passMod = !state.hidemod.has(e.modality);
      if (passMod) typeCounts.set(e.type, (typeCounts.get(e.type) || 0) + 1);
      if (passType) modCounts.set(e.modality, (modCounts.get(e.modality) || 0) + 1);
      if (passType && passMod) visible.add(e.id);
    }
    return {typeCounts, modCounts};
  }

  // ------------------------------------------------------------------ time axis
  // Item id -> its label element, kept across lane switches (ids differ between modes).
  const itemCache = new Map();

  function hoverText(e) {
    const t = typeInfo.get(e.type);
    const lines = [String(e.label || e.id), `${t ? t.label : e.type} · ${e.modality}`,
      `${dateText(e)} (${e.precision || 'unknown'} precision)`];
    if (e.time_text) lines.push(`from the words: “${e.time_text}”`);
    if (e.conflict) lines.push('reports disagree about this event');
    return lines.join('\n');
  }
  function dateText(e) {
    if (!e.start && !e.end) return 'no date';
    if (!e.end || e.start === e.end) return String(e.start || e.end);
    if (!e.start) return String(e.end);
    return `${e.start} – ${e.end}`;
  }

  function itemTemplate(item) {
    if (!item || !item.eventId) return '';
    let node = itemCache.get(item.id);
    if (!node) {
      const e = byId.get(item.eventId);
      node = h('span', {className: 'kg-label', title: hoverText(e), dataset: {eventId: e.id}},
        String(e.label || e.id));
      itemCache.set(item.id, node);
    }
    return node;
  }
  function groupTemplate(group) {
    if (!group) return '';
    return h('span', {title: group.text, className: 'kg-group-label'}, group.text);
  }

  function laneKeys(e, lanes) {
    if (lanes === 'type') {
      const t = typeInfo.get(e.type);
      return [[`t:${e.type}`, t ? t.label : e.type, typeOrder.has(e.type) ? typeOrder.get(e.type) : 999]];
    }
    if (lanes === 'actor') {
      if (!e._actors.length) return [['a:', '(no actor)', 1e9]];
      const own = e._actors.filter((a) => ownLane.has(a.id));
      const keys = own.map((a) => [`a:${a.id}`, (actorInfo.get(a.id) || a).name || a.id, null]);
      if (own.length < e._actors.length) keys.push(['a:*', 'other actors', 1e9 - 1]);
      return keys;
    }
    if (lanes === 'process') {
      const pid = processOf.get(e.id);
      if (pid) {
        const p = processInfo.get(pid) || {label: pid, order: 900};
        return [[`p:${pid}`, p.label, p.order]];
      }
      return [['p:', 'Other events', 1e9]];
    }
    return [[null, '', 0]];
  }

  /** Items and lanes for one lane mode; an event sits in every lane it belongs to. */
  function buildItems(lanes) {
    const items = [];
    const groups = new Map();
    const itemIds = new Map();
    const groupOf = new Map();
    for (const e of chronological) {
      const ids = [];
      for (const [gid, text, order] of laneKeys(e, lanes)) {
        const id = gid === null ? e.id : `${e.id}\u0001${gid}`;
        const t = typeInfo.get(e.type);
        const cls = ['kg-item', `kg-t${t ? t.color % 16 : 13}`, `kg-m-${e.modality}`, `kg-type-${cssClass(e.type)}`];
        if (e._uncertain) cls.push('kg-uncertain');
        if (e.conflict) cls.push('kg-conflict');
        if (e.type === 'Deadline') cls.push('kg-deadline');
        const item = {id, eventId: e.id, start: new Date(e._s), type: e._range ? 'range' : 'point', className: cls.join(' ')};
        if (e._range) item.end = new Date(e._e);
        if (gid !== null) {
          item.group = gid;
          if (!groups.has(gid)) groups.set(gid, {id: gid, text, order: order === null ? 0 : order, events: new Set()});
          groups.get(gid).events.add(e.id);
          if (!groupOf.has(e.id)) groupOf.set(e.id, gid);
        }
        items.push(item);
        ids.push(id);
      }
      itemIds.set(e.id, ids);
    }
    // An ultimatum's time to run: a faint band from the ultimatum to its deadline.
    (DATA.links || []).forEach((link, n) => {
      if (link.type !== 'deadline_of') return;
      let deadline = byId.get(link.source);
      let ultimatum = byId.get(link.target);
      if (!deadline || !ultimatum) return;
      if (ultimatum.type === 'Deadline') [deadline, ultimatum] = [ultimatum, deadline];
      if (deadline._s === null || ultimatum._s === null || deadline._s <= ultimatum._s) return;
      const gid = groupOf.get(ultimatum.id);
      const item = {id: `span\u0001${n}`, eventIds: [ultimatum.id, deadline.id], start: new Date(ultimatum._s),
        end: new Date(deadline._s), type: 'background', className: 'kg-span', content: ''};
      if (gid !== undefined) item.group = gid;
      if (lanes === 'none' || gid !== undefined) items.push(item);
    });
    if (lanes === 'actor') {
      // Busiest actors first, so the lanes that matter are on top.
      for (const g of groups.values()) if (g.id !== 'a:' && g.id !== 'a:*') g.order = -g.events.size;
    }
    return {items, groups: [...groups.values()], itemIds};
  }

  const timelineBox = $('kg-timeline');
  let lane = null;        // {items: DataSet, itemsView, groups, groupsView, itemIds}
  const timeline = new vis.Timeline(timelineBox, [], {
    height: Math.max(200, timelineBox.clientHeight),
    verticalScroll: true,
    stack: true,
    orientation: {axis: 'top', item: 'top'},
    showCurrentTime: false,
    selectable: true,
    multiselect: false,
    zoomMin: DAY,
    margin: {item: {horizontal: 4, vertical: 4}},
    groupOrder: 'order',
    template: itemTemplate,
    groupTemplate,
  });

  /** Run a data swap with the time axis looking at an empty stretch before every event.
   * vis-timeline draws and measures each item it is given that falls in view, one forced
   * layout per item (half a second for a few hundred items); items out of view are drawn on
   * the next frame in one batched pass instead, so the window goes back only after the swap. */
  function offstage(swap) {
    if (!chronological.length) {
      swap();
      return;
    }
    const w = timeline.getWindow();
    const span = w.end.getTime() - w.start.getTime();
    const before = chronological[0]._s - span - DAY;
    timeline.setWindow(before - span, before, {animation: false});
    try {
      swap();
    } finally {
      timeline.setWindow(w.start, w.end, {animation: false});
    }
  }

  const busiest = [...actorEvents.keys()].sort((a, b) => actorEvents.get(b).size - actorEvents.get(a).size || (a < b ? -1 : 1))
    .slice(0, ACTOR_LANES);
  let ownLane = new Set(busiest);
  /** Which built lanes the state needs: actor lanes differ when the filtered actor is not a busy one. */
  function laneKey(lanes) {
    if (lanes !== 'actor' || !state.actor || !actorEvents.has(state.actor) || busiest.includes(state.actor)) return lanes;
    return `actor\u0001${state.actor}`;
  }

  // Items and lanes of each lane mode, built on first use and kept: switching back is a swap.
  const laneModes = new Map();
  function laneMode(lanes) {
    const key = laneKey(lanes);
    if (laneModes.has(key)) return laneModes.get(key);
    ownLane = new Set(key === lanes ? busiest : busiest.concat([state.actor]));
    const built = buildItems(lanes);
    const mode = {lanes, key, items: new vis.DataSet(built.items), itemIds: built.itemIds,
      groups: null, groupsView: null, shownGroups: new Set()};
    mode.itemsView = new vis.DataView(mode.items, {
      filter: (it) => (it.eventIds ? it.eventIds.every((id) => visible.has(id)) : visible.has(it.eventId)),
    });
    if (lanes !== 'none') {
      mode.groups = new vis.DataSet(built.groups);
      // vis-timeline re-reads a DataView's filter while redrawing, so the filter reads a set
      // that changes only when the lanes are refreshed, never halfway through an update.
      mode.groupsView = new vis.DataView(mode.groups, {filter: (g) => mode.shownGroups.has(g.id)});
    }
    laneModes.set(key, mode);
    return mode;
  }

  function setLanes(lanes) {
    const next = laneMode(lanes);
    // A kept mode's views last saw the filters of its last turn: bring them up to date
    // while nothing listens to them.
    next.itemsView.refresh();
    if (next.groupsView) {
      next.shownGroups = new Set();
      for (const g of next.groups.get()) if ([...g.events].some((id) => visible.has(id))) next.shownGroups.add(g.id);
      next.groupsView.refresh();
    }
    lane = next;
    offstage(() => {
      // Items go first: adding a lane scans every item already there for ones that belong to it.
      timeline.setItems(null);
      // null for one lane; setData would keep the old lanes, and their items would vanish.
      timeline.setGroups(next.groupsView);
      timeline.setItems(next.itemsView);
    });
  }

  // ------------------------------------------------------------------ network
  const rootStyle = () => getComputedStyle(document.documentElement);
  function networkGroups() {
    const css = rootStyle();
    const fg = css.getPropertyValue('--fg').trim();
    const sel = css.getPropertyValue('--sel').trim();
    const groups = {};
    const paint = (c) => ({color: {background: c, border: c, highlight: {background: c, border: sel},
      hover: {background: c, border: sel}}, font: {color: fg}});
    for (let i = 0; i < 16; i += 1) groups[`t${i}`] = paint(css.getPropertyValue(`--t${i}`).trim());
    for (const kind of ['person', 'organization', 'country', 'media']) {
      groups[`actor-${kind}`] = paint(css.getPropertyValue(`--actor-${kind}`).trim());
    }
    return {groups, edges: {color: {color: css.getPropertyValue('--line').trim(), highlight: css.getPropertyValue('--accent').trim()}},
      nodes: {font: {color: fg}}};
  }
  const net = view.network || {nodes: [], edges: [], options: {}};
  const nodes = new vis.DataSet(net.nodes.map((n) => ({...n, group: n.group && n.group.startsWith('t')
    ? `t${Number(n.group.slice(1)) % 16}` : (n.group in {'actor-person': 1, 'actor-organization': 1, 'actor-country': 1, 'actor-media': 1} ? n.group : 'actor-organization')})));
  const edges = new vis.DataSet(net.edges.map((e, i) => ({...e, id: `edge${i}`})));
  const nodesView = new vis.DataView(nodes, {filter: (n) => netVisible.has(n.id)});
  const edgesView = new vis.DataView(edges, {filter: (e) => edgeEnds.has(e.from) && edgeEnds.has(e.to)});
  const netOptions = {...(net.options || {}), ...networkGroups()};
  // Data goes in after the handlers are attached: stabilisation may finish inside setData.
  const network = new vis.Network($('kg-network'), {nodes: [], edges: []}, netOptions);
  let networkSettled = !net.physics;
  network.once('stabilizationIterationsDone', () => {
    // Keep the settled layout so nodes hidden and shown again by filters come back in place.
    network.storePositions();
    network.setOptions({physics: false});
    networkSettled = true;
    markReady();
  });
  network.on('dragEnd', () => network.storePositions());
  window.matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => network.setOptions(networkGroups()));

  /** Events and actors the network shows: the filtered events in the brushed window, at most
   * NET_EVENTS of them (those nearest the window's middle, and always the selected one). */
  function computeNetVisible() {
    const w = $('kg-follow').checked && state.win ? state.win : null;
    let shown = [];
    for (const id of visible) {
      const e = byId.get(id);
      if (w && e._s !== null && (e._e <= w[0] || e._s >= w[1])) continue;
      shown.push(e);
    }
    const total = shown.length;
    if (total > NET_EVENTS) {
      const mid = w ? (w[0] + w[1]) / 2 : (timeline.getWindow().start.getTime() + timeline.getWindow().end.getTime()) / 2;
      const distance = (e) => (e._s === null ? Infinity : Math.abs((e._s + e._e) / 2 - mid));
      shown = shown.sort((a, b) => distance(a) - distance(b)).slice(0, NET_EVENTS);
      if (state.sel && visible.has(state.sel) && !shown.includes(byId.get(state.sel))) shown.push(byId.get(state.sel));
    }
    netVisible = new Set();
    for (const e of shown) {
      netVisible.add(`e:${e.id}`);
      for (const a of e._actors) netVisible.add(`a:${a.id}`);
    }
    $('kg-net-note').textContent = total > shown.length
      ? `${shown.length} of ${total} events nearest the middle of the window; zoom the time axis in for the rest` : '';
  }

  // ------------------------------------------------------------------ filters UI
  function fillFilters() {
    const typeList = $('kg-types');
    for (const t of view.types) {
      const box = h('input', {type: 'checkbox', checked: true, value: t.name, dataset: {type: t.name},
        onchange: (ev) => { toggle(state.hide, t.name, !ev.target.checked); apply(); }});
      typeList.append(h('li', {className: `kg-t${t.color % 16}`, title: t.definition || ''},
        h('label', null, box, h('span', {className: 'kg-dot'}), t.label,
          h('span', {className: 'kg-n', dataset: {countType: t.name}}, '0'))));
    }
    const modList = $('kg-modalities');
    for (const m of MODALITIES) {
      const box = h('input', {type: 'checkbox', checked: true, value: m, dataset: {modality: m},
        onchange: (ev) => { toggle(state.hidemod, m, !ev.target.checked); apply(); }});
      modList.append(h('li', null, h('label', null, box, m, h('span', {className: 'kg-n', dataset: {countModality: m}}, '0'))));
    }
    const select = $('kg-actor');
    const actors = [...actorEvents.keys()].map((id) => ({id, name: (actorInfo.get(id) || {}).name || id, n: actorEvents.get(id).size}))
      .sort((a, b) => a.name.localeCompare(b.name));
    for (const a of actors) select.append(new Option(`${a.name} (${a.n})`, a.id));
    select.addEventListener('change', () => { state.actor = select.value; apply(); });
    let searchTimer = 0;
    $('kg-search').addEventListener('input', (ev) => {
      clearTimeout(searchTimer);
      searchTimer = setTimeout(() => { state.q = ev.target.value.trim(); apply(); }, 120);
    });
    $('kg-from').addEventListener('change', (ev) => { state.from = ev.target.value; apply(); });
    $('kg-to').addEventListener('change', (ev) => { state.to = ev.target.value; apply(); });
    // Lanes change no filter: the list, counts and network stay as they are.
    $('kg-lanes').addEventListener('change', (ev) => {
      state.lanes = ev.target.value;
      setLanes(state.lanes);
      markTimelineSelection();
      writeHash();
    });
    $('kg-follow').addEventListener('change', () => refreshNetwork());
    $('kg-reset').addEventListener('click', () => {
      Object.assign(state, {...DEFAULTS, hide: new Set(), hidemod: new Set(), lanes: state.lanes});
      syncControls();
      clearSelection();
      state.win = initialWindow();
      apply();
      if (state.win) timeline.setWindow(state.win[0], state.win[1], {animation: false});
      else showAll();
    });
  }
  function toggle(set, key, on) { if (on) set.add(key); else set.delete(key); }

  function syncControls() {
    $('kg-search').value = state.q;
    $('kg-actor').value = actorEvents.has(state.actor) ? state.actor : '';
    $('kg-from').value = state.from;
    $('kg-to').value = state.to;
    $('kg-lanes').value = state.lanes;
    for (const box of document.querySelectorAll('#kg-types input')) box.checked = !state.hide.has(box.value);
    for (const box of document.querySelectorAll('#kg-modalities input')) box.checked = !state.hidemod.has(box.value);
  }

  function renderCounts(counts) {
    for (const node of document.querySelectorAll('[data-count-type]')) {
      const n = counts.typeCounts.get(node.dataset.countType) || 0;
      node.textContent = String(n);
      node.parentNode.classList.toggle('kg-zero', n === 0);
    }
    for (const node of document.querySelectorAll('[data-count-modality]')) {
      const n = counts.modCounts.get(node.dataset.countModality) || 0;
      node.textContent = String(n);
      node.parentNode.classList.toggle('kg-zero', n === 0);
    }
    const undatedShown = undated.filter((e) => visible.has(e.id)).length;
    $('kg-count').textContent = `${visible.size} of ${events.length} events` +
      (undatedShown ? ` · ${undatedShown} without a date` : '');
  }

  function listRow(e) {
    const t = typeInfo.get(e.type);
    return h('li', null, h('button', {type: 'button', dataset: {eventId: e.id}, title: hoverText(e),
      className: `kg-t${t ? t.color % 16 : 13}`, 'aria-current': String(e.id === cursor || e.id === state.sel),
      onclick: () => { selectEvent(e.id, 'list'); }},
    h('span', {className: 'kg-date'}, e._s === null ? '' : dateText(e)), String(e.label || e.id)));
  }
  function renderList() {
    const dated = chronological.filter((e) => visible.has(e.id));
    const rows = dated.slice(0, LIST_LIMIT).map(listRow);
    if (dated.length > LIST_LIMIT) {
      rows.push(h('li', {className: 'kg-list-more'}, `… and ${dated.length - LIST_LIMIT} more: narrow the filters or use the time axis`));
    }
    $('kg-list').replaceChildren(...rows);
    const loose = undated.filter((e) => visible.has(e.id));
    $('kg-undated').replaceChildren(...loose.slice(0, LIST_LIMIT).map(listRow));
    $('kg-undated').previousElementSibling.hidden = loose.length === 0;
    $('kg-list-note').textContent = `${dated.length} dated`;
  }

  /** Hold vis-network's canvas while ``change`` runs and draw once, on the next frame.
   * With physics off it redraws the whole canvas after every add and remove it hears of
   * (four per refresh). Its redraw switch is internal, hence the guard. */
  function quietly(change) {
    const emitter = network.body && network.body.emitter;
    if (!emitter || typeof emitter.emit !== 'function') {
      change();
      return;
    }
    emitter.emit('_blockRedraw');
    try {
      change();
    } finally {
      emitter.emit('_allowRedraw');
      emitter.emit('_requestRedraw');
    }
  }

  function refreshNetwork() {
    const before = netVisible;
    computeNetVisible();
    const after = netVisible;
    // Edges of leaving nodes go first, new edges last: vis-network re-creates every edge its
    // edge view still lists but lacks each time nodes arrive, so an edge view one step behind
    // would have it build and drop again the edges of the nodes just removed.
    quietly(() => {
      edgeEnds = new Set([...before].filter((id) => after.has(id)));
      edgesView.refresh();
      nodesView.refresh();
      edgeEnds = after;
      edgesView.refresh();
    });
    highlightNetwork();
  }

  // The network follows a frame later, so the time axis and the list answer a filter at once.
  let netTimer = 0;
  const netWaiters = [];
  function scheduleNetwork() {
    if (netTimer) return;
    netTimer = requestAnimationFrame(() => setTimeout(() => {
      netTimer = 0;
      refreshNetwork();
      netWaiters.splice(0).forEach((resolve) => resolve());
    }, 0));
  }

  /** Show the lanes with visible events: new lanes before their items arrive, empty ones after. */
  function refreshLanes() {
    if (!lane.groupsView) {
      lane.itemsView.refresh();
      return;
    }
    const next = new Set();
    for (const g of lane.groups.get()) if ([...g.events].some((id) => visible.has(id))) next.add(g.id);
    lane.shownGroups = new Set([...lane.shownGroups, ...next]);
    lane.groupsView.refresh();
    lane.itemsView.refresh();
    lane.shownGroups = next;
    lane.groupsView.refresh();
  }

  /** Apply state to every view: the one path all filter changes take. */
  function apply(initial) {
    const counts = computeVisible();
    if (!initial) {   // views made a moment ago already hold the filtered data
      if (laneKey(state.lanes) !== lane.key) setLanes(state.lanes);
      else refreshLanes();
      scheduleNetwork();
    }
    renderList();
    renderCounts(counts);
    markTimelineSelection();
    writeHash();
  }

  // ------------------------------------------------------------------ selection and panel
  function neighbours(id) {
    return (links.get(id) || []).map((l) => l.other);
  }
  function markTimelineSelection() {
    const ids = [];
    const focus = state.sel || cursor;
    if (focus && lane.itemIds.has(focus)) ids.push(...lane.itemIds.get(focus));
    timeline.setSelection(ids.filter((id) => lane.itemsView.get(id)));
  }
  function highlightNetwork() {
    if (!state.sel) {
      if (network.getSelectedNodes().length || network.getSelectedEdges().length) network.unselectAll();
      return;
    }
    const e = byId.get(state.sel);
    if (!e) return;
    const ids = [`e:${e.id}`, ...e._actors.map((a) => `a:${a.id}`), ...neighbours(e.id).map((id) => `e:${id}`)];
    network.selectNodes(ids.filter((id) => nodesView.get(id)), true);
  }

  function selectEvent(id, from) {
    const e = byId.get(id);
    if (!e) return;
    state.sel = id;
    cursor = id;
    renderPanel(e);
    markTimelineSelection();
    highlightNetwork();
    if (from !== 'timeline') revealOnTimeline(e);
    markList();
    writeHash();
  }
  function clearSelection() {
    state.sel = '';
    cursor = '';
    $('kg-panel').replaceChildren(h('p', {className: 'kg-hint'},
      'Select an event on the time axis, in the list or in the network to see its sources. Keys: ← → move through events, Enter opens, Esc clears.'));
    markTimelineSelection();
    highlightNetwork();
    markList();
    writeHash();
  }
  function markList() {
    for (const b of document.querySelectorAll('.kg-list button')) {
      b.setAttribute('aria-current', String(b.dataset.eventId === cursor || b.dataset.eventId === state.sel));
    }
  }
  function revealOnTimeline(e) {
    if (e._s === null) return;
    const w = timeline.getWindow();
    if (e._s < w.start.getTime() || e._s > w.end.getTime()) timeline.moveTo(new Date(e._s), {animation: false});
  }

  /** The sentence with the event's words (trigger, time words) marked. */
  function highlighted(sentence, words) {
    const text = String(sentence || '');
    const lower = text.toLowerCase();
    const spans = [];
    for (const w of words) {
      const needle = String(w || '').toLowerCase().trim();
      if (needle.length < 2) continue;
      let at = lower.indexOf(needle);
      while (at !== -1) {
        spans.push([at, at + needle.length]);
        at = lower.indexOf(needle, at + needle.length);
      }
    }
    spans.sort((a, b) => a[0] - b[0]);
    const out = [];
    let pos = 0;
    for (const [s, end] of spans) {
      if (s < pos) continue;
      out.push(text.slice(pos, s), h('mark', null, text.slice(s, end)));
      pos = end;
    }
    out.push(text.slice(pos));
    return out;
  }

  function sourceBlock(src, words) {
    const url = src && safeUrl(src.url);
    const title = String((src && src.title) || (src && src.article) || 'article');
    const titleNode = url ? h('a', {href: url, target: '_blank', rel: 'noopener noreferrer'}, title) : h('span', null, title);
    const meta = [src.published ? `published ${src.published}` : 'publication date unknown'];
    if (Number.isInteger(src.sentence_index)) meta.push(`sentence ${src.sentence_index + 1}`);
    return h('div', {className: 'kg-source'}, titleNode, h('div', {className: 'kg-meta'}, meta.join(' · ')),
      h('blockquote', null, highlighted(src.sentence, words.concat([src.trigger]))));
  }

  function actorButton(id, name) {
    return h('button', {type: 'button', className: 'kg-linkbtn', dataset: {actor: id},
      title: 'Show only this actor\'s events', onclick: () => setActor(id)}, String(name || id));
  }

  function renderPanel(e) {
    const t = typeInfo.get(e.type);
    const parts = [];
    parts.push(h('div', null,
      h('span', {className: 'kg-badge'}, t ? t.label : e.type),
      h('span', {className: 'kg-badge'}, e.modality),
      e.conflict ? h('span', {className: 'kg-badge kg-conflict-badge'}, 'reports disagree') : null));
    parts.push(h('h2', {id: 'kg-panel-title'}, String(e.label || e.id)));
    const facts = [['When', dateText(e)], ['Precision', e.precision || 'unknown']];
    if (e.time_text) facts.push(['Words', `“${e.time_text}”`]);
    if (e.edtf && e.edtf !== e.start) facts.push(['EDTF', e.edtf]);   // a plain day says nothing new
    if (e.ordinal) facts.push(['Ordinal', String(e.ordinal)]);
    if (e.process && processInfo.has(e.process)) facts.push(['Process', processInfo.get(e.process).label]);
    const places = (e.places || []).map((p) => p.name || p.id).filter(Boolean);
    if (places.length) facts.push(['Place', places.join(', ')]);
    for (const [key, value] of Object.entries(e.quantities || {})) facts.push([key.replace(/_/g, ' '), String(value)]);
    parts.push(h('dl', null, facts.map(([k, v]) => [h('dt', null, k), h('dd', null, v)])));
    // Sources come first: they are what the panel is for, and what a busy event has most of.
    const sources = e.sources || [];
    parts.push(h('h3', null, `Sources (${sources.length})`));
    const words = [e.time_text];
    const list = h('div', {className: 'kg-sources'}, sources.slice(0, SOURCES_SHOWN).map((s) => sourceBlock(s, words)));
    parts.push(list);
    if (sources.length > SOURCES_SHOWN) {
      const more = h('button', {type: 'button', className: 'kg-linkbtn kg-more', onclick: () => {
        list.append(...sources.slice(SOURCES_SHOWN).map((s) => sourceBlock(s, words)));
        more.remove();
      }}, `Show all ${sources.length} sources`);
      parts.push(more);
    }
    if (e._actors.length) {
      parts.push(h('h3', null, 'Actors'));
      parts.push(h('ul', {className: 'kg-actors'}, e._actors.map((a) => h('li', null,
        actorButton(a.id, (actorInfo.get(a.id) || a).name), a.role ? ` — ${String(a.role).replace(/_/g, ' ')}` : ''))));
    }
    if ((e.claims || []).length) {
      parts.push(h('h3', null, 'Conflicting reports'));
      parts.push(h('table', {className: 'kg-claims'},
        h('thead', null, h('tr', null, h('th', null, 'Who'), h('th', null, 'When'), h('th', null, 'Words'), h('th', null, 'Source'))),
        h('tbody', null, e.claims.map((c) => h('tr', null,
          h('td', null, String((c.attribution && (c.attribution.name || c.attribution.id)) || 'unattributed')),
          h('td', null, c.start === c.end || !c.end ? String(c.start || 'no date') : `${c.start} – ${c.end}`, ` (${c.precision || '?'})`),
          h('td', null, c.time_text ? `“${c.time_text}”` : ''),
          h('td', null, String((c.source && (c.source.title || c.source.article)) || '')))))));
      if (e.resolution_note) parts.push(h('p', {className: 'kg-note'}, `Resolved: ${e.resolution_note}`));
    }
    const linked = links.get(e.id) || [];
    if (linked.length) {
      parts.push(h('h3', null, 'Linked events'));
      parts.push(h('ul', null, linked.map((l) => {
        const other = byId.get(l.other);
        const [forward, backward] = LINK_WORDS[l.type] || [String(l.type || 'linked').replace(/_/g, ' '), `${String(l.type || 'linked').replace(/_/g, ' ')} (from)`];
        return h('li', null, `${l.outgoing ? forward : backward}: `,
          h('button', {type: 'button', className: 'kg-linkbtn', dataset: {eventId: other.id}, onclick: () => selectEvent(other.id, 'panel')},
            String(other.label || other.id)), other.start ? ` (${dateText(other)})` : '');
      })));
    }
    const panel = $('kg-panel');
    panel.replaceChildren(...parts);
    panel.scrollTop = 0;
  }

  function setActor(id) {
    state.actor = state.actor === id ? '' : id;
    $('kg-actor').value = state.actor;
    apply();
  }

  // ------------------------------------------------------------------ keyboard
  function ordered() {
    return chronological.concat(undated).filter((e) => visible.has(e.id)).map((e) => e.id);
  }
  function moveCursor(step) {
    const ids = ordered();
    if (!ids.length) return;
    const at = ids.indexOf(cursor || state.sel);
    const next = at === -1 ? (step > 0 ? 0 : ids.length - 1) : Math.min(ids.length - 1, Math.max(0, at + step));
    cursor = ids[next];
    const e = byId.get(cursor);
    markTimelineSelection();
    revealOnTimeline(e);
    markList();
    const row = document.querySelector(`.kg-list button[aria-current="true"]`);
    if (row) row.scrollIntoView({block: 'nearest'});
  }
  document.addEventListener('keydown', (ev) => {
    const tag = ev.target && ev.target.tagName;
    const typing = tag === 'INPUT' || tag === 'SELECT' || tag === 'TEXTAREA';
    if (ev.key === 'Escape') {
      if (typing) ev.target.blur();
      clearSelection();
      return;
    }
    if (typing || ev.altKey || ev.ctrlKey || ev.metaKey) return;
    if (ev.key === 'ArrowRight' || ev.key === 'ArrowDown') { moveCursor(1); ev.preventDefault(); }
    else if (ev.key === 'ArrowLeft' || ev.key === 'ArrowUp') { moveCursor(-1); ev.preventDefault(); }
    else if (ev.key === 'Enter' && cursor && tag !== 'BUTTON' && tag !== 'A') {
      selectEvent(cursor, 'keyboard');
      $('kg-panel').focus();
      ev.preventDefault();
    }
  });

  // ------------------------------------------------------------------ URL fragment
  let hashTimer = 0;
  let lastHash = '';
  function encodeState() {
    const p = new URLSearchParams();
    if (state.sel) p.set('sel', state.sel);
    if (state.actor) p.set('actor', state.actor);
    if (state.q) p.set('q', state.q);
    if (state.from) p.set('from', state.from);
    if (state.to) p.set('to', state.to);
    if (state.lanes !== DEFAULTS.lanes) p.set('lanes', state.lanes);
    if (state.hide.size) p.set('hide', [...state.hide].join(','));
    if (state.hidemod.size) p.set('hidemod', [...state.hidemod].join(','));
    if (state.win) p.set('win', state.win.map((t) => new Date(t).toISOString()).join(','));
    return p.toString();
  }
  function writeHash() {
    if (!ready) return;
    clearTimeout(hashTimer);
    hashTimer = setTimeout(() => {
      const text = encodeState();
      if (text === lastHash) return;
      lastHash = text;
      history.replaceState(null, '', text ? `#${text}` : location.pathname + location.search);
    }, 100);
  }
  function readHash() {
    const p = new URLSearchParams(location.hash.replace(/^#/, ''));
    const list = (key) => new Set((p.get(key) || '').split(',').filter(Boolean));
    const lanes = p.get('lanes');
    const win = (p.get('win') || '').split(',').map((t) => Date.parse(t));
    Object.assign(state, {
      sel: byId.has(p.get('sel')) ? p.get('sel') : '',
      actor: p.get('actor') || '',
      q: p.get('q') || '',
      from: /^\d{4}-\d{2}-\d{2}$/.test(p.get('from') || '') ? p.get('from') : '',
      to: /^\d{4}-\d{2}-\d{2}$/.test(p.get('to') || '') ? p.get('to') : '',
      lanes: ['process', 'type', 'actor', 'none'].includes(lanes) ? lanes : DEFAULTS.lanes,
      hide: list('hide'),
      hidemod: list('hidemod'),
      win: win.length === 2 && win.every(Number.isFinite) && win[0] < win[1] ? win : null,
    });
    lastHash = location.hash.replace(/^#/, '');
  }
  function restoreFromHash() {
    const lanes = state.lanes;
    readHash();
    syncControls();
    if (!lane || lane.lanes !== state.lanes || lanes !== state.lanes) setLanes(state.lanes);
    apply();
    if (state.win) timeline.setWindow(state.win[0], state.win[1], {animation: false});
    else showAll();
    if (state.sel) selectEvent(state.sel, 'hash');
    else clearSelection();
  }
  window.addEventListener('hashchange', () => {
    if (location.hash.replace(/^#/, '') !== lastHash) restoreFromHash();
  });

  // ------------------------------------------------------------------ wiring
  timeline.on('select', (props) => {
    const item = props.items.length ? lane.items.get(props.items[0]) : null;
    if (item && item.eventId) selectEvent(item.eventId, 'timeline');
    else if (!props.items.length) clearSelection();
  });
  let rangeTimer = 0;
  timeline.on('rangechanged', (props) => {
    if (!props.byUser) return;
    clearTimeout(rangeTimer);
    rangeTimer = setTimeout(() => brushed(props.start.getTime(), props.end.getTime()), 80);
  });
  /** The time window is the network's brush. */
  function brushed(start, end) {
    state.win = [start, end];
    // A frame later, like the filters: the axis draws the new window first.
    if ($('kg-follow').checked) scheduleNetwork();
    writeHash();
  }
  network.on('click', (params) => {
    const id = params.nodes && params.nodes[0];
    if (!id) return;
    if (id.startsWith('e:')) selectEvent(id.slice(2), 'network');
    else if (id.startsWith('a:')) setActor(id.slice(2));
  });

  /** Every dated event in view, with room on the right for the last labels. */
  function showAll() {
    if (!chronological.length) return;
    const core = framed(chronological);
    const start = core[0]._s;
    const end = Math.max(...core.map((e) => e._e));
    const span = Math.max(end - start, 7 * DAY);
    timeline.setWindow(start - span * 0.03, end + span * 0.22, {animation: false});
  }

  /** The events to frame: all but a few far outliers. News about this summer also mentions
   * the talks of three years ago; framing those too would squeeze this summer into a sliver
   * where no label can be read. An event is an outlier when it lies further from the rest
   * than the rest spans; at most a tenth of the events are left out (a zoom out away). */
  function framed(sorted) {
    const n = sorted.length;
    const spare = Math.floor(n / 10);
    const upTo = [-Infinity];             // upTo[i]: latest end among the first i events
    for (const e of sorted) upTo.push(Math.max(upTo[upTo.length - 1], e._e));
    const from = new Array(n + 1).fill(-Infinity);   // from[i]: latest end among events i and after
    for (let i = n - 1; i >= 0; i -= 1) from[i] = Math.max(from[i + 1], sorted[i]._e);
    let lo = 0;
    for (let k = spare; k >= 1; k -= 1) {             // the first k events, far before the rest?
      if (sorted[k]._s - upTo[k] > from[k] - sorted[k]._s) { lo = k; break; }
    }
    let hi = n;
    for (let k = spare - lo; k >= 1; k -= 1) {        // the last k events, far after the rest?
      const restEnd = upTo[n - k];
      if (n - k - lo >= 2 && sorted[n - k]._s - restEnd > restEnd - sorted[lo]._s) { hi = n - k; break; }
    }
    return sorted.slice(lo, hi);
  }

  /** Where the axis opens: everything, or for big graphs the span of the latest events
   * (drawing thousands of items at once would take seconds; zooming out is one wheel away). */
  function initialWindow() {
    if (chronological.length <= BIG) return null;
    const last = chronological.slice(-OPEN_EVENTS);
    const start = last[0]._s;
    const end = Math.max(...last.map((e) => e._e));
    const pad = (end - start) * 0.03 + DAY;
    return [start - pad, end + pad];
  }

  /** Build the other lane modes while the page is idle, so the first switch is a swap too. */
  function prebuildLanes() {
    const idle = window.requestIdleCallback || ((fn) => setTimeout(fn, 50));
    const next = ['type', 'actor', 'process', 'none'].find((mode) => !laneModes.has(laneKey(mode)));
    if (!next) return;
    idle(() => {
      laneMode(next);
      prebuildLanes();
    });
  }

  function markReady() {
    if (ready || !networkSettled || !window.kgViewer) return;
    ready = true;
    // Sizes are final only now (lane labels, panel): frame both views again.
    if (!state.win) showAll();
    network.fit({animation: false});
    document.documentElement.dataset.kgReady = '1';
    window.kgViewer.ready = true;
    window.kgViewer.loadMs = performance.now();
    prebuildLanes();
  }

  fillFilters();
  readHash();
  syncControls();
  computeVisible();
  if (!state.win) state.win = initialWindow();
  computeNetVisible();
  edgeEnds = netVisible;
  // The views were made before any filter ran: sync their id lists while nothing listens,
  // so the first refresh reports only real changes.
  nodesView.refresh();
  edgesView.refresh();
  network.setData({nodes: nodesView, edges: edgesView});
  setLanes(state.lanes);
  apply(true);
  if (state.win) timeline.setWindow(state.win[0], state.win[1], {animation: false});
  else {
    showAll();
    // The first fit runs before the lane labels have a width; fit again once drawn.
    timeline.once('changed', () => { if (!state.win) showAll(); });
  }
  if (state.sel) selectEvent(state.sel, 'hash');

  /** Read-only hooks for tests and benchmarks; the page never needs them. */
  window.kgViewer = {
    ready: false,
    loadMs: null,
    state: () => ({...state, hide: [...state.hide], hidemod: [...state.hidemod]}),
    visibleEvents: () => [...visible],
    timelineEvents: () => [...new Set(lane.itemsView.get().filter((it) => it.eventId).map((it) => it.eventId))],
    timelineItems: () => lane.itemsView.get().map((it) => ({id: it.id, eventId: it.eventId || null, type: it.type,
      start: it.start.getTime(), end: it.end ? it.end.getTime() : null, className: it.className})),
    networkNodes: () => nodesView.getIds(),
    selectedNetworkNodes: () => network.getSelectedNodes(),
    /** Where a network node is drawn, in page coordinates (to click it). */
    nodeClientPoint: (id) => {
      const p = network.getPositions([id])[id];
      if (!p) return null;
      const dom = network.canvasToDOM(p);
      const box = $('kg-network').getBoundingClientRect();
      return {x: box.left + dom.x, y: box.top + dom.y};
    },
    /** Search at once (typing waits for a pause first). */
    /** Resolves once the network shows the current filters. */
    networkSettled: () => new Promise((resolve) => { if (netTimer) netWaiters.push(resolve); else resolve(); }),
    search: (text) => { $('kg-search').value = text; state.q = text.trim(); apply(); },
    /** Move the time window as a user drag would, ISO days in. */
    brush: (from, to) => {
      const start = parseDay(from).getTime();
      const end = parseDay(to).getTime();
      timeline.setWindow(start, end, {animation: false});
      brushed(start, end);
    },
    focusNode: (id) => network.focus(id, {scale: 1.2, animation: false}),
  };
  window.kgViewer.ready = ready;
  requestAnimationFrame(() => requestAnimationFrame(markReady));
}());
