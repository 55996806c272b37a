// Small enhancements; every page works without them.
document.addEventListener('change', function (event) {
  var el = event.target;
  if (el instanceof HTMLSelectElement && el.hasAttribute('data-autosubmit') && el.form) el.form.requestSubmit();
});

document.addEventListener('click', function (event) {
  var toggle = event.target instanceof Element ? event.target.closest('[data-theme-toggle]') : null;
  if (toggle) {
    const next = document.documentElement.getAttribute('data-bs-theme') === 'dark' ? 'light' : 'dark';
    document.documentElement.setAttribute('data-bs-theme', next);
    try {
      localStorage.setItem('steward-theme', next);
    } catch (e) {
      /* storage blocked */
    }
  }
  var copy = event.target instanceof Element ? event.target.closest('[data-copy]') : null;
  if (copy && navigator.clipboard) {
    navigator.clipboard.writeText(copy.getAttribute('data-copy') || '').then(function () {
      copy.textContent = 'Copied';
      setTimeout(function () {
        copy.textContent = 'Copy';
      }, 1500);
    });
  }
  var all = event.target instanceof Element ? event.target.closest('[data-check-all]') : null;
  if (all) {
    const boxes = document.querySelectorAll('input[type=checkbox][data-row-check]');
    boxes.forEach(function (box) {
      box.checked = all.checked;
    });
  }
});

// Forms that destroy or change many things ask first, in a dialog (#confirm-modal in the page).
// Confirmed, the form is sent with confirmed=1, so the server does not ask again; without JavaScript
// the server shows its own confirmation page instead.
document.addEventListener('submit', function (event) {
  var form = event.target;
  var submitter = event.submitter;
  if (!(form instanceof HTMLFormElement) || form.querySelector('input[name="confirmed"]')) return;
  var message = (submitter && submitter.getAttribute('data-confirm')) || form.getAttribute('data-confirm');
  var modalEl = document.getElementById('confirm-modal');
  if (!message || !modalEl || !window.bootstrap) return;
  event.preventDefault();
  modalEl.querySelector('[data-confirm-message]').textContent = message;
  var modal = window.bootstrap.Modal.getOrCreateInstance(modalEl);
  var ok = modalEl.querySelector('[data-confirm-ok]');
  var onOk = function () {
    ok.removeEventListener('click', onOk);
    modal.hide();
    var flag = document.createElement('input');
    flag.type = 'hidden';
    flag.name = 'confirmed';
    flag.value = '1';
    form.appendChild(flag);
    form.requestSubmit(submitter || undefined);
  };
  ok.addEventListener('click', onOk);
  // Closed by Esc, Cancel or OK, the dialog gives the focus back to the button that opened it.
  var opener = submitter || (document.activeElement instanceof HTMLElement ? document.activeElement : null);
  modalEl.addEventListener(
    'hidden.bs.modal',
    function () {
      ok.removeEventListener('click', onOk);
      if (opener && opener.isConnected) opener.focus();
    },
    { once: true },
  );
  modal.show();
});

// Search (issue 16): "/" outside a text field goes to the top bar's search box.
document.addEventListener('keydown', function (event) {
  if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey || event.defaultPrevented) return;
  var target = event.target;
  if (target instanceof HTMLInputElement && !/^(checkbox|radio|button|submit|reset|file|image|range|color)$/.test(target.type)) return;
  if (target instanceof Element && target.closest('textarea, select, [contenteditable]:not([contenteditable="false"])')) return;
  var box = document.getElementById('global-search');
  if (!box) return;
  event.preventDefault();
  box.focus();
  box.select();
});

