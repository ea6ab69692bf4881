/* Live fragments (a post, a chat message) are rendered once per process for every reader,
 * so their times are in UTC; each <time data-local> that arrives over a socket is rewritten
 * here in the reader's zone (the page's <meta name="lc-time-zone">: the member's chosen
 * zone, the one the server rendered the rest of the page in). Without JavaScript nothing
 * arrives live, and the page itself is already in the reader's zone. */
(function () {
  "use strict";
  var meta = document.querySelector('meta[name="lc-time-zone"]');
  if (!meta || !window.Intl || !("MutationObserver" in window)) return;
  var zone = meta.content || "UTC";
  var language = document.documentElement.lang || "en";
  var formats = {};

  function formatter(kind) {
    if (!formats[kind]) {
      var options = { timeZone: zone, hour: "2-digit", minute: "2-digit", hourCycle: "h23" };
      if (kind === "datetime") { options.day = "numeric"; options.month = "short"; options.year = "numeric"; }
      try { formats[kind] = new Intl.DateTimeFormat(language, options); }
      catch (error) { formats[kind] = null; }  // a zone this browser does not know: keep UTC
    }
    return formats[kind];
  }

  // The server's shapes: "H:i" and "j M Y, H:i".
  function text(kind, date) {
    var parts = {};
    formatter(kind).formatToParts(date).forEach(function (part) { parts[part.type] = part.value; });
    var time = parts.hour + ":" + parts.minute;
    return kind === "datetime" ? parts.day + " " + parts.month + " " + parts.year + ", " + time : time;
  }

  function localise(root) {
    if (!root.querySelectorAll) return;
    var found = root.matches && root.matches("time[data-local]") ? [root] : [];
    root.querySelectorAll("time[data-local]").forEach(function (element) { found.push(element); });
    found.forEach(function (element) {
      var kind = element.dataset.local;
      var date = new Date(element.getAttribute("datetime"));
      if (isNaN(date) || !formatter(kind)) return;
      element.textContent = text(kind, date);
      element.dataset.localised = zone;
    });
  }

  new MutationObserver(function (records) {
    records.forEach(function (record) { record.addedNodes.forEach(localise); });
  }).observe(document.body, { childList: true, subtree: true });
})();
