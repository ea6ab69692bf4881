/* Reactions without a reload: the reaction's form is posted with fetch and the counts change
 * in place, so nothing else on the page (a half-written reply, the scroll position) is lost.
 * Without JavaScript the same form posts normally and the server redirects back to the post.
 * The answer is data (counts), never markup; a refusal's message goes to the page's status line.
 */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) return;

  function notice(text) {
    var status = document.querySelector("[data-live-notice]");
    if (!status) return;
    status.textContent = text;
    status.hidden = !text;
  }

  function apply(post, reactions) {
    var box = document.querySelector("#post-" + post + " [data-reactions]");
    if (!box) return;
    reactions.forEach(function (reaction) {
      var count = box.querySelector('[data-reaction-count="' + reaction.kind + '"]');
      if (!count) return;
      count.textContent = String(reaction.count);
      var button = count.closest("button");
      if (button) {
        button.setAttribute("aria-pressed", reaction.mine ? "true" : "false");
        button.classList.toggle("reaction--mine", reaction.mine);
      }
    });
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-reaction-form]")) return;
    event.preventDefault();
    if (form.dataset.pending) return;
    form.dataset.pending = "true";  // not ``disabled``: that would take the keyboard focus away
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { ok: response.ok, data: data }; });
    }).then(function (answer) {
      if (answer.ok) {
        notice("");
        apply(answer.data.post, answer.data.reactions);
      } else {
        notice(answer.data.error || "");
      }
    }).catch(function () {
      // Offline or a server error: say so; the page, and what was typed on it, stays.
      var topic = document.getElementById("topic");
      notice(topic ? topic.dataset.reactionFailedText || "" : "");
    }).then(function () {
      delete form.dataset.pending;
    });
  });
})();
