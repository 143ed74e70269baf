// Conditional reveal for the handling-code radios of the intelligence forms.
//
// GOV.UK Frontend's Radios module does this too, but it sets aria-expanded on the radio
// inputs, which ARIA does not allow there and axe-core reports as a critical violation
// (alphagov/govuk-frontend#979). This does the same showing and hiding with
// aria-controls only. Without JavaScript the conditional content is simply shown (the
// hiding CSS applies only under `govuk-frontend-supported`), and the server ignores it
// when the choice that reveals it is not made.
const HIDDEN = "govuk-radios__conditional--hidden";

function sync(group) {
  for (const input of group.querySelectorAll("input[type=radio][data-tl-controls]")) {
    const target = document.getElementById(input.dataset.tlControls);
    if (target) target.classList.toggle(HIDDEN, !input.checked);
  }
}

for (const group of document.querySelectorAll("[data-tl-reveal]")) {
  for (const input of group.querySelectorAll("input[type=radio][data-tl-controls]")) {
    input.setAttribute("aria-controls", input.dataset.tlControls);
  }
  group.addEventListener("change", () => sync(group));
  window.addEventListener("pageshow", () => sync(group));
  sync(group);
}
