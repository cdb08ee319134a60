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
  // A button that destroys something asks first (the page works without this: the button is plainly named).
  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-confirm]") : null;
    if (button && !window.confirm(button.dataset.confirm)) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // Where the reader left off: the first paragraph in view (its offset into the text, whatever the layout)
  // and how far through they are; with an account kept on the server, without one in this browser.
  function readingPlace(article) {
    var paragraphs = article.querySelectorAll("[data-start]");
    var position = 0;
    for (var i = 0; i < paragraphs.length; i++) {
      var box = paragraphs[i].getBoundingClientRect();
      if (box.bottom > 0) { position = parseInt(paragraphs[i].dataset.start, 10) || 0; break; }
    }
    var rect = article.getBoundingClientRect();
    var seen = window.innerHeight - rect.top;
    var progress = rect.height > 0 ? Math.round(Math.max(0, Math.min(1, seen / rect.height)) * 100) : 0;
    return { position: position, progress: progress };
  }

  function setUpResume() {
    var article = document.getElementById("article");
    if (!article || !article.dataset.articleId) return;
    var state = document.getElementById("reading-state");
    var key = "newsreader-position-" + article.dataset.articleId;
    var saved = state ? parseInt(state.dataset.resumePosition, 10) || 0 : parseInt(window.localStorage.getItem(key) || "0", 10) || 0;
    var panelOpen = document.querySelector(".reader--panel-open");
    if (saved > 0 && !window.location.hash && !panelOpen) {
      var target = null;
      article.querySelectorAll("[data-start]").forEach(function (el) {
        if (!target && parseInt(el.dataset.end, 10) > saved) target = el;
      });
      if (target) {
        target.scrollIntoView({ block: "start", behavior: "instant" });
        var note = document.createElement("p");
        note.className = "resume-note";
        note.setAttribute("role", "status");
        note.textContent = "Back where you left off. ";
        var top = document.createElement("a");
        top.href = "#main";
        top.textContent = "Start from the top";
        top.addEventListener("click", function (event) { event.preventDefault(); window.scrollTo(0, 0); note.remove(); });
        note.appendChild(top);
        document.body.appendChild(note);
        setTimeout(function () { note.remove(); }, 8000);
      }
    }
    var last = null;
    var timer = null;
    function keep() {
      timer = null;
      var place = readingPlace(article);
      var now = place.position + ":" + place.progress;
      if (now === last) return;
      last = now;
      if (!state) {
        try { window.localStorage.setItem(key, String(place.position)); } catch (error) { /* private mode */ }
        return;
      }
      var body = new FormData();
      body.append("position", place.position);
      body.append("progress", place.progress);
      fetch(state.dataset.readingUrl, {
        method: "POST", body: body, credentials: "same-origin", keepalive: true,
        headers: { "X-CSRFToken": csrfToken(), "HX-Request": "true" },
      }).catch(function () {});
    }
    last = readingPlace(article).position + ":" + readingPlace(article).progress;
    window.addEventListener("scroll", function () { if (!timer) timer = setTimeout(keep, 1500); }, { passive: true });
    document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") keep(); });
  }

  document.addEventListener("DOMContentLoaded", setUpResume);
  document.addEventListener("DOMContentLoaded", syncLegend);
  window.newsreader.onSettle(syncLegend);
  window.addEventListener("pageshow", function (event) { if (event.persisted) syncLegend(); });
})();
