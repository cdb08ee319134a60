// The article from the keyboard: quotes are the tab stops (names are reached with the arrow keys from a quote
// or a name, so Tab does not walk through every name), j and k move between quotes, Enter opens, ? lists the
// keys, s selects a sentence and extends the selection sentence by sentence; closing a panel brings focus back
// to what opened it; the legend's switches are one tab stop. Without this file every name is a plain link in
// the tab order.
(function () {
  "use strict";

  function article() { return document.getElementById("article"); }

  function inField(target) {
    return target instanceof Element && !!target.closest("input, textarea, select, [contenteditable], dialog");
  }

  function shown(element) {
    if (element.classList.contains("ent--off")) return false;
    var style = window.getComputedStyle(element);
    if (style.display === "none" || style.visibility === "hidden") return false;
    if (element.classList.contains("ent") && style.textDecorationLine === "none") return false; // switched off
    return element.getClientRects().length > 0;
  }

  function quoteTags() {
    var root = article();
    return root ? Array.prototype.filter.call(root.querySelectorAll("a.quote-tag"), shown) : [];
  }

  function stops() {
    var root = article();
    return root ? Array.prototype.filter.call(root.querySelectorAll("a.quote-tag, a.ent"), shown) : [];
  }

  // Names leave the tab order (they stay links for the mouse, the arrow keys and without JavaScript).
  function rove() {
    var root = article();
    if (!root) return;
    root.querySelectorAll("a.ent").forEach(function (mention) { mention.setAttribute("tabindex", "-1"); });
    roveLegend(null);
  }

  // The legend's switches are one tab stop: the arrow keys move between them, Space switches one.
  function legendBoxes() {
    var root = article();
    return root ? Array.prototype.slice.call(root.querySelectorAll(".legend input[data-toggle]")) : [];
  }

  function roveLegend(current) {
    var boxes = legendBoxes();
    if (!boxes.length) return;
    if (!current) {
      current = boxes.filter(function (box) { return box.getAttribute("tabindex") !== "-1"; })[0] || boxes[0];
    }
    boxes.forEach(function (box) { box.setAttribute("tabindex", box === current ? "0" : "-1"); });
  }

  // The part of the window the text shows in: above the panel where the panel is a sheet fixed over the
  // foot of the screen (a phone), else the whole window.
  function visibleBottom() {
    var panel = document.getElementById("panel"), height = window.innerHeight;
    if (!panel || panel.classList.contains("panel--empty")) return height;
    if (window.getComputedStyle(panel).position !== "fixed") return height;
    var top = panel.getBoundingClientRect().top;
    return top > 0 && top < height ? top : height;
  }

  // The focused quote or name is kept in the middle third of the visible part of the screen, clear of both
  // edges and of a sheet (scrolled by hand: scrollIntoView would count the tag's scroll-margin, meant for
  // links that land on a quote). At once, not smoothly: a smooth scroll still running when the next key comes
  // would carry the next quote past the middle after it was measured there.
  function keepInMiddle(element) {
    var box = element.getBoundingClientRect();
    var middle = (box.top + box.bottom) / 2, height = visibleBottom();
    if (middle < height / 3 || middle > height * 2 / 3) {
      window.scrollBy({ top: middle - height / 2, behavior: "instant" });
    }
  }

  function focusStop(element) {
    if (!element) return;
    element.focus({ preventScroll: true });
    keepInMiddle(element);
  }

  function move(list, from, step) {
    if (!list.length) return null;
    var at = list.indexOf(from);
    if (at === -1) {
      // From elsewhere: the first quote after (or before) the focus, in document order.
      var following = list.filter(function (item) {
        return !(from instanceof Node) || (from.compareDocumentPosition(item) & Node.DOCUMENT_POSITION_FOLLOWING);
      });
      if (step > 0) return following[0] || list[list.length - 1];
      var before = list.filter(function (item) { return following.indexOf(item) === -1; });
      return before[before.length - 1] || list[0];
    }
    return list[Math.max(0, Math.min(list.length - 1, at + step))];
  }

  // ----- Keys -----
  var KEYS = [
    ["j", "Next quote"],
    ["k", "Previous quote"],
    ["→ / ←", "Next or previous name or quote, from a quote or a name; the next or previous switch in the legend"],
    ["Enter", "Open the quote or name in the panel"],
    ["Esc", "Close the panel (focus goes back to where you were)"],
    ["s", "Select the sentence at the quote or name; again to add the next sentence"],
    ["Shift + s", "Drop the last sentence from the selection"],
    ["h", "Highlight the selection"],
    ["a", "Annotate the selection"],
    ["?", "Show these keys"]
  ];

  function helpDialog() {
    var dialog = document.getElementById("keys-help");
    if (dialog) return dialog;
    dialog = document.createElement("dialog");
    dialog.id = "keys-help";
    dialog.className = "keys-help";
    dialog.setAttribute("aria-labelledby", "keys-help-title");
    var title = document.createElement("h2");
    title.id = "keys-help-title";
    title.textContent = "Keyboard shortcuts";
    dialog.appendChild(title);
    var list = document.createElement("dl");
    KEYS.forEach(function (pair) {
      var key = document.createElement("dt");
      var kbd = document.createElement("kbd");
      kbd.textContent = pair[0];
      key.appendChild(kbd);
      var what = document.createElement("dd");
      what.textContent = pair[1];
      list.appendChild(key);
      list.appendChild(what);
    });
    dialog.appendChild(list);
    var form = document.createElement("form");
    form.method = "dialog";
    var close = document.createElement("button");
    close.textContent = "Close";
    form.appendChild(close);
    dialog.appendChild(form);
    document.body.appendChild(dialog);
    return dialog;
  }

  // ----- Selecting sentence by sentence -----
  var ABBREVIATION = /(?:^|[\s(])(?:Mr|Mrs|Ms|Dr|Prof|Sen|Rep|Gov|Gen|Lt|Col|Sgt|Capt|St|Jr|Sr|Rev|Hon|No|vs|U\.S|U\.N|U\.K|e\.g|i\.e|Jan|Feb|Aug|Sept|Oct|Nov|Dec|Corp|Inc|Co|Ltd|Mt|Ft|[A-Z])\.$/;

  function blockText(block) {
    var nodes = [];
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) {
        return node.parentElement && node.parentElement.closest("[data-nr-skip]") ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT;
      }
    });
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return { nodes: nodes, text: nodes.map(function (node) { return node.data; }).join("") };
  }

  // Sentence spans [start, end) of a block's text (UTF-16 offsets within the block).
  function sentences(text) {
    var found = [], start = 0, end = /[.!?]["”’)]?(?=\s+["“‘(]?[A-Z0-9])/g, match;
    while ((match = end.exec(text)) !== null) {
      var stop = match.index + match[0].length;
      if (match[0][0] === "." && ABBREVIATION.test(text.slice(Math.max(0, match.index - 12), match.index + 1))) continue;
      found.push([start, stop]);
      start = stop;
      while (start < text.length && /\s/.test(text[start])) start += 1;
    }
    if (start < text.length) found.push([start, text.replace(/\s+$/, "").length]);
    return found;
  }

  function point(nodes, offset) {
    for (var i = 0; i < nodes.length; i++) {
      if (offset <= nodes[i].length) return [nodes[i], offset];
      offset -= nodes[i].length;
    }
    var last = nodes[nodes.length - 1];
    return [last, last.length];
  }

  function offsetOf(block, nodes, element) {
    var total = 0;
    for (var i = 0; i < nodes.length; i++) {
      if (element.contains(nodes[i]) || (element.compareDocumentPosition(nodes[i]) & Node.DOCUMENT_POSITION_FOLLOWING)) return total;
      total += nodes[i].length;
    }
    return total;
  }

  var picked = null; // {block, from, to}: sentences selected from the keyboard, as indexes into the block's

  function selectSentences(block, from, to) {
    var content = blockText(block);
    var spans = sentences(content.text);
    if (!spans.length) return;
    from = Math.max(0, Math.min(from, spans.length - 1));
    to = Math.max(from, Math.min(to, spans.length - 1));
    var start = point(content.nodes, spans[from][0]), end = point(content.nodes, spans[to][1]);
    var range = document.createRange();
    range.setStart(start[0], start[1]);
    range.setEnd(end[0], end[1]);
    var selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    picked = { block: block, from: from, to: to };
  }

  function startSelection(focused) {
    var block = focused.closest("[data-start]");
    if (!block || !article().contains(block)) return;
    var anchor = focused.classList.contains("quote-tag") ? focused.closest(".quote") || focused : focused;
    var quote = focused.classList.contains("quote-tag") ? focused.closest(".quote[data-quote-id]") : null;
    if (quote) {
      var first = article().querySelector('.quote[data-quote-id="' + quote.dataset.quoteId + '"]');
      if (first && block.contains(first)) anchor = first;
    }
    var content = blockText(block);
    var at = offsetOf(block, content.nodes, anchor);
    var spans = sentences(content.text);
    var index = spans.findIndex(function (span) { return at < span[1]; });
    if (index === -1) index = spans.length - 1;
    selectSentences(block, index, index);
  }

  function selectionIsPicked() {
    var selection = window.getSelection();
    return picked && selection && !selection.isCollapsed && picked.block.isConnected;
  }

  // ----- Focus back to the opener -----
  var opener = null; // {id, href}: what opened the panel, found again after htmx swaps or restores the page

  function remember(element) {
    if (!(element instanceof Element)) return;
    var link = element.closest("a, button") || element;
    opener = { id: link.id || "", href: link.getAttribute("hx-get") || link.getAttribute("href") || "", element: link };
  }

  function returnFocus() {
    if (!opener) return;
    var target = opener.element && opener.element.isConnected ? opener.element : null;
    if (!target && opener.id) target = document.getElementById(opener.id);
    if (!target && opener.href) {
      target = document.querySelector('#article a[hx-get="' + CSS.escape(opener.href) + '"], #article a[href="' + CSS.escape(opener.href) + '"]');
    }
    opener = null;
    if (!target) return;
    target.focus({ preventScroll: true });
    // After htmx has put back the page's scroll from its history (on the next tick), so the quote stays in view.
    setTimeout(function () { if (target.isConnected) keepInMiddle(target); }, 0);
  }

  function panelOpen() {
    var panel = document.getElementById("panel");
    return !!panel && !panel.classList.contains("panel--empty");
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    var detail = event.detail || {};
    var panel = document.getElementById("panel");
    if (!detail.target || detail.target.id !== "panel" || !detail.elt) return;
    if (panel && panel.contains(detail.elt)) return; // moving within the panel keeps the first opener
    if (detail.elt.closest && detail.elt.closest("#annotate-toolbar")) { remember(document.activeElement); return; }
    remember(detail.elt);
  });
  window.newsreader.onSettle(function (event) {
    rove();
    if (event.target instanceof Element && event.target.id === "panel" && !panelOpen()) returnFocus();
  });
  document.addEventListener("htmx:historyRestore", function () {
    rove();
    if (!panelOpen()) returnFocus();
  });
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", rove);
  else rove();
  document.addEventListener("change", function (event) {
    if (event.target instanceof HTMLInputElement && event.target.dataset.toggle) rove();
  });

  document.addEventListener("focusin", function (event) {
    var box = event.target;
    if (box instanceof HTMLInputElement && box.dataset.toggle && box.closest(".legend")) roveLegend(box);
  });
  var LEGEND_STEPS = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1, Home: -Infinity, End: Infinity };
  window.newsreader.onKeydown(function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.dataset.toggle || !(event.key in LEGEND_STEPS)) return;
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    var boxes = legendBoxes(), at = boxes.indexOf(box);
    if (at === -1) return;
    event.preventDefault();
    var next = boxes[Math.max(0, Math.min(boxes.length - 1, at + LEGEND_STEPS[event.key]))];
    roveLegend(next);
    next.focus();
  });

  window.newsreader.onKeydown(function (event) {
    if (event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
    if (!article() || inField(event.target)) return;
    var focused = document.activeElement instanceof Element ? document.activeElement : null;
    var inArticle = focused && article().contains(focused);
    if (event.key === "?") {
      event.preventDefault();
      var dialog = helpDialog();
      if (!dialog.open) dialog.showModal();
      return;
    }
    if (event.key === "j" || event.key === "k") {
      event.preventDefault();
      focusStop(move(quoteTags(), focused, event.key === "j" ? 1 : -1));
      return;
    }
    if ((event.key === "ArrowRight" || event.key === "ArrowLeft") && inArticle && focused.matches("a.ent, a.quote-tag")) {
      event.preventDefault();
      focusStop(move(stops(), focused, event.key === "ArrowRight" ? 1 : -1));
      return;
    }
    if ((event.key === "s" || event.key === "S") && inArticle) {
      event.preventDefault();
      if (!selectionIsPicked()) { startSelection(focused); return; }
      var count = sentences(blockText(picked.block).text).length;
      if (event.key === "S") selectSentences(picked.block, picked.from, Math.max(picked.from, picked.to - 1));
      else if (picked.to + 1 < count) selectSentences(picked.block, picked.from, picked.to + 1);
    }
  });
})();
