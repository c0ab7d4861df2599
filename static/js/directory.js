// Directory filter forms: leave empty fields out of the URL, so bookmarks and shared links stay short.
document.querySelectorAll("form.directory-filters").forEach(function (form) {
  form.addEventListener("submit", function () {
    form.querySelectorAll("input, select").forEach(function (field) {
      if (field.name && field.value === "" && field.type !== "submit") {
        field.disabled = true;
      }
    });
  });
});
// Going back to a page whose fields were disabled on submit re-enables them (bfcache).
window.addEventListener("pageshow", function () {
  document.querySelectorAll("form.directory-filters [disabled]").forEach(function (field) {
    field.disabled = false;
  });
});