// The asset list's bulk bar (#bulk): hidden while nothing is ticked, only the chosen action's value
// field shown, and the Apply button's question naming the action and the count ("Delete 3 assets?
// The history is kept.") from the template on the chosen option. Without a chosen action or its
// value the button asks nothing and the server says what is missing.
function updateBulkBar(form) {
  var bar = form.querySelector('[data-bulk-bar]');
  var select = bar && bar.querySelector('[data-bulk-action]');
  if (!select) return;
  var ticked = form.querySelectorAll('input[type=checkbox][data-row-check]:checked').length;
  bar.hidden = ticked === 0;
  var action = select.value;
  var field = null;
  bar.querySelectorAll('[data-bulk-for]').forEach(function (el) {
    var mine = action !== '' && (el.getAttribute('data-bulk-for') || '').split(' ').indexOf(action) !== -1;
    el.hidden = !mine;
    if (mine) field = el.querySelector('select, input');
  });
  var value = '';
  if (field instanceof HTMLSelectElement) value = field.value && field.selectedOptions[0] ? field.selectedOptions[0].textContent.trim() : '';
  else if (field) value = field.value.trim();
  var option = select.selectedOptions[0];
  var template = option ? option.getAttribute('data-confirm-template') || '' : '';
  var question = template && (!field || value) ? template.replace('{assets}', ticked + (ticked === 1 ? ' asset' : ' assets')).replace('{value}', value) : '';
  var apply = bar.querySelector('[data-bulk-apply]');
  if (apply) apply.setAttribute('data-confirm', question);
}
function updateBulkBars() {
  document.querySelectorAll('form').forEach(function (form) {
    if (form.querySelector('[data-bulk-bar]')) updateBulkBar(form);
  });
}
document.addEventListener('change', function (event) {
  var form = event.target instanceof Element ? event.target.closest('form') : null;
  if (form && form.querySelector('[data-bulk-bar]')) updateBulkBar(form);
});
document.addEventListener('input', function (event) {
  var form = event.target instanceof HTMLInputElement ? event.target.closest('form') : null;
  if (form && form.querySelector('[data-bulk-bar]')) updateBulkBar(form);
});
document.addEventListener('DOMContentLoaded', updateBulkBars);
window.addEventListener('pageshow', updateBulkBars);

// Tag boxes (data-tag-input, with a datalist of the existing tags): the suggestions follow what is
// typed after the last comma, so every tag in the box gets type-ahead, not only the first; tags
// already in the box are not offered again. Without JavaScript the datalist helps with the first.
document.addEventListener('input', function (event) {
  var box = event.target;
  if (!(box instanceof HTMLInputElement) || !box.hasAttribute('data-tag-input') || !box.list) return;
  var list = box.list;
  if (!list.tagNames) {
    list.tagNames = Array.prototype.map.call(list.options, function (option) {
      return option.value;
    });
  }
  var cut = box.value.lastIndexOf(',');
  var head = cut < 0 ? '' : `${box.value.slice(0, cut + 1)} `;
  var typed = box.value
    .slice(cut + 1)
    .trim()
    .toLowerCase();
  var taken = head.split(',').map(function (name) {
    return name.trim().toLowerCase();
  });
  var options = list.tagNames
    .filter(function (name) {
      var folded = name.toLowerCase();
      return taken.indexOf(folded) < 0 && folded.indexOf(typed) >= 0;
    })
    .map(function (name) {
      var option = document.createElement('option');
      option.value = head + name;
      return option;
    });
  list.replaceChildren.apply(list, options);
});

// History times: "3 days ago" in the reader's language, the exact time on hover in their time zone.
(function () {
  var times = document.querySelectorAll('time[data-relative-time]');
  if (!times.length || !window.Intl || !Intl.RelativeTimeFormat) return;
  var relative = new Intl.RelativeTimeFormat(undefined, { numeric: 'auto' });
  // dateStyle cannot be combined with timeZoneName, hence the parts one by one.
  var exact = new Intl.DateTimeFormat(undefined, {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  });
  var units = [
    ['year', 31536000],
    ['month', 2592000],
    ['week', 604800],
    ['day', 86400],
    ['hour', 3600],
    ['minute', 60],
  ];
  times.forEach(function (el) {
    var at = new Date(el.getAttribute('datetime'));
    if (Number.isNaN(at.getTime())) return;
    var seconds = Math.round((at.getTime() - Date.now()) / 1000);
    var unit = units.find(function (u) {
      return Math.abs(seconds) >= u[1];
    });
    var text = unit ? relative.format(Math.trunc(seconds / unit[1]), unit[0]) : relative.format(0, 'second');
    el.textContent = text;
    el.title = exact.format(at);
  });
})();

// A revealed TOTP code's countdown, second by second; htmx fetches the next code when it runs out.
setInterval(function () {
  document.querySelectorAll('[data-totp-left]').forEach(function (el) {
    var left = Math.max(0, Number(el.getAttribute('data-totp-left')) - 1);
    el.setAttribute('data-totp-left', String(left));
    el.textContent = left + ' s left';
  });
}, 1000);
