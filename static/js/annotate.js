// Selection to offsets: the one step the server cannot do. Every offset is a character index into the
// article's plain text: a block's data-start plus the text counted inside it, skipping [data-nr-skip]
// (speaker tags, photo credits), which the page shows but the article text does not hold. Characters are
// code points, as the server counts them (Python's str): a JavaScript string counts UTF-16 units, in which
// an emoji or any character beyond the Basic Multilingual Plane is two.
(function () {
  "use strict";

  var current = null; // {start, end, exact} of the selection the toolbar acts on

  function article() { return document.getElementById("article"); }
  function toolbar() { return document.getElementById("annotate-toolbar"); }

  function articleText() {
    var script = document.getElementById("article-text");
    if (!script) return null;
    try { return JSON.parse(script.textContent); } catch (error) { return null; }
  }

  function isSkipped(node) {
    var parent = node.parentElement;
    return !!(parent && parent.closest("[data-nr-skip]"));
  }

  function textNodes(block) {
    var walker = document.createTreeWalker(block, NodeFilter.SHOW_TEXT, {
      acceptNode: function (node) { return isSkipped(node) ? NodeFilter.FILTER_REJECT : NodeFilter.FILTER_ACCEPT; }
    });
    var nodes = [];
    while (walker.nextNode()) nodes.push(walker.currentNode);
    return nodes;
  }

  function codePoints(string) { return Array.from(string).length; }

  function isHighSurrogate(unit) { return unit >= 0xd800 && unit <= 0xdbff; }
  function isLowSurrogate(unit) { return unit >= 0xdc00 && unit <= 0xdfff; }

  // A boundary between the two halves of a character (a surrogate pair) moves out of it, so the selection
  // holds the whole character: back for a start, on for an end.
  function wholeCharacterOffset(container, offset, forward) {
    if (container.nodeType !== Node.TEXT_NODE || offset <= 0 || offset >= container.length) return offset;
    var split = isHighSurrogate(container.data.charCodeAt(offset - 1)) && isLowSurrogate(container.data.charCodeAt(offset));
    return split ? offset + (forward ? 1 : -1) : offset;
  }

  function wholeCharacters(range) {
    var whole = range.cloneRange();
    whole.setStart(range.startContainer, wholeCharacterOffset(range.startContainer, range.startOffset, false));
    whole.setEnd(range.endContainer, wholeCharacterOffset(range.endContainer, range.endOffset, true));
    return whole;
  }

  // Characters (code points) of article text inside `block` before the boundary point (container, offset).
  function countBefore(block, container, offset) {
    var before = document.createRange();
    before.setStart(block, 0);
    before.setEnd(container, offset);
    var total = 0;
    textNodes(block).forEach(function (node) {
      if (node === container) total += codePoints(node.data.slice(0, offset));
      else if (before.intersectsNode(node)) total += codePoints(node.data);
    });
    return total;
  }

  // The text of `range` within one block, from the same text nodes that were counted.
  function textWithin(block, range) {
    var parts = [];
    textNodes(block).forEach(function (node) {
      if (!range.intersectsNode(node)) return;
      var from = node === range.startContainer ? range.startOffset : 0;
      var to = node === range.endContainer ? range.endOffset : node.length;
      parts.push(node.data.slice(from, to));
    });
    return parts.join("");
  }

  function selectionOffsets(selected) {
    var root = article();
    if (!root) return null;
    var range = wholeCharacters(selected);
    var blocks = Array.prototype.filter.call(root.querySelectorAll("[data-start][data-end]"), function (block) {
      return range.intersectsNode(block);
    });
    if (!blocks.length) return null;
    var first = blocks[0], last = blocks[blocks.length - 1];
    var start = first.contains(range.startContainer)
      ? Number(first.dataset.start) + countBefore(first, range.startContainer, range.startOffset)
      : Number(first.dataset.start);
    var end = last.contains(range.endContainer)
      ? Number(last.dataset.start) + countBefore(last, range.endContainer, range.endOffset)
      : Number(last.dataset.end);
    // The passage as the page shows it; what lies between blocks (blank lines) comes from the stored text.
    var text = blocks.length > 1 ? articleText() : null;
    var characters = text === null ? null : Array.from(text);
    var exact = "";
    blocks.forEach(function (block, index) {
      if (index > 0 && characters !== null) {
        exact += characters.slice(Number(blocks[index - 1].dataset.end), Number(block.dataset.start)).join("");
      }
      exact += textWithin(block, range);
    });
    while (exact && /\s/.test(exact[0])) { exact = exact.slice(1); start += 1; }
    while (exact && /\s/.test(exact[exact.length - 1])) { exact = exact.slice(0, -1); end -= 1; }
    if (!exact || end <= start) return null;
    return { start: start, end: end, exact: exact };
  }

  function announce(message) {
    var status = document.getElementById("annotate-status");
    if (status && status.textContent !== message) status.textContent = message;
  }

  function hideToolbar() {
    var bar = toolbar();
    if (bar) bar.hidden = true;
    current = null;
    announce("");
  }

  function showToolbar(range, offsets) {
    var bar = toolbar();
    if (!bar) return;
    current = offsets;
    ["start", "end", "exact"].forEach(function (name) {
      var input = bar.querySelector('input[name="' + name + '"]');
      if (input) input.value = offsets[name];
    });
    var rects = range.getClientRects();
    var rect = rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
    bar.hidden = false;
    announce(bar.querySelector("button")
      ? "Passage selected: press h to highlight it or a to annotate it."
      : "Log in to highlight and annotate.");
    bar.style.top = (rect.bottom + window.scrollY + 6) + "px";
    bar.style.left = Math.max(8, Math.min(rect.right + window.scrollX - bar.offsetWidth / 2,
      document.documentElement.clientWidth - bar.offsetWidth - 8)) + "px";
  }

  function onSelection() {
    var bar = toolbar();
    if (!bar) return;
    if (bar.contains(document.activeElement)) return; // the reader is choosing an action
    var selection = window.getSelection();
    // Already hidden: nothing to do (and what was just announced, "Highlighted.", stays).
    if (!selection || selection.isCollapsed || !selection.rangeCount) { if (!bar.hidden) hideToolbar(); return; }
    var range = selection.getRangeAt(0);
    var root = article();
    if (!root || !root.contains(range.commonAncestorContainer) && !range.intersectsNode(root)) { hideToolbar(); return; }
    var offsets = selectionOffsets(range);
    if (!offsets) { hideToolbar(); return; }
    showToolbar(range, offsets);
  }

  var pending = null;
  document.addEventListener("selectionchange", function () {
    clearTimeout(pending);
    pending = setTimeout(onSelection, 120);
  });

  // A drag that starts on a name selects text, as it does from plain words. Chromium never starts a selection
  // on a link (it drags the link instead), so the name is not a link while the button is down; a press that
  // became a drag is not a click on the name.
  var pressed = null; // {name, href, x, y, moved}: the name pressed with the mouse

  function releaseName() {
    if (pressed && !pressed.name.hasAttribute("href")) pressed.name.setAttribute("href", pressed.href);
  }

  document.addEventListener("mousedown", function (event) {
    releaseName();
    pressed = null;
    if (event.button !== 0 || event.altKey || event.ctrlKey || event.metaKey || event.shiftKey) return;
    var name = event.target instanceof Element ? event.target.closest("#article a.ent[href]") : null;
    if (!name) return;
    pressed = { name: name, href: name.getAttribute("href"), x: event.clientX, y: event.clientY, moved: false };
    name.removeAttribute("href");
  });
  document.addEventListener("mouseup", function (event) {
    if (!pressed) return;
    releaseName();
    pressed.moved = Math.abs(event.clientX - pressed.x) + Math.abs(event.clientY - pressed.y) > 4;
  }, true);
  window.addEventListener("blur", releaseName);
  document.addEventListener("dragstart", releaseName); // a selection dragged away: no mouseup follows
  document.addEventListener("click", function (event) {
    var was = pressed;
    pressed = null;
    if (!was || !was.moved) return;
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed) { event.preventDefault(); event.stopPropagation(); }
  }, true);

  // Keep the selection when a toolbar button is pressed with the mouse.
  document.addEventListener("mousedown", function (event) {
    var bar = toolbar();
    if (bar && event.target instanceof Node && bar.contains(event.target) && event.target.closest("button")) {
      event.preventDefault();
    }
  });

  // Keyboard: with a selection in the article, h highlights, a annotates, Escape dismisses the toolbar.
  window.newsreader.onKeydown(function (event) {
    var bar = toolbar();
    if (!bar || bar.hidden || !current || event.ctrlKey || event.metaKey || event.altKey) return;
    var target = event.target;
    if (target instanceof Element && target.closest("input, textarea, select, [contenteditable]")) return;
    var action = { h: "highlight", a: "annotate" }[event.key];
    if (event.key === "Escape") { hideToolbar(); return; }
    if (!action) return;
    var button = bar.querySelector('[data-annotate="' + action + '"]');
    if (button) { event.preventDefault(); button.click(); }
  });

  document.addEventListener("htmx:afterRequest", function (event) {
    var bar = toolbar();
    if (bar && event.detail && event.detail.elt && bar.contains(event.detail.elt) && event.detail.successful) {
      hideToolbar();
      var selection = window.getSelection();
      if (selection) selection.removeAllRanges();
      if (event.detail.elt === bar) announce("Highlighted.");
    }
  });

  // A form with an error comes back as 422: show it in the panel rather than drop it.
  document.addEventListener("htmx:beforeSwap", function (event) {
    if (event.detail.xhr && event.detail.xhr.status === 422) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  // Copying a passage copies the article's words: speaker tags are hidden while the selection is read, so the
  // browser's own text (paragraph breaks and all) leaves them out, and the HTML copy drops them too.
  document.addEventListener("copy", function (event) {
    var selection = window.getSelection();
    var root = article();
    if (!root || !selection || selection.isCollapsed || !event.clipboardData) return;
    var range = selection.getRangeAt(0);
    if (!root.contains(range.commonAncestorContainer) && !range.intersectsNode(root)) return;
    var fragment = range.cloneContents();
    if (!fragment.querySelector(".quote-tag")) return;
    root.classList.add("is-copying");
    var text = selection.toString();
    root.classList.remove("is-copying");
    fragment.querySelectorAll(".quote-tag").forEach(function (tag) { tag.remove(); });
    var holder = document.createElement("div");
    holder.appendChild(fragment);
    event.clipboardData.setData("text/plain", text);
    event.clipboardData.setData("text/html", holder.innerHTML);
    event.preventDefault();
  });

  // A highlight opens its annotation (in capture, before the quote and entity under it take the click).
  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element)) return;
    var mark = target.closest("mark[data-annotation-id]");
    if (!mark || !article() || !article().contains(mark) || target.closest(".quote-tag")) return;
    var selection = window.getSelection();
    if (selection && !selection.isCollapsed) return;
    event.preventDefault();
    event.stopPropagation();
    if (window.htmx) {
      window.htmx.ajax("GET", mark.dataset.href, { source: mark, target: "#panel", swap: "outerHTML" });
    } else {
      window.location.href = mark.dataset.href;
    }
  }, true);

  // The open annotation's highlight is marked and scrolled into view (on load and after each panel swap).
  function revealOpenAnnotation(scroll) {
    document.querySelectorAll("mark.is-active").forEach(function (mark) { mark.classList.remove("is-active"); });
    var body = document.querySelector('#panel [data-panel="annotation"][data-annotation-id]');
    if (!body) return;
    var marks = document.querySelectorAll('#article mark[data-annotation-id="' + body.dataset.annotationId + '"]');
    marks.forEach(function (mark) { mark.classList.add("is-active"); });
    if (scroll && marks.length) marks[0].scrollIntoView({ block: "center" });
  }

  window.newsreader.onSettle(function (event) {
    // Fired on each settled element: the new panel, and the article when it was swapped out of band.
    var panel = document.getElementById("panel");
    var panelSwapped = !!panel && event.target === panel;
    revealOpenAnnotation(panelSwapped);
    // A note form opened from the toolbar (or the keyboard) is ready to type into.
    var note = panelSwapped && panel.querySelector('[data-panel="annotation-form"] textarea[name="note"]');
    if (note) note.focus({ preventScroll: true });
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { revealOpenAnnotation(true); });
  } else {
    revealOpenAnnotation(true);
  }
  // A text fragment in the address (#:~:text=) scrolls the page once it has loaded; the open annotation's own
  // mark is the real passage, so it has the last word.
  window.addEventListener("load", function () {
    setTimeout(function () { revealOpenAnnotation(true); }, 0);
  });
})();
