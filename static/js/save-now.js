// "Save now": the page that the bookmarklet or a phone's share opens posts its address at once (the server
// decided the request is the reader's own; without JavaScript the reader presses "Save now").
(function () {
  "use strict";
  const form = document.querySelector("form[data-autosubmit]");
  if (form && !form.dataset.submitted) {
    form.dataset.submitted = "yes";
    form.querySelector("button[type=submit]").disabled = true; // one save, however the page is reached again
    form.submit();
  }
})();
