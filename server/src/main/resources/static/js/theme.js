// Runs in <head> before the page paints: applies the saved theme (or the system's) so there is no flash.
(function () {
  var saved = null;
  try { saved = localStorage.getItem('cairn-theme'); } catch (e) { /* storage blocked */ }
  var dark = saved ? saved === 'dark' : window.matchMedia('(prefers-color-scheme: dark)').matches;
  document.documentElement.setAttribute('data-bs-theme', dark ? 'dark' : 'light');
})();
