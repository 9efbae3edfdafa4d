/* Action Office live module: one websocket per tab, kept across Turbo page visits.
 *
 * Connects to /ws/notifications/ with the session cookie (same origin), reconnects with backoff
 * (the server sends the unread backlog on every connection), de-duplicates messages
 * by id, keeps the unread badge, shows a toast for what is new since the page was drawn, and
 * keeps task lists current: a task offered to my groups appears in the queue, one claimed by
 * someone else disappears. Plain script, no build step, no CDN.
 */
(function () {
  "use strict";
  if (window.ActionOfficeLive) return;

  var seen = new Set();      // message ids already handled (the backlog repeats on reconnect)
  var unread = new Set();    // ids of unread notifications
  var newestDrawn = 0;       // newest notification id the server had when it drew the page
  var labels = { kinds: {}, tasks: {} };
  var socket = null;
  var retryMs = 1000;       // the next reconnection's delay (see scheduleReconnect)

  function readConfig() {
    var el = document.getElementById("live-config");
    if (!el) return null;
    try { return JSON.parse(el.textContent); } catch (e) { return null; }
  }

  function badge() {
    var count = unread.size;
    document.querySelectorAll("[data-unread-badge]").forEach(function (el) {
      el.textContent = count ? String(count) : "";
      el.hidden = !count;
    });
    document.querySelectorAll("[data-unread-link]").forEach(function (el) {
      var base = el.getAttribute("data-label") || el.getAttribute("aria-label") || "";
      if (!el.getAttribute("data-label")) el.setAttribute("data-label", base);
      el.setAttribute("aria-label", count ? base + " (" + count + ")" : base);
    });
    document.documentElement.setAttribute("data-unread", String(count));
  }

  function markRead(id) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "notification.read", id: id }));
    }
  }

  function describe(msg) {
    if (msg.text) return msg.text;
    var text = labels.kinds[msg.type] || msg.type;
    var task = msg.name && labels.tasks[msg.name];
    return task ? text + ": " + task : text;
  }

  function toast(msg) {
    var box = document.getElementById("ao-toasts");
    if (!box) return;
    var item = document.createElement("div");
    item.className = "ao-toast";
    item.setAttribute("data-notification", String(msg.id));
    var text = document.createElement("span");
    text.textContent = describe(msg) + " ";
    item.appendChild(text);
    if (msg.url || msg.case) {
      var link = document.createElement("a");
      link.href = msg.url || "/cases/" + encodeURIComponent(msg.case) + "/";
      link.textContent = msg.url ? (labels.open || "Open") : "#" + msg.case;
      link.addEventListener("click", function () { markRead(msg.id); });
      item.appendChild(link);
    }
    var close = document.createElement("button");
    close.type = "button";
    close.className = "ao-toast__close";
    close.setAttribute("aria-label", (labels.close || "Close"));
    close.textContent = "×";
    close.addEventListener("click", function () { markRead(msg.id); item.remove(); });
    item.appendChild(close);
    // A tap on the toast's text dismisses it (not read: only the link or × mark it read), so
    // what lies under it is one tap away and never pressed unseen.
    item.addEventListener("click", function (event) {
      if (event.target === item || event.target === text) item.remove();
    });
    box.appendChild(item);
    setTimeout(function () { item.remove(); }, 10000);
  }

  function emptyRow(table) {
    var empty = table.querySelector("[data-empty]");
    if (empty) empty.hidden = table.querySelectorAll("tr[data-task]").length > 0;
  }

  function removeTask(taskId) {
    document.querySelectorAll("table[data-live-list]").forEach(function (table) {
      if (table.getAttribute("data-live-list") === "archive") return;
      var row = table.querySelector('tr[data-task="' + taskId + '"]');
      if (row) { row.remove(); emptyRow(table); }
    });
  }

  function insertTask(taskId, list) {
    document.querySelectorAll('table[data-live-list="' + list + '"]').forEach(function (table) {
      if (table.querySelector('tr[data-task="' + taskId + '"]')) return;
      fetch("/tasks/" + encodeURIComponent(taskId) + "/row/?list=" + list, {
        credentials: "same-origin",
        headers: { "X-Requested-With": "fetch" },
      }).then(function (response) {
        return response.status === 200 ? response.text() : "";
      }).then(function (html) {
        if (!html || table.querySelector('tr[data-task="' + taskId + '"]')) return;
        var body = table.tBodies[0];
        var holder = document.createElement("tbody");
        holder.innerHTML = html.trim();
        var row = holder.firstElementChild;
        if (!row) return;
        row.classList.add("ao-row--new");
        body.insertBefore(row, body.firstChild);
        emptyRow(table);
      }).catch(function () { /* the next page load shows it */ });
    });
  }

  function refreshCase(msg) {
    var page = document.querySelector("[data-live-case]");
    if (!page || String(msg.case) !== page.getAttribute("data-live-case")) return;
    // Do not throw away what someone is typing: only redraw an untouched page.
    var typing = Array.prototype.some.call(
      page.querySelectorAll("textarea, input[type=text], input[type=date]"),
      function (el) { return el.value && el.value !== el.defaultValue; }
    );
    if (typing || !window.Turbo) return;
    window.Turbo.visit(window.location.href, { action: "replace" });
  }

  function apply(msg) {
    if (msg.task) {
      if (msg.type === "task.available") insertTask(msg.task, "queue");
      if (msg.type === "task.assigned") insertTask(msg.task, "inbox");
      if (msg.type === "task.claimed" || msg.type === "task.cancelled") removeTask(msg.task);
    }
    if (msg.case) refreshCase(msg);
  }

  function handle(msg) {
    if (!msg || typeof msg !== "object") return;
    if (msg.type === "notification.read") {
      if (msg.ok) { unread.delete(msg.id); badge(); }
      return;
    }
    if (typeof msg.id !== "number" || seen.has(msg.id)) return;
    seen.add(msg.id);
    if (!msg.read) unread.add(msg.id);
    badge();
    // What the page already showed when it was drawn is not news.
    if (msg.id > newestDrawn) {
      newestDrawn = msg.id;
      toast(msg);
      apply(msg);
    }
  }

  // Reconnecting: 1 s, 2 s, 4 s ... up to a minute, each with a random part so that a whole
  // school's browsers do not come back in step after an outage. The backoff starts again only
  // once a connection has lived a while: the server accepts and closes at once (4013, "try
  // again later") while Redis is away, and that must not become a reconnect every second. On
  // every connection the server sends the unread backlog, so nothing is missed meanwhile.
  var RETRY_MIN_MS = 1000;
  var RETRY_MAX_MS = 60000;
  var STABLE_MS = 10000;
  var retryTimer = null;

  function scheduleReconnect() {
    if (retryTimer) return;
    var delay = retryMs / 2 + Math.random() * retryMs / 2;
    retryMs = Math.min(retryMs * 2, RETRY_MAX_MS);
    retryTimer = setTimeout(function () { retryTimer = null; start(); }, delay);
  }

  function reconnectNow() {
    if (socket || !retryTimer) return;
    clearTimeout(retryTimer);
    retryTimer = null;
    retryMs = RETRY_MIN_MS;
    start();
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    var openedAt = 0;
    socket = new WebSocket(scheme + "//" + window.location.host + "/ws/notifications/");
    socket.addEventListener("open", function () {
      openedAt = Date.now();
      document.documentElement.setAttribute("data-live", "on");
    });
    socket.addEventListener("message", function (event) {
      try { handle(JSON.parse(event.data)); } catch (e) { /* ignore a malformed message */ }
    });
    socket.addEventListener("close", function (event) {
      document.documentElement.setAttribute("data-live", "off");
      document.documentElement.setAttribute("data-live-close", String(event.code));
      socket = null;
      if (openedAt && Date.now() - openedAt > STABLE_MS) retryMs = RETRY_MIN_MS;
      scheduleReconnect();
    });
  }

  // Back online, or back to the tab: try at once rather than wait out the backoff.
  window.addEventListener("online", reconnectNow);
  document.addEventListener("visibilitychange", function () {
    if (document.visibilityState === "visible") reconnectNow();
  });

  function start() {
    var config = readConfig();
    if (!config) return;  // not logged in: nothing to listen to
    labels = config;
    newestDrawn = Math.max(newestDrawn, config.last_id || 0);
    unread = new Set(config.unread || []);
    badge();
    if (!socket) connect();
  }

  window.ActionOfficeLive = { handle: handle, unreadCount: function () { return unread.size; } };
  document.addEventListener("turbo:load", start);
  if (document.readyState !== "loading") start();
  else document.addEventListener("DOMContentLoaded", start);
})();
