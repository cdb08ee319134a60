// Reading settings: font size, line width, typeface and the legend's switches, applied at once and kept
// (with an account on the server, POST /preferences/; without one in the newsreader_preferences cookie, which
// the server also reads, so the next page comes set the reader's way). Other scripts may call
// window.newsreaderPreferences.save({theme: "dark"}) and listen for "newsreader:preferences" on document.
(function () {
  "use strict";

  var COOKIE = "newsreader_preferences";
  var FIELDS = { theme: "theme", font_size: "fontSize", line_width: "lineWidth", typeface: "typeface" };
  var root = document.documentElement;

  function current() {
    var values = {};
    Object.keys(FIELDS).forEach(function (name) { values[name] = root.dataset[FIELDS[name]] || ""; });
    var hidden = (root.dataset.hiddenTypes || "").trim();
    values.hidden_types = hidden ? hidden.split(/\s+/) : [];
    return values;
  }

  function apply(changes) {
    Object.keys(changes).forEach(function (name) {
      if (name === "hidden_types") root.dataset.hiddenTypes = changes.hidden_types.join(" ");
      else if (FIELDS[name]) root.dataset[FIELDS[name]] = changes[name];
    });
    document.dispatchEvent(new CustomEvent("newsreader:preferences", { detail: current() }));
  }

  function csrfToken() {
    try {
      return JSON.parse(document.body.getAttribute("hx-headers") || "{}")["X-CSRFToken"] || "";
    } catch (error) {
      return "";
    }
  }

  function writeCookie(values) {
    var pairs = Object.keys(values).map(function (name) {
      var value = name === "hidden_types" ? values[name].join(",") : values[name];
      return encodeURIComponent(name) + "=" + encodeURIComponent(value);
    });
    var secure = window.location.protocol === "https:" ? "; Secure" : "";
    document.cookie = COOKIE + "=" + encodeURIComponent(pairs.join("&")) + "; Max-Age=31536000; Path=/; SameSite=Lax" + secure;
  }

  function save(changes) {
    apply(changes);
    if (!root.hasAttribute("data-preferences-stored")) {
      writeCookie(current());
      return Promise.resolve(true);
    }
    var body = new FormData();
    Object.keys(changes).forEach(function (name) {
      if (name === "hidden_types") {
        body.append(name, "");
        changes[name].forEach(function (kind) { body.append(name, kind); });
      } else {
        body.append(name, changes[name]);
      }
    });
    return fetch("/preferences/", {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
    }).then(function (response) { return response.ok; }, function () { return false; });
  }

  window.newsreaderPreferences = { current: current, save: save };

  // The legend: a switched-off type stays off on every article.
  function syncLegend() {
    var hidden = current().hidden_types;
    document.querySelectorAll(".legend input[data-toggle]").forEach(function (box) {
      box.checked = hidden.indexOf(box.dataset.toggle) === -1;
    });
  }
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement)) return;
    if (box.dataset.toggle && box.closest(".legend")) {
      var hidden = current().hidden_types.filter(function (kind) { return kind !== box.dataset.toggle; });
      if (!box.checked) hidden.push(box.dataset.toggle);
      save({ hidden_types: hidden });
    } else if (box.dataset.preference && box.closest(".reading-bar")) {
      var change = {};
      change[box.dataset.preference] = box.value;
      save(change);
    } else if (box.dataset.preference) {
      var preview = {};
      preview[box.dataset.preference] = box.value;
      apply(preview); // the settings page shows each choice at once; "Save settings" keeps them
    }
  });
  document.addEventListener("DOMContentLoaded", syncLegend);
  document.addEventListener("htmx:afterSettle", syncLegend);
  window.addEventListener("pageshow", function (event) { if (event.persisted) syncLegend(); });
})();
