// The library's bulk actions, held at the foot of the screen once an article is ticked: the page keeps their
// height clear when it scrolls to what has focus (the scroll-padding in reading.css, their height measured
// here), and a tick box they appear over is scrolled clear of them. Without this file the padding is a
// fixed guess and the bar may cover the box just ticked.
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
})();
