// Start GOV.UK Frontend's components (service navigation toggle, error summary focus...).
import { initAll } from "/static/vendor/govuk/govuk-frontend.min.js";

initAll();

// A form shown again with its errors in answer to a POST: make that history entry a
// plain GET of the same address, so reloading it or coming back to it never asks to
// "Confirm form resubmission" (forms that redirect to show errors need no help).
if (document.querySelector(".govuk-error-summary") && window.history.replaceState) {
  window.history.replaceState(null, "", window.location.href);
}
