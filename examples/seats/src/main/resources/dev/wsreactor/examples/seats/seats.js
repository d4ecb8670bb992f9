// The seat booking page. Plain JavaScript, no build step, no library: the server is the source of truth, and
// this page only draws what it is told. On every (re)connection the server sends a full snapshot, so a page
// that missed changes while offline cannot stay wrong.
'use strict';

(() => {
  const AISLES = new Set([4, 12]); // a gap after these seat numbers
  const MAX_BACKOFF_MS = 10000;
  const TOKEN_KEY = 'seats.token';

  const els = {
    map: document.getElementById('map'),
    conn: document.getElementById('conn'),
    watchers: document.getElementById('watchers'),
    held: document.getElementById('held'),
    sold: document.getElementById('sold'),
    confirm: document.getElementById('confirm'),
    message: document.getElementById('message'),
    me: document.getElementById('me'),
    holdSecs: document.getElementById('hold-secs'),
    node: document.getElementById('node'),
  };

  // Seat id -> { state: 'free'|'held'|'sold', owner, deadline (performance.now() ms, holds only) }
  let seats = new Map();
  let me = null;
  let socket = null;
  let attempt = 0;        // failed connections in a row, for the backoff
  let retryTimer = null;
  let messageTimer = null;
  let rows = 0;
  let perRow = 0;

  // --- connection -------------------------------------------------------------------------------------------

  function connect() {
    clearTimeout(retryTimer);
    setConnection('connecting', 'Connecting…');
    const url = new URL('/ws', location.href);
    url.protocol = location.protocol === 'https:' ? 'wss:' : 'ws:';
    const token = sessionStorage.getItem(TOKEN_KEY);
    if (token) url.searchParams.set('token', token); // come back as the same client, holds and all
    // Behind the cluster's proxy, ?node=a on the page asks for that node; without it the proxy picks one.
    const pinned = new URLSearchParams(location.search).get('node');
    if (pinned) url.searchParams.set('node', pinned);
    const ws = new WebSocket(url);
    socket = ws;
    ws.onmessage = (event) => {
      let msg;
      try {
        msg = JSON.parse(event.data);
      } catch (e) {
        console.error('not JSON from the server', event.data);
        return;
      }
      handle(msg);
    };
    ws.onclose = (event) => {
      if (socket !== ws) return;
      socket = null;
      els.map.classList.add('offline');
      if (event.code === 1008) say('Disconnected: ' + (event.reason || 'policy violation'));
      scheduleReconnect();
    };
    // onerror is always followed by onclose, which does the work.
  }

  function scheduleReconnect() {
    // Exponential backoff with jitter: 0.5 s, 1 s, 2 s, ... up to 10 s, each somewhere in [half, full],
    // so a restarted server is not hit by every page in the same millisecond.
    const ceiling = Math.min(MAX_BACKOFF_MS, 500 * 2 ** attempt);
    const delay = Math.round(ceiling / 2 + Math.random() * ceiling / 2);
    attempt++;
    const until = performance.now() + delay;
    const tick = () => {
      const left = Math.max(0, Math.ceil((until - performance.now()) / 1000));
      setConnection('closed', `Offline, retrying in ${left} s`);
    };
    tick();
    const countdown = setInterval(tick, 250);
    retryTimer = setTimeout(() => {
      clearInterval(countdown);
      connect();
    }, delay);
  }

  function setConnection(state, text) {
    els.conn.dataset.state = state;
    els.conn.textContent = text;
  }

  function send(type, seat) {
    if (!socket || socket.readyState !== WebSocket.OPEN) {
      say('Not connected; try again in a moment');
      return false;
    }
    socket.send(JSON.stringify({ type, seat }));
    return true;
  }

  // --- messages from the server -----------------------------------------------------------------------------

  function handle(msg) {
    switch (msg.type) {
      case 'snapshot':
        attempt = 0;
        me = msg.you;
        sessionStorage.setItem(TOKEN_KEY, msg.token);
        els.me.textContent = me;
        els.node.textContent = `node ${msg.node}`;
        els.node.dataset.node = msg.node;
        els.holdSecs.textContent = Math.round(msg.holdMs / 1000);
        if (msg.rows !== rows || msg.seatsPerRow !== perRow) buildMap(msg.rows, msg.seatsPerRow);
        seats = new Map();
        for (const s of msg.seats) seats.set(s.seat, entry(s));
        setWatchers(msg.watchers);
        els.map.classList.remove('offline');
        setConnection('open', 'Live');
        renderAll();
        break;
      case 'seat-changed':
        seats.set(msg.seat, entry(msg));
        renderSeat(msg.seat);
        renderBasket();
        if (msg.cause === 'expired' && msg.owner === undefined && wasMine(msg.seat)) say(`Your hold on ${msg.seat} expired`);
        break;
      case 'watchers':
        setWatchers(msg.count);
        break;
      case 'error':
        if (msg.seat) unmarkPending(msg.seat);
        say(msg.message);
        break;
      default:
        console.warn('unknown message', msg);
    }
  }

  const lastOwner = new Map(); // seat -> owner before its latest change, to word the expiry notice

  function wasMine(id) {
    return lastOwner.get(id) === me;
  }

  function entry(s) {
    const previous = seats.get(s.seat);
    lastOwner.set(s.seat, previous ? previous.owner : undefined);
    return {
      state: s.state,
      owner: s.owner,
      deadline: s.state === 'held' ? performance.now() + s.expiresInMs : undefined,
    };
  }

  function setWatchers(count) {
    els.watchers.dataset.count = count;
    els.watchers.textContent = count === 1 ? '1 watching (you)' : `${count} watching`;
  }

  // --- drawing ----------------------------------------------------------------------------------------------

  function buildMap(r, n) {
    rows = r;
    perRow = n;
    els.map.textContent = '';
    for (let row = 0; row < rows; row++) {
      const letter = String.fromCharCode(65 + row);
      const line = document.createElement('div');
      line.className = 'row';
      line.append(label(letter));
      for (let number = 1; number <= perRow; number++) {
        const id = letter + number;
        const b = document.createElement('button');
        b.type = 'button';
        b.className = 'seat';
        b.dataset.seat = id;
        b.textContent = number;
        line.append(b);
        if (AISLES.has(number)) {
          const gap = document.createElement('span');
          gap.className = 'aisle';
          line.append(gap);
        }
      }
      line.append(label(letter));
      els.map.append(line);
    }
  }

  function label(text) {
    const span = document.createElement('span');
    span.className = 'row-label';
    span.textContent = text;
    return span;
  }

  // What this page shows for a seat: free, held by me, sold to me, or taken (held or sold by someone else).
  function viewState(id) {
    const s = seats.get(id);
    if (!s || s.state === 'free') return 'free';
    if (s.owner !== me) return 'taken';
    return s.state === 'held' ? 'mine' : 'sold-mine';
  }

  const WORDS = { free: 'free', mine: 'held by you', 'sold-mine': 'yours', taken: 'taken' };

  function renderSeat(id) {
    const b = els.map.querySelector(`[data-seat="${id}"]`);
    if (!b) return;
    const view = viewState(id);
    b.dataset.state = view;
    b.classList.remove('pending');
    b.setAttribute('aria-label', `Row ${id[0]} seat ${id.slice(1)}, ${WORDS[view]}`);
    b.title = `${id}: ${WORDS[view]}`;
  }

  function renderAll() {
    for (const b of els.map.querySelectorAll('.seat')) renderSeat(b.dataset.seat);
    renderBasket();
  }

  function renderBasket() {
    const mine = [...seats].filter(([, s]) => s.owner === me && s.state !== 'free');
    const held = mine.filter(([, s]) => s.state === 'held').map(([id]) => id).sort(bySeat);
    const sold = mine.filter(([, s]) => s.state === 'sold').map(([id]) => id).sort(bySeat);
    els.held.replaceChildren(...held.map((id) => {
      const li = document.createElement('li');
      li.dataset.seat = id;
      const name = document.createElement('span');
      name.textContent = id;
      const timer = document.createElement('span');
      timer.className = 'timer';
      li.append(name, timer);
      return li;
    }));
    els.sold.replaceChildren(...sold.map((id) => {
      const li = document.createElement('li');
      li.textContent = id;
      return li;
    }));
    els.confirm.disabled = held.length === 0;
    els.confirm.textContent = held.length ? `Confirm ${held.length} seat${held.length > 1 ? 's' : ''}` : 'Confirm';
    tickTimers();
  }

  function tickTimers() {
    const now = performance.now();
    for (const li of els.held.children) {
      const s = seats.get(li.dataset.seat);
      if (!s || !s.deadline) continue;
      const secs = Math.max(0, Math.ceil((s.deadline - now) / 1000));
      li.querySelector('.timer').textContent = `${Math.floor(secs / 60)}:${String(secs % 60).padStart(2, '0')}`;
    }
  }

  function bySeat(a, b) {
    return a[0] === b[0] ? Number(a.slice(1)) - Number(b.slice(1)) : a.charCodeAt(0) - b.charCodeAt(0);
  }

  function unmarkPending(id) {
    const b = els.map.querySelector(`[data-seat="${id}"]`);
    if (b) b.classList.remove('pending');
  }

  function say(text) {
    els.message.textContent = text;
    clearTimeout(messageTimer);
    messageTimer = setTimeout(() => { els.message.textContent = ''; }, 5000);
  }

  // --- input ------------------------------------------------------------------------------------------------

  els.map.addEventListener('click', (event) => {
    const b = event.target.closest('.seat');
    if (!b) return;
    const id = b.dataset.seat;
    const view = viewState(id);
    // The page only asks; the server decides, and the answer comes back as a seat-changed or an error.
    if (view === 'free' && send('hold', id)) b.classList.add('pending');
    else if (view === 'mine' && send('release', id)) b.classList.add('pending');
  });

  els.confirm.addEventListener('click', () => {
    for (const li of els.held.children) send('confirm', li.dataset.seat);
  });

  setInterval(tickTimers, 250);
  connect();
})();
