// The files page of a backup (templates/backups/files.html): ticking entries for "Download selected",
// "select all" on the page, and keeping those in step after htmx swaps in another folder or page.
(function () {
  'use strict';

  function form() { return document.getElementById('browse-selection'); }

  function sync() {
    var f = form();
    if (!f) { return; }
    var items = f.querySelectorAll('[data-browse-item]');
    var ticked = f.querySelectorAll('[data-browse-item]:checked');
    var button = f.querySelector('[data-browse-download]');
    if (button) {
      button.disabled = ticked.length === 0;
      button.textContent = ticked.length > 0 ? 'Download selected (' + ticked.length + ')' : 'Download selected';
    }
    var all = f.querySelector('[data-browse-all]');
    if (all) {
      all.checked = items.length > 0 && ticked.length === items.length;
      all.indeterminate = ticked.length > 0 && ticked.length < items.length;
    }
  }

  document.addEventListener('change', function (event) {
    var target = event.target;
    if (!(target instanceof HTMLInputElement)) { return; }
    if (target.hasAttribute('data-browse-all')) {
      var f = form();
      if (f) {
        f.querySelectorAll('[data-browse-item]').forEach(function (box) { box.checked = target.checked; });
      }
    }
    if (target.hasAttribute('data-browse-all') || target.hasAttribute('data-browse-item')) { sync(); }
  });

  // After a folder or a page is swapped in, move focus to its first link for keyboard users, and reset.
  document.addEventListener('htmx:afterSwap', function (event) {
    if (event.detail.target && event.detail.target.id === 'browse-listing') {
      sync();
      var listing = document.getElementById('browse-listing');
      var first = listing ? listing.querySelector('.browse-crumbs [aria-current="page"], .browse-name a, .browse-name button') : null;
      if (first && first.focus) {
        if (!first.hasAttribute('tabindex') && first.tagName === 'LI') { first.setAttribute('tabindex', '-1'); }
        first.focus();
      }
    }
  });

  document.addEventListener('DOMContentLoaded', sync);
  sync();
})();
