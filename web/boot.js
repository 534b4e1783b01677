// Loads the WebAssembly module and mounts the app. Kept out of index.html so
// the Content-Security-Policy needs no inline script.
import init, { mount_app } from './youjun.js';

watchForUpdates();

const root = document.getElementById('app');
init()
  .then(() => {
    root.replaceChildren();
    mount_app(root);
    // Once the page is idle, so the cache is filled after the first chart
    // and never competes with it.
    (window.requestIdleCallback ?? ((f) => setTimeout(f, 500)))(registerServiceWorker, { timeout: 5000 });
  })
  .catch((err) => {
    root.textContent = `无法加载程序 (failed to load): ${err}`;
    document.body.dataset.panic = String(err);
  });

// The service worker (web/sw.js) that lets the app open with no network
// after this visit. Optional: where it is missing (file://, plain http to
// another host, a browser without service workers) or fails to register, the
// app works as before, online only.
function registerServiceWorker() {
  if (!('serviceWorker' in navigator) || !window.isSecureContext) return;
  navigator.serviceWorker.register('./sw.js', { updateViaCache: 'none' })
    .catch((err) => console.warn(`离线缓存不可用 (offline copy unavailable): ${err}`));
}

// A page that a service worker served runs that worker's build; another one
// taking over (it may, while the app mounts) means a new build is cached:
// say so. A first visit's worker taking over is not news. Listening starts
// before anything else, so no change is missed.
function watchForUpdates() {
  const sw = navigator.serviceWorker;
  if (!sw) return;
  let controlled = sw.controller !== null;
  sw.addEventListener('controllerchange', () => {
    if (controlled) showUpdated();
    controlled = true;
  });
}

// A note at the bottom of the page: the next reload opens the new version.
function showUpdated() {
  if (document.getElementById('sw-updated')) return;
  const note = document.createElement('div');
  note.id = 'sw-updated';
  note.setAttribute('role', 'status');
  Object.assign(note.style, {
    position: 'fixed', bottom: '12px', left: '50%', transform: 'translateX(-50%)', zIndex: '1000',
    background: '#1f3a5f', color: '#fff', padding: '8px 14px', borderRadius: '6px', font: '14px sans-serif',
  });
  note.textContent = '优均已更新，刷新页面即可使用新版本。 · 优均 was updated: reload the page to use the new version. ';
  const reload = document.createElement('button');
  reload.type = 'button';
  reload.textContent = '刷新 · Reload';
  reload.style.marginLeft = '8px';
  reload.addEventListener('click', () => location.reload());
  note.append(reload);
  document.body.append(note);
}
