// Moved out of the GOV.UK page template's inline <script>, so the CSP needs no
// 'unsafe-inline'. Loaded synchronously at the top of <body>, as the inline one ran.
document.body.className +=
  " js-enabled" + ("noModule" in HTMLScriptElement.prototype ? " govuk-frontend-supported" : "");
