// Small progressive enhancements; every link and form works without this file.
(function () {
  "use strict";

  // One keydown and one htmx:afterSettle listener for the whole site: each script registers its handlers here
  // (window.newsreader.onKeydown / onSettle), and they run in the order the scripts load, as separate
  // listeners did. A handler that throws is reported and the others still run.
  var handlers = { keydown: [], "htmx:afterSettle": [] };
  function dispatch(event) {
    handlers[event.type].forEach(function (handler) {
      try { handler(event); } catch (error) { if (window.reportError) window.reportError(error); }
    });
  }
  Object.keys(handlers).forEach(function (type) { document.addEventListener(type, dispatch); });
  window.newsreader = {
    onKeydown: function (handler) { handlers.keydown.push(handler); },
    onSettle: function (handler) { handlers["htmx:afterSettle"].push(handler); },
    handlerCount: function (type) { return handlers[type].length; }
  };

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
  // The article's entry is kept without its #fragment (#text-start after "Skip to article", a quote's #anchor):
  // coming back to it when the panel closes would send the browser to that fragment again, taking focus and the
  // scroll away from the quote that opened the panel.
  document.addEventListener("htmx:beforeHistorySave", function () {
    if (window.location.hash && document.getElementById("article")) {
      window.history.replaceState(window.history.state, "", window.location.pathname + window.location.search);
    }
  });

  // A note being written is never dropped without a word: leaving a changed form asks first, and the draft is
  // kept in the tab (sessionStorage) until it is saved, so Back or a reload brings it back.
  var DISCARD = "Discard the note you are writing?";

  function dirtyForm() { return document.querySelector("#panel form[data-dirty]"); }

  function draftKey(form) {
    var start = form.querySelector('input[name="start"]'), end = form.querySelector('input[name="end"]');
    return "newsreader-draft:" + form.getAttribute("action") + ":" + (start ? start.value : "") + "-" + (end ? end.value : "");
  }

  function draftFields(form) {
    return Array.prototype.filter.call(form.elements, function (field) {
      return field.name && field.name !== "csrfmiddlewaretoken" && field.type !== "hidden" && field.type !== "file";
    });
  }

  function saveDraft(form) {
    var values = {};
    draftFields(form).forEach(function (field) {
      if (field.type === "radio" || field.type === "checkbox") { if (field.checked) values[field.name] = field.value; }
      else values[field.name] = field.value;
    });
    try { window.sessionStorage.setItem(draftKey(form), JSON.stringify(values)); } catch (error) { /* storage full or off */ }
  }

  function dropDraft(form) {
    form.removeAttribute("data-dirty");
    try { window.sessionStorage.removeItem(draftKey(form)); } catch (error) { /* storage off */ }
  }

  function restoreDraft() {
    var form = document.querySelector("#panel form.annotation-form");
    if (!form || form.hasAttribute("data-dirty")) return;
    if (form.querySelector(".form-errors")) { form.setAttribute("data-dirty", ""); return; } // came back to be fixed
    var stored = null;
    try { stored = JSON.parse(window.sessionStorage.getItem(draftKey(form)) || "null"); } catch (error) { stored = null; }
    if (!stored) return;
    draftFields(form).forEach(function (field) {
      if (!(field.name in stored)) return;
      if (field.type === "radio" || field.type === "checkbox") field.checked = stored[field.name] === field.value;
      else field.value = stored[field.name];
    });
    form.setAttribute("data-dirty", "");
    if (!form.querySelector(".draft-restored")) {
      var notice = document.createElement("p");
      notice.className = "notice draft-restored";
      notice.setAttribute("role", "status");
      notice.textContent = "Your unsaved draft is back.";
      form.insertBefore(notice, form.firstChild);
    }
  }

  function mayLeaveForm(except) {
    var form = dirtyForm();
    if (!form || except === form) return true; // saving it is not leaving it
    if (!window.confirm(DISCARD)) return false;
    dropDraft(form);
    return true;
  }

  document.addEventListener("input", function (event) {
    var form = event.target instanceof Element ? event.target.closest("#panel form.annotation-form") : null;
    if (!form) return;
    form.setAttribute("data-dirty", "");
    saveDraft(form);
  });
  document.addEventListener("change", function (event) {
    var form = event.target instanceof Element ? event.target.closest("#panel form.annotation-form") : null;
    if (!form) return;
    form.setAttribute("data-dirty", "");
    saveDraft(form);
  });

  // Anything that would replace the panel (a name, a quote, a highlight, a link in it) asks first.
  document.addEventListener("htmx:beforeRequest", function (event) {
    var target = event.detail && event.detail.target;
    if (!target || target.id !== "panel") return;
    if (event.detail.elt && event.detail.elt.id === "annotate-toolbar") return; // a quick highlight leaves the panel be
    if (!mayLeaveForm(event.detail.elt)) event.preventDefault();
  });
  // Saved: the draft goes (before the swap, while the form is still in the page and hears the event).
  document.addEventListener("htmx:beforeSwap", function (event) {
    var form = event.detail && event.detail.requestConfig && event.detail.requestConfig.elt;
    if (form instanceof HTMLFormElement && form.classList.contains("annotation-form")
        && event.detail.xhr && event.detail.xhr.status < 300) dropDraft(form);
  });
  document.addEventListener("submit", function (event) {
    // Without htmx the form posts as a page: a 422 comes back with the text in it, a success leaves the form.
    if (event.target instanceof HTMLFormElement && event.target.classList.contains("annotation-form")) {
      event.target.removeAttribute("data-dirty");
    }
  });
  window.newsreader.onSettle(restoreDraft);
  document.addEventListener("htmx:historyRestore", restoreDraft);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", restoreDraft);
  else restoreDraft();

  function closePanel() {
    if (!panelIsOpen()) return;
    if (!mayLeaveForm(null)) return;
    if (pushedPanels > 0 && window.history.length > 1) {
      window.history.back();
      return;
    }
    var close = document.querySelector("#panel .panel-close");
    if (close) close.click();
  }

  window.newsreader.onKeydown(function (event) {
    // Escape in a field belongs to the field (and to the reader's draft), not to the panel.
    var field = event.target instanceof Element && event.target.closest("input, textarea, select, [contenteditable], dialog");
    if (event.key === "Escape" && panelIsOpen() && !field) {
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
  window.newsreader.onSettle(function (event) {
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
  // The open quote in view: on a page opened at a quote's address (after any text fragment has scrolled), and
  // on narrow screens above the sheet the panel becomes.
  function revealOpenQuote(always) {
    var body = document.querySelector('#panel [data-panel="quote"][data-quote-id]');
    if (!body) return;
    var quote = document.querySelector('#article .quote[data-quote-id="' + body.dataset.quoteId + '"]');
    if (!quote) return;
    var sheet = window.matchMedia("(max-width: 60rem)").matches;
    var rect = quote.getBoundingClientRect();
    var visibleBottom = sheet ? window.innerHeight * 0.4 : window.innerHeight;
    if (always || rect.top < 0 || rect.top > visibleBottom - 24) {
      quote.scrollIntoView({ block: sheet ? "start" : "center" });
    }
  }
  window.addEventListener("load", function () { setTimeout(function () { revealOpenQuote(true); }, 0); });
  window.newsreader.onSettle(function (event) {
    if (event.target instanceof Element && event.target.id === "panel") revealOpenQuote(false);
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
    if (label === "quote" || label === "said") {
      article.classList.toggle("hide-" + label, !box.checked);
    } else {
      article.querySelectorAll('.ent[data-label="' + label + '"]').forEach(function (el) {
        el.classList.toggle("ent--off", !box.checked);
      });
    }
  });

  // The theme switch in the header: applied at once and kept with the reader's settings (static/js/reading.js).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.classList.contains("theme-switch")) return;
    var button = event.submitter;
    if (!button || !button.value || !window.newsreaderPreferences) return;
    event.preventDefault();
    form.querySelectorAll("button[name=theme]").forEach(function (each) {
      each.setAttribute("aria-pressed", each === button ? "true" : "false");
    });
    window.newsreaderPreferences.save({ theme: button.value });
  });

  // A rate limit's 429 and a busy database's 503 carry a message fragment (articles/throttling.py,
  // articles/views/busy.py) that htmx would drop: show it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && (event.detail.xhr.status === 429 || event.detail.xhr.status === 503)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest(".copy-link") : null;
    if (!button) return;
    var url = button.dataset.copy;
    var say = function (text, after) {
      button.textContent = text;
      setTimeout(function () { button.textContent = "Copy link"; }, after);
    };
    var done = function () { say("Copied", 1500); };
    // Over plain http there is no clipboard API: copy from the selected field, else leave it selected and say so.
    var fallback = function () {
      var input = button.parentElement.querySelector(".share-url");
      if (!input) return;
      input.focus();
      input.select();
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (error) { copied = false; }
      if (copied) done();
      else say(/Mac|iPhone|iPad/.test(navigator.platform) ? "Press ⌘C to copy" : "Press Ctrl+C to copy", 4000);
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(done, fallback);
    } else {
      fallback();
    }
  });
})();
