/* Autocomplete for the search box, as a progressive enhancement: the page works without it.
 * Suggestions fill a native <datalist> (accessible by default); text only, never markup. */
(function () {
  "use strict";
  var input = document.getElementById("search-q");
  var list = document.getElementById("search-suggestions");
  if (!input || !list || !window.fetch) { return; }
  var timer = null;
  var lastAsked = "";
  input.addEventListener("input", function () {
    clearTimeout(timer);
    var prefix = input.value.trim();
    if (prefix.length < 2 || prefix === lastAsked) { return; }
    timer = setTimeout(function () {
      lastAsked = prefix;
      fetch(input.dataset.suggestUrl + "?q=" + encodeURIComponent(prefix), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          list.textContent = "";
          data.suggestions.forEach(function (item) {
            var option = document.createElement("option");
            option.value = item.title;
            list.appendChild(option);
          });
        }).catch(function () { /* offline: the box still searches */ });
    }, 200);
  });
  document.querySelectorAll(".view-toggle input, .search-options select").forEach(function (control) {
    control.addEventListener("change", function () { control.form.submit(); });
  });
})();
