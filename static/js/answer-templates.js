// Answer templates: choosing one fills in the answer and the step; the text stays editable.
(function () {
  "use strict";
  document.querySelectorAll("select[data-fills]").forEach(function (select) {
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var target = document.getElementById(select.getAttribute("data-fills"));
      if (!option || !option.hasAttribute("data-text") || !target) {
        return;
      }
      target.value = option.getAttribute("data-text");
      var english = document.getElementById(select.getAttribute("data-fills-en") || "");
      if (english) {
        english.value = option.getAttribute("data-text-en") || "";
      }
      var state = select.form.querySelector("[name=to_state]");
      if (state && option.getAttribute("data-state")) {
        state.value = option.getAttribute("data-state");
      }
    });
  });
})();
