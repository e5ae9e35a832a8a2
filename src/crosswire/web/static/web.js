// A filter that changes applies itself; without JavaScript the Apply button does it.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form[data-autosubmit]")) {
    for (const field of form.querySelectorAll("select, input[type=checkbox]")) {
      field.addEventListener("change", () => form.requestSubmit());
    }
  }
});
