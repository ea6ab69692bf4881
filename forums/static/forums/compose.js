/* The reply and new-topic boxes: @mention suggestions and a preview of the Markdown.
 *
 * Suggestions follow the WAI-ARIA combobox pattern's keyboard model on the textarea itself
 * (a textarea may not take the combobox role, so it keeps its own and gets
 * aria-autocomplete, aria-controls and aria-activedescendant, as GitHub's mention boxes do):
 * Down and Up move through the list, Enter or Tab picks, Escape closes; a status line says how
 * many people were found. Names come as JSON and are set as text, never as markup.
 * The preview is the server's rendering (the same path as a saved post, sanitised), shown
 * under the box. Without JavaScript the form posts as before; nothing here is needed to reply.
 */
(function () {
  "use strict";
  if (!window.fetch || !window.FormData) return;

  var TOKEN = /(^|[^\w@\/])@([A-Za-z0-9_.+-]{1,150})$/;
  var counter = 0;

  function enhance(form) {
    var box = form.querySelector("textarea[name=body]");
    if (!box) return;
    var data = form.dataset;
    counter += 1;
    var listId = "mention-list-" + counter;

    // --- Mentions -------------------------------------------------------------------------
    var wrapper = document.createElement("div");
    wrapper.className = "mention-box";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "mention-list";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", data.suggestionsLabel || "People");
    list.hidden = true;
    var status = document.createElement("p");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    box.parentNode.insertBefore(wrapper, box);
    wrapper.appendChild(box);
    wrapper.appendChild(list);
    wrapper.appendChild(status);
    box.setAttribute("aria-autocomplete", "list");
    box.setAttribute("aria-controls", listId);
    box.setAttribute("autocomplete", "off");

    var options = [];
    var active = -1;
    var token = null;  // {start, end, prefix} of the @name being typed
    var timer = null;
    var asked = 0;

    function close() {
      list.hidden = true;
      list.textContent = "";
      options = [];
      active = -1;
      box.removeAttribute("aria-activedescendant");
    }

    function highlight(index) {
      active = index;
      options.forEach(function (option, i) {
        option.element.setAttribute("aria-selected", i === index ? "true" : "false");
      });
      if (index >= 0) {
        box.setAttribute("aria-activedescendant", options[index].element.id);
        options[index].element.scrollIntoView({ block: "nearest" });
      } else {
        box.removeAttribute("aria-activedescendant");
      }
    }

    function pick(index) {
      if (!token || index < 0 || index >= options.length) return;
      var text = "@" + options[index].username + " ";
      var value = box.value;
      box.value = value.slice(0, token.start) + text + value.slice(token.end);
      var caret = token.start + text.length;
      box.setSelectionRange(caret, caret);
      close();
      box.focus();
    }

    function show(results) {
      list.textContent = "";
      options = results.map(function (member, i) {
        var item = document.createElement("li");
        item.id = listId + "-" + i;
        item.setAttribute("role", "option");
        item.setAttribute("aria-selected", "false");
        item.className = "mention-list__option";
        var name = document.createElement("span");
        name.textContent = member.name;
        var handle = document.createElement("span");
        handle.className = "meta";
        handle.textContent = " @" + member.username;
        item.appendChild(name);
        item.appendChild(handle);
        // mousedown, not click: the box keeps the focus (and its caret).
        item.addEventListener("mousedown", function (event) {
          event.preventDefault();
          pick(i);
        });
        list.appendChild(item);
        return { element: item, username: member.username };
      });
      list.hidden = options.length === 0;
      status.textContent = options.length
        ? (data.suggestionsText || "%s").replace("%s", options.length)
        : data.suggestionsNoneText || "";
      highlight(options.length ? 0 : -1);
    }

    function lookup() {
      var before = box.value.slice(0, box.selectionStart);
      var match = box.selectionStart === box.selectionEnd ? TOKEN.exec(before) : null;
      if (!match) {
        token = null;
        close();
        return;
      }
      token = { start: before.length - match[2].length - 1, end: box.selectionStart, prefix: match[2] };
      clearTimeout(timer);
      timer = setTimeout(function () {
        if (!token) return;
        var question = ++asked;
        fetch(data.mentionsUrl + "?q=" + encodeURIComponent(token.prefix), {
          credentials: "same-origin",
          headers: { "Accept": "application/json" }
        }).then(function (response) {
          return response.ok ? response.json() : { results: [] };
        }).then(function (answer) {
          if (question === asked && token) show(answer.results || []);
        }).catch(function () { close(); });
      }, 150);
    }

    if (data.mentionsUrl) {
      box.addEventListener("input", lookup);
      box.addEventListener("keydown", function (event) {
        if (list.hidden || !options.length) return;
        if (event.key === "ArrowDown") {
          event.preventDefault();
          highlight((active + 1) % options.length);
        } else if (event.key === "ArrowUp") {
          event.preventDefault();
          highlight((active - 1 + options.length) % options.length);
        } else if (event.key === "Enter" || event.key === "Tab") {
          event.preventDefault();
          pick(active);
        } else if (event.key === "Escape") {
          event.preventDefault();
          token = null;
          close();
        }
      });
      box.addEventListener("blur", function () { setTimeout(close, 100); });
    }

    // --- Preview --------------------------------------------------------------------------
    if (!data.previewUrl) return;
    var toggle = document.createElement("button");
    toggle.type = "button";
    toggle.className = "button button--small";
    toggle.textContent = data.previewText || "Preview";
    toggle.setAttribute("aria-expanded", "false");
    var panel = document.createElement("section");
    panel.className = "preview";
    panel.id = listId + "-preview";
    panel.hidden = true;
    panel.setAttribute("aria-live", "polite");
    toggle.setAttribute("aria-controls", panel.id);
    var heading = document.createElement("p");
    heading.className = "preview__title";
    heading.textContent = data.previewHeading || "Preview";
    var body = document.createElement("div");
    body.className = "post__body";
    panel.appendChild(heading);
    panel.appendChild(body);
    wrapper.parentNode.insertBefore(toggle, wrapper.nextSibling);
    toggle.parentNode.insertBefore(panel, toggle.nextSibling);

    function hidePreview() {
      panel.hidden = true;
      toggle.setAttribute("aria-expanded", "false");
      toggle.textContent = data.previewText || "Preview";
    }

    toggle.addEventListener("click", function () {
      if (!panel.hidden) {
        hidePreview();
        return;
      }
      var sent = new FormData();
      sent.append("body", box.value);
      var csrf = form.querySelector("input[name=csrfmiddlewaretoken]");
      if (csrf) sent.append("csrfmiddlewaretoken", csrf.value);
      fetch(data.previewUrl, {
        method: "POST",
        body: sent,
        credentials: "same-origin",
        headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json();
      }).then(function (answer) {
        if (answer.html !== undefined) {
          body.innerHTML = answer.html;  // rendered and sanitised by the server
        } else {
          body.textContent = answer.error || data.previewFailedText || "";
        }
      }).catch(function () {
        body.textContent = data.previewFailedText || "";
      }).then(function () {
        panel.hidden = false;
        toggle.setAttribute("aria-expanded", "true");
        toggle.textContent = data.previewHideText || "Hide preview";
      });
    });
    // What the preview shows must be what would be sent: typing hides a stale one.
    box.addEventListener("input", function () { if (!panel.hidden) hidePreview(); });
  }

  document.querySelectorAll("form[data-compose]").forEach(enhance);
})();
