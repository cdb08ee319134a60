// The library's bulk actions, held at the foot of the screen once an article is ticked: the page keeps their
// height clear when it scrolls to what has focus (the scroll-padding in reading.css, their height measured
// here), a tick box they appear over is scrolled clear of them, and once an action has redrawn the list its
// message takes the focus the pressed button took with it. Without this file the padding is a fixed guess,
// and the page is loaded anew after an action.
(function () {
  "use strict";

  function measure() {
    var bar = document.getElementById("bulk-form");
    var height = bar ? bar.offsetHeight : 0;
    if (height) document.documentElement.style.setProperty("--bulk-bar-height", height + "px");
    return bar && height ? bar : null;
  }

  document.addEventListener("change", function (event) {
    var box = event.target;
    if (!(box instanceof HTMLInputElement) || !box.classList.contains("bulk-select")) return;
    var bar = measure();
    if (bar && box.getBoundingClientRect().bottom > bar.getBoundingClientRect().top) {
      box.scrollIntoView({ block: "nearest" });
    }
  });
  window.addEventListener("resize", measure);

  window.newsreader.onSettle(function (event) {
    var library = document.getElementById("library");
    if (!library || !(event.target instanceof Node) || !library.contains(event.target)) return;
    if (document.activeElement && document.activeElement !== document.body) return;
    var message = library.querySelector(".message");
    if (message) message.focus({ preventScroll: true });
  });
})();
