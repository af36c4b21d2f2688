const jobConfigOf = (job) => {
  try { return typeof job.job_config === 'string' ? JSON.parse(job.job_config) : (job.job_config || {}); } catch (_) { return {}; }
};
function totalSteps(job) {
  if (job.total_steps) return job.total_steps;
  const proc = ((jobConfigOf(job).config || {}).process || [])[0] || {};
  return (proc.train && proc.train.steps) || 0;
}
const jobAction = (id, action) => api('GET', `/api/jobs/${encodeURIComponent(id)}/${action}`);

function confirmStop(job, then) {
  openConfirm({
    title: 'Stop Job',
    message: `Are you sure you want to stop the job "${job.name}"? You CAN resume later.`,
    confirmText: 'Stop', type: 'warning',
    onConfirm: async () => { await jobAction(job.id, 'stop').catch(() => {}); then(); },
  });
}
function confirmDelete(job, then) {
  openConfirm({
    title: 'Delete Job',
    message: `Are you sure you want to delete the job "${job.name}"? This will also permanently remove it from your disk.`,
    confirmText: 'Delete', type: 'warning',
    onConfirm: async () => { await jobAction(job.id, 'delete').catch(() => {}); then(); },
  });
}

function openGearMenu(anchor, job, refresh) {
  document.querySelectorAll('.menu-popover').forEach((el) => el.remove());
  const run = (fn) => async () => { menu.remove(); try { await fn(); } catch (_) { /* shown by the next poll */ } refresh(); };
  const menu = h('div', { class: 'menu-popover', role: 'menu' },
    h('button', { type: 'button', role: 'menuitem', onClick: run(async () => navigate(`/jobs/new?cloneId=${encodeURIComponent(job.id)}`)) }, 'Clone Job'),
    h('button', { type: 'button', role: 'menuitem', onClick: run(() => jobAction(job.id, 'save_now')) }, 'Save Next Step'),
    h('button', { type: 'button', role: 'menuitem', onClick: run(() => jobAction(job.id, 'sample_now')) }, 'Sample Next Step'),
    h('button', { type: 'button', role: 'menuitem', onClick: run(() => jobAction(job.id, 'mark_stopped')) }, 'Mark as Stopped'));
  openPopover(anchor, menu);
}

function jobActionBar(job, refresh) {
  const buttons = [];
  if (job.status === 'queued') buttons.push(iconButton('x', async () => { await jobAction(job.id, 'mark_stopped').catch(() => {}); refresh(); }));
  else if (job.status === 'running' || job.status === 'stopping') buttons.push(iconButton('pause', () => confirmStop(job, refresh)));
  else buttons.push(iconButton('play', async () => { await jobAction(job.id, 'start').catch(() => {}); refresh(); }));
  buttons.push(iconButton('eye', () => navigate(`/jobs/${encodeURIComponent(job.id)}`)));
  buttons.push(iconButton('pen', () => navigate(`/jobs/new?id=${encodeURIComponent(job.id)}`)));
  buttons.push(iconButton('trash-2', () => confirmDelete(job, refresh), 'icon-btn-danger'));
  const gear = iconButton('settings', () => openGearMenu(gear, job, refresh));
  buttons.push(gear);
  return h('div', { class: 'action-bar' }, buttons);
}

