// The import page's confirm button: sent once, then a progress indicator while the import runs.
document.addEventListener("DOMContentLoaded", function () {
  var form = document.getElementById("import-confirm");
  if (!form) { return; }
  form.addEventListener("submit", function (event) {
    if (form.dataset.sent) { event.preventDefault(); return; }
    form.dataset.sent = "1";
    form.querySelectorAll("input[type=submit]").forEach(function (b) { b.disabled = true; });
    document.getElementById("import-progress").style.display = "block";
  });
});
