// Schedules: countdowns to the next scheduled run ("in 3 h 12 min"), for every element with
// data-countdown="<ISO instant>", refreshed every 30 seconds and after htmx swaps. No inline code (CSP).
(function () {
  'use strict';

  function describe(ms) {
    if (ms <= 0) { return 'due now'; }
    var minutes = Math.round(ms / 60000);
    if (minutes < 1) { return 'in less than a minute'; }
    var days = Math.floor(minutes / 1440);
    var hours = Math.floor((minutes % 1440) / 60);
    var rest = minutes % 60;
    var parts = [];
    if (days > 0) { parts.push(days + ' d'); }
    if (hours > 0) { parts.push(hours + ' h'); }
    if (rest > 0 && days === 0) { parts.push(rest + ' min'); }
    return 'in ' + parts.join(' ');
  }

  function update() {
    var now = Date.now();
    document.querySelectorAll('[data-countdown]').forEach(function (el) {
      var at = Date.parse(el.getAttribute('data-countdown'));
      if (!isNaN(at)) { el.textContent = describe(at - now); }
    });
  }

  document.addEventListener('DOMContentLoaded', update);
  document.addEventListener('htmx:afterSwap', update);
  setInterval(update, 30000);
})();