route(/^\/jobs$/, (main, scope) => {
  let jobs = null;
  let queues = [];
  const body = h('div', { class: 'page-body' }, h('p', { class: 'muted' }, 'Loading...'));
  const loadJobs = async () => { const answer = await api('GET', '/api/jobs'); jobs = (answer && answer.jobs) || []; paint(); };
  const loadQueues = async () => { const answer = await api('GET', '/api/queue'); queues = (answer && answer.queues) || []; paint(); };
  const refresh = () => { loadJobs().catch(() => {}); loadQueues().catch(() => {}); };
  const changed = changeGuard();

  function paint() {
    if (!scope.alive || jobs === null || !changed([jobs, queues])) return;
    const gpuKeys = [...new Set([...queues.map((q) => q.gpu_ids), ...jobs.map((j) => j.gpu_ids)])].sort();
    if (gpuKeys.length === 0) { body.replaceChildren(h('div', { class: 'empty' }, h('p', {}, 'No jobs available'))); return; }
    body.replaceChildren(...gpuKeys.map((gpu) => {
      const running = (queues.find((q) => q.gpu_ids === gpu) || {}).is_running;
      const toggle = async () => { await api('GET', `/api/queue/${encodeURIComponent(gpu)}/${running ? 'stop' : 'start'}`).catch(() => {}); refresh(); };
      const rows = jobs.filter((job) => job.gpu_ids === gpu);
      return h('section', { class: 'queue-section' },
        h('div', { class: 'queue-header' },
          h('h2', { class: 'queue-title' }, `GPU #${gpu}`),
          h('span', { class: `queue-state ${running ? 'queue-running' : 'queue-stopped'}` }, running ? 'Queue Running' : 'Queue Stopped'),
          h('button', { type: 'button', class: `btn btn-small ${running ? 'btn-danger' : 'btn-green'}`, onClick: toggle }, running ? 'STOP' : 'START')),
        h('table', { class: 'table' },
          h('thead', {}, h('tr', {}, ['Name', 'Steps', 'GPU', 'Status', 'Info', 'Actions'].map((c) => h('th', {}, c)))),
          h('tbody', {}, rows.map((job) => h('tr', {},
            h('td', {}, h('a', { href: `/jobs/${encodeURIComponent(job.id)}`, class: 'link' }, job.name)),
            h('td', {}, `${job.step || 0} / ${totalSteps(job)}`),
            h('td', {}, job.gpu_ids),
            h('td', {}, statusPill(job.status)),
            h('td', { class: 'col-info' }, job.info || ''),
            h('td', {}, jobActionBar(job, refresh)))))));
    }));
  }

  // app/jobs/page.tsx: a link to the new-job page beside the title, in both versions.
  const newJob = h('a', { href: '/jobs/new', class: 'btn btn-secondary tb-btn' }, ...smLabel('+ New Job', 'New Training Job'));
  main.append(pageHeader(OLD_UI ? 'Training Queue' : 'Queue', newJob), body);
  if (OLD_UI) {
    // c9843692's JobsTable: every job each 5 s on the clock, /api/queue and /api/gpu once.
    every(scope, 5000, loadJobs);
    api('GET', '/api/gpu').catch(() => {});
  } else poll(scope, 5000, loadJobs);
  loadQueues().catch(() => {});
});

function childScope(parent) {
  const child = new Scope();
  parent.onDispose(() => child.dispose());
  return child;
}

