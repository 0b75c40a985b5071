/** The HTML of the console's pages: a login form and the application shell the client script fills. */

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string, head = ''): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="assets/console.css">
${head}
</head>
<body>
${body}
</body>
</html>`;
}

/** The sign-in page: the only thing an unauthenticated browser sees. */
export function loginPage(system: string, message: string | null, configured: boolean): string {
  const notice = !configured
    ? `<p class="login-error">The console is not configured: set the <code>ESCF_CONSOLE_PASSWORD</code> secret of the console worker.</p>`
    : message
      ? `<p class="login-error" role="alert">${escapeHtml(message)}</p>`
      : '';
  return page(
    `Sign in · ESCF console`,
    `<main class="login">
  <form class="login-card" method="post" action="login">
    <div class="brand"><span class="brand-mark">◆</span> ESCF console</div>
    <p class="muted">${escapeHtml(system)}</p>
    ${notice}
    <label for="password">Console password</label>
    <input id="password" name="password" type="password" autocomplete="current-password" required ${configured ? 'autofocus' : 'disabled'}>
    <button type="submit" ${configured ? '' : 'disabled'}>Sign in</button>
  </form>
</main>`,
  );
}

/** The application shell; `console.js` renders every page into `#view`. */
export function appShell(system: string): string {
  const nav = [
    ['map', 'System map'],
    ['instances', 'Instances'],
    ['projections', 'Projections'],
    ['processes', 'Processes'],
    ['archive', 'Archive'],
    ['metrics', 'Metrics'],
    ['tail', 'Live tail'],
    ['command', 'Send command'],
  ]
    .map(([route, label]) => `<a href="#/${route}" data-route="${route}">${label}</a>`)
    .join('\n      ');
  return page(
    `ESCF console · ${system}`,
    `<div class="layout">
  <aside class="sidebar">
    <div class="brand"><span class="brand-mark">◆</span> ESCF console</div>
    <div class="system-name">${escapeHtml(system)}</div>
    <nav>
      ${nav}
    </nav>
    <form method="post" action="logout" class="logout"><button type="submit" class="link">Sign out</button></form>
  </aside>
  <main id="view" class="view" aria-live="polite"></main>
</div>
<script src="assets/uplot.js" defer></script>
<script src="assets/console.js" defer></script>`,
    '<link rel="stylesheet" href="assets/uplot.css">',
  );
}
