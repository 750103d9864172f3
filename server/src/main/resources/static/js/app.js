// Cairn's page behaviour. Loaded (deferred) before Alpine.js, so it can install a CSP-safe evaluator
// before Alpine starts: the Content-Security-Policy forbids eval, so Alpine expressions here are only
// names of properties or methods of registered components ("open", "toggle", "!open"), never code.
(function () {
  'use strict';

  function resolve(scope, expression) {
    var expr = expression.trim();
    var negate = false;
    while (expr.charAt(0) === '!') { negate = !negate; expr = expr.slice(1).trim(); }
    if (!/^[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)*$/.test(expr)) {
      throw new Error('Cairn allows only property or method names in Alpine expressions, not "' + expression + '"');
    }
    var parts = expr.split('.');
    var value = scope;
    var owner = scope;
    for (var i = 0; i < parts.length; i++) {
      owner = value;
      value = value == null ? undefined : value[parts[i]];
    }
    return { value: value, owner: owner, negate: negate };
  }

  function cspEvaluator(el, expression) {
    var magics = {};
    Alpine.injectMagics(magics, el);
    var dataStack = [magics].concat(Alpine.closestDataStack(el));
    return function (receiver, options) {
      receiver = receiver || function () {};
      options = options || {};
      var scope = Alpine.mergeProxies([options.scope || {}].concat(dataStack));
      var value;
      try {
        var found = resolve(scope, expression);
        value = found.value;
        if (typeof value === 'function') {
          value = value.apply(found.owner === scope ? scope : found.owner, options.params || []);
        }
        value = found.negate ? !value : value;
      } catch (error) {
        console.error('Alpine expression "' + expression + '" failed:', error, el);
        return;
      }
      receiver(value);
    };
  }

  function copyText(text, done) {
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(text).then(done, function () { fallbackCopy(text); done(); });
    } else {
      fallbackCopy(text);
      done();
    }
  }

  function fallbackCopy(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'visually-hidden';
    document.body.appendChild(area);
    area.select();
    try { document.execCommand('copy'); } catch (e) { /* the user can still select the text */ }
    document.body.removeChild(area);
  }

  document.addEventListener('alpine:init', function () {
    Alpine.setEvaluator(cspEvaluator);
    Alpine.setRawEvaluator(function (el, expression, extras) {
      var result;
      cspEvaluator(el, expression)(function (v) { result = v; }, extras || {});
      return result;
    });

    // The light/dark switch in the top bar; remembered in this browser.
    Alpine.data('themeToggle', function () {
      return {
        dark: document.documentElement.getAttribute('data-bs-theme') === 'dark',
        get label() { return this.dark ? 'Switch to light theme' : 'Switch to dark theme'; },
        get light() { return !this.dark; },
        toggle: function () {
          this.dark = !this.dark;
          document.documentElement.setAttribute('data-bs-theme', this.dark ? 'dark' : 'light');
          try { localStorage.setItem('cairn-theme', this.dark ? 'dark' : 'light'); } catch (e) { /* not saved */ }
        }
      };
    });

    // The navigation drawer on narrow screens.
    Alpine.data('navDrawer', function () {
      return {
        open: false,
        get drawerClass() { return { open: this.open }; },
        toggle: function () { this.open = !this.open; },
        close: function () { this.open = false; },
        closeOnEscape: function (e) { if (e.key === 'Escape') { this.open = false; } }
      };
    });

    // A "Copy" button next to a secret: copies the text of the element named by data-copy-target.
    Alpine.data('copyButton', function () {
      return {
        copied: false,
        get label() { return this.copied ? 'Copied' : 'Copy'; },
        copy: function () {
          var self = this;
          var target = document.getElementById(this.$el.getAttribute('data-copy-target'));
          if (!target) { return; }
          copyText(target.textContent.trim(), function () {
            self.copied = true;
            setTimeout(function () { self.copied = false; }, 2000);
          });
        }
      };
    });
  });

  // htmx: send the CSRF token with every request it makes, and show an error in place when an update fails.
  document.addEventListener('htmx:configRequest', function (event) {
    var token = document.querySelector('meta[name="_csrf"]');
    var header = document.querySelector('meta[name="_csrf_header"]');
    if (token && header) {
      event.detail.headers[header.getAttribute('content')] = token.getAttribute('content');
    }
  });
  function markFailed(event, message) {
    var target = event.detail.target || event.target;
    var box = target && target.closest ? target.closest('[data-update-region]') : null;
    if (box) {
      box.classList.add('update-failed');
      var text = box.querySelector('.update-error-text');
      if (text) { text.textContent = message; }
    }
  }
  document.addEventListener('htmx:responseError', function (event) {
    var status = event.detail.xhr ? event.detail.xhr.status : 0;
    markFailed(event, status === 401 || status === 403
      ? 'Your session ended; reload the page to sign in again.'
      : 'Could not update (the server answered ' + status + '). Showing the last known state.');
  });
  document.addEventListener('htmx:sendError', function (event) {
    markFailed(event, 'Could not reach the server. Showing the last known state; it retries on its own.');
  });
  // Before the swap, while the target is still in the page (an outerHTML swap detaches it).
  document.addEventListener('htmx:beforeSwap', function (event) {
    if (event.detail.isError) { return; }
    var box = event.detail.target && event.detail.target.closest
      ? event.detail.target.closest('[data-update-region]') : null;
    if (box) { box.classList.remove('update-failed'); }
  });
})();