function logPanel(scope, id) {
  const pre = h('pre', { class: 'log' }, '');
  let offset = null;
  (OLD_UI ? every : poll)(scope, 2000, async () => {
    const path = `/api/jobs/${encodeURIComponent(id)}/log`;
    const answer = await api('GET', OLD_UI || offset === null ? path : `${path}?offset=${offset}`);
    if (!answer) return;
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 8;
    if (OLD_UI) { if (answer.log) pre.textContent = answer.log.replace(/\x1B\[A/g, ''); } // useJobLog keeps the last log on an empty one
    else {
      if (answer.reset || offset === null) pre.textContent = answer.log || '';
      else if (answer.log) pre.append(answer.log);
      if (typeof answer.offset === 'number') offset = answer.offset;
    }
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  });
  return card('Log', pre);
}

function checkpointsWidget(scope, id) {
  const list = h('div', { class: 'checkpoints' }, h('p', { class: 'muted' }, 'Loading...'));
  const changed = changeGuard();
  (OLD_UI ? every : poll)(scope, 5000, async () => {
    const answer = await api('GET', `/api/jobs/${encodeURIComponent(id)}/files`);
    const files = ((answer && answer.files) || []).filter((file) => file.path.endsWith('.safetensors'));
    if (!changed(files)) return;
    if (!files.length) { list.replaceChildren(h('p', { class: 'muted' }, 'No checkpoints available')); return; }
    list.replaceChildren(...files.map((file) => h('a', { target: '_blank', href: fileURL(file.path), class: 'checkpoint-row' },
      icon('file-text', 16), h('span', { class: 'checkpoint-name' }, basename(file.path)),
      h('span', { class: 'checkpoint-size' }, formatBytes(file.size)), icon('download', 16))));
  });
  return card('Checkpoints', list);
}

function samplesTab(scope, id) {
  const grid = h('div', { class: 'image-grid' }, h('p', { class: 'muted' }, 'Loading...'));
  const changed = changeGuard();
  poll(scope, 5000, async () => {
    const answer = await api('GET', `/api/jobs/${encodeURIComponent(id)}/samples`);
    const samples = (answer && answer.samples) || [];
    if (!changed(samples)) return;
    grid.replaceChildren(...(samples.length ? samples.map((path) => h('a', { href: imgURL(path, false), target: '_blank', class: 'image-card' },
      h('div', { class: 'image-frame' }, h('img', { src: imgURL(path, true), alt: basename(path), loading: 'lazy' })),
      h('div', { class: 'image-name' }, basename(path)))) : [h('p', { class: 'muted' }, 'No samples yet')]));
  });
  return grid;
}

function lossTab(scope, id) {
  const holder = h('div', { class: 'card' }, h('p', { class: 'muted' }, 'Loading...'));
  const changed = changeGuard();
  poll(scope, 5000, async () => {
    const answer = await api('GET', `/api/jobs/${encodeURIComponent(id)}/loss?key=loss&limit=2000`);
    const points = (answer && answer.points) || [];
    if (!changed(points)) return;
    if (points.length < 2) { holder.replaceChildren(h('p', { class: 'muted' }, 'No loss data yet')); return; }
    const steps = points.map((p) => p.step), values = points.map((p) => p.value);
    const [x0, x1, y0, y1] = [Math.min(...steps), Math.max(...steps), Math.min(...values), Math.max(...values)];
    const sx = (x) => 40 + ((x - x0) / ((x1 - x0) || 1)) * 740, sy = (y) => 270 - ((y - y0) / ((y1 - y0) || 1)) * 250;
    const line = points.map((p) => `${sx(p.step).toFixed(1)},${sy(p.value).toFixed(1)}`).join(' ');
    holder.innerHTML = `<svg class="loss-graph" viewBox="0 0 800 300"><line x1="40" y1="270" x2="780" y2="270" stroke="#4b5563"/><line x1="40" y1="20" x2="40" y2="270" stroke="#4b5563"/><polyline fill="none" stroke="#60a5fa" stroke-width="1.5" points="${line}"/><text x="44" y="16" fill="#9ca3af" font-size="12">${y1.toFixed(4)}</text><text x="44" y="264" fill="#9ca3af" font-size="12">${y0.toFixed(4)}</text><text x="730" y="290" fill="#9ca3af" font-size="12">step ${x1}</text></svg>`;
  });
  return holder;
}

route(/^\/jobs\/([^/]+)$/, (main, scope, id) => {
  let job = null;
  const title = h('h1', { class: 'page-title' }, 'Job');
  const actions = h('div', { class: 'top-bar-actions' });
  const content = h('div', { class: 'page-body' });
  const overviewInfo = h('div', {});
  const tabs = OLD_UI ? ['Overview', 'Samples', 'Config File'] : ['Overview', 'Samples', 'Loss Graph', 'Config File'];
  let activeTab = 'Overview';
  let tabScope = null;
  const tabBar = h('div', { class: 'tabs', role: 'tablist' });

  const jobChanged = changeGuard();
  const loadJob = async () => {
    job = await api('GET', `/api/jobs?id=${encodeURIComponent(id)}`);
    if (jobChanged(job)) paintJob();
  };

  async function play() {
    await jobAction(job.id, 'start').catch(() => {});
    await api('GET', `/api/queue/${encodeURIComponent(job.gpu_ids)}/start`).catch(() => {});
    loadJob().catch(() => {});
  }

  function paintJob() {
    if (!scope.alive) return;
    if (!job) { title.textContent = 'Job not found'; actions.replaceChildren(); overviewInfo.replaceChildren(); return; }
    title.textContent = `Job: ${job.name}`;
    const refresh = () => loadJob().catch(() => {});
    const buttons = [];
    if (job.status === 'running' || job.status === 'stopping') buttons.push(iconButton('pause', () => confirmStop(job, refresh)));
    else if (job.status === 'queued') buttons.push(iconButton('x', async () => { await jobAction(job.id, 'mark_stopped').catch(() => {}); refresh(); }));
    else buttons.push(iconButton('play', play));
    buttons.push(iconButton('pen', () => navigate(`/jobs/new?id=${encodeURIComponent(job.id)}`)));
    buttons.push(iconButton('trash-2', () => confirmDelete(job, () => navigate('/jobs')), 'icon-btn-danger'));
    actions.replaceChildren(...buttons);
    const total = totalSteps(job);
    const percent = total ? Math.min(100, Math.round(((job.step || 0) / total) * 100)) : 0;
    overviewInfo.replaceChildren(h('section', { class: 'card card-body' },
      h('div', { class: 'status-line' }, statusPill(job.status), h('span', { class: 'job-info' }, job.info || '')),
      h('div', { class: 'progress-label' }, h('span', {}, 'Progress'), h('span', {}, `Step ${job.step || 0} of ${total}`)),
      h('div', { class: 'progress' }, h('div', { class: 'progress-bar', style: `width:${percent}%` })),
      job.speed_string ? h('div', { class: 'muted' }, job.speed_string) : null,
      h('div', { class: 'muted' }, `GPU #${job.gpu_ids}`)));
    if (activeTab === 'Config File' && content.firstChild && !content.firstChild.dataset.filled) showTab('Config File');
  }

  function showTab(name) {
    activeTab = name;
    if (tabScope) tabScope.dispose();
    tabScope = childScope(scope);
    for (const button of tabBar.children) {
      const selected = button.textContent === name;
      button.classList.toggle('active', selected);
      button.setAttribute('aria-selected', String(selected));
    }
    if (name === 'Overview') {
      // c9843692's JobOverview: the job's GPUs and the CPU, each asked every 5 s (useGPUInfo, useCPUInfo).
      if (OLD_UI) {
        every(tabScope, 5000, () => api('GET', '/api/gpu'));
        every(tabScope, 5000, () => api('GET', '/api/cpu'));
      }
      content.replaceChildren(h('div', { class: 'overview' },
        h('div', { class: 'overview-main' }, overviewInfo, logPanel(tabScope, id)),
        h('div', { class: 'overview-side' }, checkpointsWidget(tabScope, id))));
    } else if (name === 'Samples') content.replaceChildren(samplesTab(tabScope, id));
    else if (name === 'Loss Graph') content.replaceChildren(lossTab(tabScope, id));
    else {
      const pre = h('pre', { class: 'config' }, job ? JSON.stringify(jobConfigOf(job), null, 2) : 'Loading...');
      if (job) pre.dataset.filled = '1';
      content.replaceChildren(pre);
    }
  }
  tabBar.append(...tabs.map((name) => h('button', { type: 'button', role: 'tab', class: 'tab', onClick: () => showTab(name) }, name)));

  // [jobID]/page.tsx: the title box is "min-w-0 flex-shrink", then the "flex-1" spacer and JobActionBar
  // ("flex items-center flex-shrink-0"). The real back button is left out.
  actions.classList.add('flex-shrink-0');
  if (!OLD_UI) title.classList.add('truncate');
  main.append(topBar(h('div', { class: OLD_UI ? '' : 'min-w-0 flex-shrink' }, title), h('div', { class: 'flex-1' }), actions), tabBar, content);
  showTab('Overview');
  if (OLD_UI) every(scope, 5000, loadJob);
  else {
    poll(scope, 5000, loadJob);
    poll(scope, 5000, () => api('GET', `/api/jobs/${encodeURIComponent(id)}/plugin?check=1`));
  }
});
