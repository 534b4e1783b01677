// Loads the WebAssembly module and mounts the app. Kept out of index.html so
// the Content-Security-Policy needs no inline script.
import init, { mount_app } from './youjun.js';

const root = document.getElementById('app');
init()
  .then(() => {
    root.replaceChildren();
    mount_app(root);
  })
  .catch((err) => {
    root.textContent = `无法加载程序 (failed to load): ${err}`;
    document.body.dataset.panic = String(err);
  });
