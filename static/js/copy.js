// "Copy" buttons: <button data-copy-target="id"> copies the text of the element with that id.
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy-target]");
  if (!button) {
    return;
  }
  var source = document.getElementById(button.getAttribute("data-copy-target"));
  if (!source) {
    return;
  }
  var text = source.value !== undefined ? source.value : source.textContent;
  var done = function () {
    button.setAttribute("aria-live", "polite");
    button.textContent = button.getAttribute("data-copied-label") || "✓";
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(text).then(done);
  } else {
    source.select();
    document.execCommand("copy");
    done();
  }
});
