// Small progressive enhancements; every link and form works without this file.
(function () {
  "use strict";

  function articleUrl() {
    var article = document.getElementById("article");
    return article ? article.dataset.articleUrl : null;
  }

  function panelIsOpen() {
    var panel = document.getElementById("panel");
    return panel && !panel.classList.contains("panel--empty");
  }

  // A panel opened by htmx in this page pushed a history entry: closing steps back over it.
  var pushedPanels = 0;
  document.addEventListener("htmx:pushedIntoHistory", function () { pushedPanels += 1; });
  window.addEventListener("popstate", function () { if (pushedPanels > 0) pushedPanels -= 1; });

  function closePanel() {
    if (!panelIsOpen()) return;
    if (pushedPanels > 0 && window.history.length > 1) {
      window.history.back();
      return;
    }
    var close = document.querySelector("#panel .panel-close");
    if (close) close.click();
  }

  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && panelIsOpen()) {
      event.preventDefault();
      closePanel();
    }
  });

  // The whole quote is a click target; its speaker tag is the keyboard- and no-JS-friendly link.
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || target.closest("a, button, input, label")) return;
    var quote = target.closest(".quote[data-quote-id]");
    if (!quote) return;
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed) return; // selecting text is not a click on the quote
    var id = quote.dataset.quoteId;
    var fragments = document.querySelectorAll('.quote[data-quote-id="' + id + '"] .quote-tag');
    if (fragments.length) fragments[fragments.length - 1].click();
  });

  // Keep the grid in step with the panel, mark the active quote, and move focus for keyboard users.
  document.addEventListener("htmx:afterSettle", function (event) {
    var panel = document.getElementById("panel");
    var reader = document.querySelector(".reader");
    if (!panel || !reader) return;
    reader.classList.toggle("reader--panel-open", panelIsOpen());
    document.querySelectorAll(".quote.is-active").forEach(function (q) { q.classList.remove("is-active"); });
    var body = panel.querySelector("[data-quote-id]");
    if (body) {
      document.querySelectorAll('.quote[data-quote-id="' + body.dataset.quoteId + '"]').forEach(function (q) {
        q.classList.add("is-active");
      });
    }
    if (event.target instanceof Element && event.target.id === "panel" && panelIsOpen() && !panel.contains(document.activeElement)) panel.focus({ preventScroll: true });
  });
  document.addEventListener("htmx:historyRestore", function () {
    var reader = document.querySelector(".reader");
    if (reader) reader.classList.toggle("reader--panel-open", panelIsOpen());
  });

  // Legend: each highlight type can be switched off.
  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.toggle) return;
    var article = document.getElementById("article");
    if (!article) return;
    var label = box.dataset.toggle;
    if (label === "quote") {
      article.classList.toggle("hide-quote", !box.checked);
    } else {
      article.querySelectorAll('.ent[data-label="' + label + '"]').forEach(function (el) {
        el.classList.toggle("ent--off", !box.checked);
      });
    }
  });

  // A rate limit's 429 carries a message fragment (articles/throttling.py) that htmx would drop: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 429) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest(".copy-link") : null;
    if (!button) return;
    var url = button.dataset.copy;
    var done = function () { button.textContent = "Copied"; setTimeout(function () { button.textContent = "Copy link"; }, 1500); };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, function () {});
    } else {
      var input = button.parentElement.querySelector(".share-url");
      if (input) { input.select(); document.execCommand("copy"); done(); }
    }
  });
})();
