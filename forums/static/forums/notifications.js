/* A signed-in member's own notification stream: the header's unread count follows it on every
   page, and on the notifications page new ones appear at the top as they happen. Without
   JavaScript the count is right at each page load (the server renders it). */
(function () {
  "use strict";
  var link = document.querySelector("[data-unread]");
  if (!link || !("WebSocket" in window)) return;
  var list = document.querySelector("[data-notifications]");
  var linkBadge = link.querySelector("[data-unread-badge]");
  var menuBadge = document.querySelector("[data-unread-menu]");
  var delay = 1000;

  function showCount(frame) {
    if (typeof frame.unread !== "number" || typeof frame.badge !== "string") return;
    link.dataset.unread = String(frame.unread);
    // Server-rendered from the page's own template (a number and translated words only).
    if (linkBadge) linkBadge.innerHTML = frame.badge;
    if (menuBadge) {
      menuBadge.textContent = "";
      if (frame.unread > 0) {
        var badge = document.createElement("span");
        badge.className = "count-badge";
        badge.setAttribute("aria-hidden", "true");
        badge.textContent = String(frame.unread);
        menuBadge.append(" ", badge);
      }
    }
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/?lang=" +
      encodeURIComponent(document.documentElement.lang || ""));
    socket.onopen = function () {
      delay = 1000;
      link.dataset.live = "connected";
      if (list) list.dataset.live = "connected";
    };
    socket.onmessage = function (message) {
      var frame;
      try { frame = JSON.parse(message.data); } catch (error) { return; }
      if (frame.type === "hello" || frame.type === "notification") showCount(frame);
      if (frame.type !== "notification" || !frame.html || !list) return;
      var template = document.createElement("template");
      template.innerHTML = frame.html;
      list.prepend(template.content.firstElementChild);
    };
    socket.onclose = function (event) {
      link.dataset.live = "closed";
      if (list) list.dataset.live = "closed";
      if (event.code === 4403 || event.code === 4401) return;
      setTimeout(connect, delay + Math.random() * 500);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
