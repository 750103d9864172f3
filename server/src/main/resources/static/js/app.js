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
      if (typeof expression === 'function') {
        // Alpine hands over functions too (a component's init): call it on the component's scope.
        try {
          receiver(expression.apply(scope, options.params || []));
        } catch (error) {
          console.error('Alpine callback failed:', error, el);
        }
        return;
      }
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

    // The source form: which fields show depends on the type chosen.
    Alpine.data('sourceForm', function () {
      return {
        type: this.$el.getAttribute('data-type') || 'POSTGRESQL',
        get isNetwork() { return ['POSTGRESQL', 'MYSQL', 'REDIS', 'MONGODB'].indexOf(this.type) >= 0; },
        get isFile() { return this.type === 'SQLITE' || this.type === 'PATH'; },
        get isPath() { return this.type === 'PATH'; },
        get isRedis() { return this.type === 'REDIS'; },
        get needsUser() { return this.type === 'POSTGRESQL' || this.type === 'MYSQL'; },
        changeType: function (e) { this.type = e.target.value; }
      };
    });

    // A modal dialog (the native <dialog>: focus stays inside, Escape closes it).
    Alpine.data('modal', function () {
      return {
        init: function () {
          // /backups#start (the dashboard's "Start backup") opens the dialog at once.
          if (this.$el.id && location.hash === '#' + this.$el.id && this.$refs.dialog) { this.open(); }
        },
        open: function () { this.$refs.dialog.showModal(); },
        close: function () { this.$refs.dialog.close(); }
      };
    });
  });

  // ---- Formatting, as the server's Formats does it ----
  function bytes(n) {
    if (n == null || n < 0) { return 'unknown'; }
    if (n < 1024) { return n + ' B'; }
    var units = ['KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
    var v = n; var u = -1;
    do { v /= 1024; u++; } while (v >= 1024 && u < units.length - 1);
    return (v >= 100 ? v.toFixed(0) : v.toFixed(1)) + ' ' + units[u];
  }
  function duration(s) {
    if (s == null || s < 0) { return 'unknown'; }
    if (s < 60) { return Math.round(s) + ' s'; }
    if (s < 3600) { return Math.floor(s / 60) + ' min ' + Math.round(s % 60) + ' s'; }
    return Math.floor(s / 3600) + ' h ' + Math.floor((s % 3600) / 60) + ' min';
  }
  window.cairnFormat = { bytes: bytes, duration: duration };

  // ---- Tabs (WAI-ARIA tabs pattern: click, arrow keys, Home/End) ----
  function selectTab(tab) {
    var list = tab.closest('[role=tablist]');
    list.querySelectorAll('[role=tab]').forEach(function (t) {
      var on = t === tab;
      t.setAttribute('aria-selected', on ? 'true' : 'false');
      t.setAttribute('tabindex', on ? '0' : '-1');
      t.classList.toggle('active', on);
      var panel = document.getElementById(t.getAttribute('aria-controls'));
      if (panel) { panel.hidden = !on; }
    });
    document.dispatchEvent(new CustomEvent('cairn:tab-shown', { detail: { tab: tab } }));
  }
  document.addEventListener('click', function (e) {
    var tab = e.target.closest && e.target.closest('[role=tab]');
    if (tab) { e.preventDefault(); selectTab(tab); }
  });
  document.addEventListener('keydown', function (e) {
    var tab = e.target.closest && e.target.closest('[role=tab]');
    if (!tab) { return; }
    var tabs = Array.prototype.slice.call(tab.closest('[role=tablist]').querySelectorAll('[role=tab]'));
    var i = tabs.indexOf(tab);
    var next = null;
    if (e.key === 'ArrowRight') { next = tabs[(i + 1) % tabs.length]; }
    if (e.key === 'ArrowLeft') { next = tabs[(i - 1 + tabs.length) % tabs.length]; }
    if (e.key === 'Home') { next = tabs[0]; }
    if (e.key === 'End') { next = tabs[tabs.length - 1]; }
    if (next) { e.preventDefault(); selectTab(next); next.focus(); }
  });

  // ---- Live jobs: one event stream per page, updating every element that shows a job ----
  function applyProgress(p) {
    document.querySelectorAll('[data-job-progress="' + p.jobId + '"]').forEach(function (el) {
      var bar = el.querySelector('.progress-bar');
      var known = p.percent >= 0;
      if (bar) {
        bar.style.width = (known ? p.percent : 100) + '%';
        bar.classList.toggle('progress-bar-striped', !known);
        bar.classList.toggle('progress-bar-animated', !known);
        var box = bar.closest('.progress');
        if (box) {
          if (known) { box.setAttribute('aria-valuenow', Math.round(p.percent)); } else { box.removeAttribute('aria-valuenow'); }
          box.setAttribute('aria-valuetext', known ? Math.round(p.percent) + ' percent' : 'running, size unknown');
        }
      }
      set(el, 'phase', p.phase);
      set(el, 'percent', known ? Math.round(p.percent) + '%' : '');
      set(el, 'bytes', bytes(p.bytesRead) + (p.bytesTotal != null ? ' of ' + bytes(p.bytesTotal) : ''));
      set(el, 'added', bytes(p.bytesAdded));
      set(el, 'rate', bytes(p.bytesPerSecond) + '/s');
      set(el, 'eta', p.etaSeconds != null ? duration(p.etaSeconds) + ' left' : '');
      set(el, 'files', p.files);
    });
    document.dispatchEvent(new CustomEvent('cairn:progress', { detail: p }));
  }
  function set(root, field, text) {
    root.querySelectorAll('[data-field="' + field + '"]').forEach(function (n) { n.textContent = text; });
  }
  var stream = null;
  function connectJobEvents() {
    if (stream || !document.querySelector('[data-live-jobs]') || !window.EventSource) { return; }
    stream = new EventSource(document.querySelector('[data-live-jobs]').getAttribute('data-live-jobs'));
    stream.addEventListener('snapshot', function (e) { JSON.parse(e.data).forEach(applyProgress); });
    stream.addEventListener('progress', function (e) { applyProgress(JSON.parse(e.data)); });
    stream.addEventListener('job', function (e) {
      var change = JSON.parse(e.data);
      document.dispatchEvent(new CustomEvent('cairn:job', { detail: change }));
      if (window.htmx) { htmx.trigger(document.body, 'cairn:jobs-changed'); }
    });
  }
  document.addEventListener('DOMContentLoaded', connectJobEvents);
  window.addEventListener('pagehide', function () { if (stream) { stream.close(); stream = null; } });

  // ---- Charts (Chart.js), from JSON data blocks in the page ----
  function cssVar(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }
  function readJson(id) {
    var el = document.getElementById(id);
    return el ? JSON.parse(el.textContent) : null;
  }
  var charts = {};
  function speedChart(canvas, points, label) {
    if (charts[canvas.id]) { charts[canvas.id].destroy(); }
    var accent = cssVar('--cairn-accent') || '#0b63b6';
    charts[canvas.id] = new Chart(canvas, {
      type: 'line',
      data: { datasets: [{ label: label || 'Speed', data: (points || []).map(function (p) { return { x: p[0], y: p[1] / 1048576 }; }),
        borderColor: accent, backgroundColor: accent + '33', fill: true, pointRadius: 0, tension: 0.25 }] },
      options: { animation: false, maintainAspectRatio: false, parsing: false,
        scales: { x: { type: 'linear', title: { display: true, text: 'seconds' } },
          y: { beginAtZero: true, title: { display: true, text: 'MiB/s' } } },
        plugins: { legend: { display: false } } }
    });
    return charts[canvas.id];
  }
  function renderCharts() {
    if (!window.Chart) { return; }
    document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) {
      if (canvas.offsetParent === null) { return; }
      if (charts[canvas.id]) {
        if (charts[canvas.id].canvas === canvas) { return; }
        charts[canvas.id].destroy(); // the canvas was replaced by a partial update
        delete charts[canvas.id];
      }
      var kind = canvas.getAttribute('data-chart');
      var data = readJson(canvas.getAttribute('data-source'));
      if (kind === 'speed') {
        var perf = data && data.points ? data : null;
        speedChart(canvas, perf ? perf.points : [], 'Speed');
        var live = canvas.getAttribute('data-live-job');
        if (live) {
          document.addEventListener('cairn:progress', function (e) {
            var p = e.detail;
            if (String(p.jobId) !== live || !charts[canvas.id]) { return; }
            var started = Date.parse(p.startedAt);
            var ds = charts[canvas.id].data.datasets[0].data;
            ds.push({ x: (Date.now() - started) / 1000, y: p.bytesPerSecond / 1048576 });
            charts[canvas.id].update('none');
          });
        }
      } else if (kind === 'speed-select') {
        var select = document.getElementById(canvas.getAttribute('data-select'));
        var pick = function () {
          var chosen = liveRuns[select.value] || (data || []).filter(function (j) { return String(j.id) === select.value; })[0];
          var perf = chosen && chosen.performance;
          speedChart(canvas, perf ? perf.points : [], chosen ? chosen.label : '');
          set(document, 'peak', perf ? bytes(perf.peakBps) + '/s' : '–');
          set(document, 'average', perf ? bytes(perf.averageBps) + '/s' : '–');
          set(document, 'duration', perf ? duration(perf.durationMillis / 1000) : '–');
        };
        if (select) { select.addEventListener('change', pick); }
        canvas.cairnPick = pick;
        pick();
      } else if (kind === 'donut') {
        charts[canvas.id] = new Chart(canvas, {
          type: 'doughnut',
          data: { labels: ['Succeeded', 'Failed'], datasets: [{ data: [data.succeeded, data.failed],
            backgroundColor: ['#16a34a', '#dc2626'] }] },
          options: { animation: false, maintainAspectRatio: false, plugins: { legend: { position: 'bottom' } } }
        });
      } else if (kind === 'trend') {
        var days = data.daily || [];
        charts[canvas.id] = new Chart(canvas, {
          type: 'bar',
          data: { labels: days.map(function (d) { return new Date(d[0]).toISOString().substring(5, 10); }),
            datasets: [{ label: 'Succeeded', data: days.map(function (d) { return d[2]; }), backgroundColor: '#16a34a' },
              { label: 'Other', data: days.map(function (d) { return d[1] - d[2]; }), backgroundColor: '#dc2626' }] },
          options: { animation: false, maintainAspectRatio: false, scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } }
        });
      }
    });
  }
  // A source's Performance tab: a running backup of that source joins the list, chosen, and its chart,
  // peak, average and duration grow with every progress event until it ends.
  var liveRuns = {};
  document.addEventListener('cairn:progress', function (e) {
    var p = e.detail;
    var canvas = document.querySelector('canvas[data-chart="speed-select"][data-source-id="' + p.sourceId + '"]');
    var select = canvas && document.getElementById(canvas.getAttribute('data-select'));
    if (!select) { return; }
    var key = String(p.jobId);
    var run = liveRuns[key];
    if (!run) {
      run = liveRuns[key] = { id: p.jobId, label: '#' + p.jobId + ' · running',
        performance: { points: [], peakBps: 0, averageBps: 0, durationMillis: 0 } };
      var option = document.createElement('option');
      option.value = key;
      option.textContent = '#' + p.jobId + ' · running now';
      option.setAttribute('data-live-run', '');
      select.insertBefore(option, select.firstChild);
      select.value = key;
    }
    var seconds = Math.max(0, (Date.now() - Date.parse(p.startedAt)) / 1000);
    var perf = run.performance;
    perf.points.push([seconds, p.bytesPerSecond]);
    perf.peakBps = Math.max(perf.peakBps, p.bytesPerSecond);
    perf.averageBps = seconds > 0 ? p.bytesRead / seconds : 0;
    perf.durationMillis = seconds * 1000;
    if (select.value === key && canvas.cairnPick && canvas.offsetParent !== null) { canvas.cairnPick(); }
  });
  document.addEventListener('cairn:job', function (e) {
    var change = e.detail;
    if (!liveRuns[String(change.jobId)] || ['QUEUED', 'RUNNING'].indexOf(change.status) >= 0) { return; }
    document.querySelectorAll('option[data-live-run][value="' + change.jobId + '"]').forEach(function (o) {
      o.textContent = '#' + change.jobId + ' · ' + String(change.status).toLowerCase() + ' just now';
    });
  });
  document.addEventListener('DOMContentLoaded', renderCharts);
  document.addEventListener('cairn:tab-shown', renderCharts);
  document.addEventListener('htmx:afterSettle', renderCharts);

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
// Restore wizard: a select marked data-autosubmit submits its form when changed (the source filter), and
// the choice of target (new folder / original location) shows only the fields that apply.
(function () {
  'use strict';
  document.addEventListener('change', function (event) {
    var el = event.target;
    if (el && el.matches && el.matches('[data-autosubmit]') && el.form) {
      el.form.requestSubmit ? el.form.requestSubmit() : el.form.submit();
    }
    if (el && el.matches && el.matches('input[name="original"]')) { showTargetFields(el.form); }
  });
  function showTargetFields(form) {
    if (!form) { return; }
    var original = form.querySelector('input[name="original"]:checked');
    var toOriginal = original && original.value === 'true';
    form.querySelectorAll('[data-when-original]').forEach(function (box) {
      box.hidden = String(toOriginal) !== box.getAttribute('data-when-original');
    });
  }
  document.addEventListener('DOMContentLoaded', function () {
    document.querySelectorAll('form[data-restore-target]').forEach(showTargetFields);
  });
})();
// Dialogs outside a live-updated block: a button marked data-open-dialog="ID" opens that dialog, one marked
// data-close-dialog closes the dialog it is in (the backup page's quick look).
(function () {
  'use strict';
  document.addEventListener('click', function (event) {
    var opener = event.target.closest ? event.target.closest('[data-open-dialog]') : null;
    if (opener) {
      var dialog = document.getElementById(opener.getAttribute('data-open-dialog'));
      if (dialog && !dialog.open) {
        dialog.showModal();
        dialog.dispatchEvent(new CustomEvent('cairn:dialog-opened'));
      }
      return;
    }
    var closer = event.target.closest ? event.target.closest('[data-close-dialog]') : null;
    if (closer && closer.closest('dialog')) { closer.closest('dialog').close(); }
  });
})();
