/* New notifications appear at the top of the notifications page as they happen. */
(function () {
  "use strict";
  var list = document.querySelector("[data-notifications]");
  if (!list || !("WebSocket" in window)) return;
  var delay = 1000;
  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/notifications/?lang=" +
      encodeURIComponent(document.documentElement.lang || ""));
    socket.onopen = function () { delay = 1000; list.dataset.live = "connected"; };
    socket.onmessage = function (message) {
      var frame;
      try { frame = JSON.parse(message.data); } catch (error) { return; }
      if (frame.type !== "notification" || !frame.html) return;
      var template = document.createElement("template");
      template.innerHTML = frame.html;
      list.prepend(template.content.firstElementChild);
    };
    socket.onclose = function (event) {
      list.dataset.live = "closed";
      if (event.code === 4403 || event.code === 4401) return;
      setTimeout(connect, delay + Math.random() * 500);
      delay = Math.min(delay * 2, 30000);
    };
  }
  connect();
})();
