// Casework forms: disable the submit button after the first submit, so that a double tap on
// a slow phone connection sends the form once. (The server ignores a second submit anyway.)
(function () {
  "use strict";
  document.querySelectorAll("form.guarded-form").forEach(function (form) {
    form.addEventListener("submit", function () {
      window.setTimeout(function () {
        form.querySelectorAll("button[type=submit]").forEach(function (button) {
          button.disabled = true;
        });
      }, 0);
    });
  });
})();
