function gpuCard(gpu, index) {
  const memory = gpu.memory || {};
  const utilization = gpu.utilization || {};
  const power = gpu.power || {};
  const row = (label, value) => h('div', { class: 'stat-row' }, h('span', { class: 'muted' }, label), h('span', {}, value));
  return h('div', { class: 'gpu-card' },
    h('div', { class: 'gpu-name' }, icon('cpu', 16), h('span', {}, `GPU #${gpu.index ?? index}: ${gpu.name || 'Unknown GPU'}`)),
    row('Temperature', gpu.temperature != null ? `${gpu.temperature}°C` : '-'),
    row('Utilization', utilization.gpu != null ? `${utilization.gpu}%` : '-'),
    row('Memory', memory.total ? `${memory.used ?? 0} / ${memory.total} MB` : '-'),
    row('Power', power.draw != null ? `${Number(power.draw).toFixed(0)} / ${power.limit ?? '?'} W` : '-'));
}

route(/^\/dashboard$/, (main, scope) => {
  const jobsBody = h('div', {});
  const gpuBody = h('div', { class: 'gpu-grid' }, h('p', { class: 'muted' }, 'Loading...'));
  main.append(pageHeader('Dashboard'), h('div', { class: 'page-body dashboard' },
    card('GPU Monitor', gpuBody),
    card('Active Jobs', jobsBody)));
  const gpu = OLD_UI ? store(null) : gpuInfo;
  const active = OLD_UI ? store([]) : activeJobs;
  if (OLD_UI) {
    // c9843692: GPUMonitor asks /api/gpu every second; JobsTable onlyActive asks for every job each
    // 5 s and keeps the active ones, and asks /api/queue and /api/gpu once.
    every(scope, 1000, async () => gpu.set(await api('GET', '/api/gpu')), true);
    every(scope, 5000, async () => {
      const answer = await api('GET', '/api/jobs');
      active.set(((answer && answer.jobs) || []).filter((job) => ['running', 'queued', 'stopping'].includes(job.status)));
    });
    api('GET', '/api/queue').catch(() => {});
    api('GET', '/api/gpu').catch(() => {});
  }
  gpu.watch(scope, (info) => {
    if (!info) return;
    const gpus = info.gpus || [];
    gpuBody.replaceChildren(...(gpus.length ? gpus.map(gpuCard) : [h('p', { class: 'muted' }, 'No GPUs found')]));
  });
  const changed = changeGuard();
  active.watch(scope, (jobs) => {
    if (!changed(jobs)) return;
    if (!jobs.length) {
      jobsBody.replaceChildren(h('p', { class: 'muted' }, 'No active jobs'));
      return;
    }
    jobsBody.replaceChildren(h('table', { class: 'table' },
      h('thead', {}, h('tr', {}, ['Name', 'Steps', 'Status', 'Info'].map((c) => h('th', {}, c)))),
      h('tbody', {}, jobs.map((job) => h('tr', {},
        h('td', {}, h('a', { href: `/jobs/${encodeURIComponent(job.id)}`, class: 'link' }, job.name)),
        h('td', {}, `${job.step || 0} / ${totalSteps(job)}`),
        h('td', {}, statusPill(job.status)),
        h('td', { class: 'col-info' }, job.info || ''))))));
  });
});

route(/^\/settings$/, (main, scope) => {
  const FIELDS = [
    ['HF_TOKEN', 'Hugging Face Token', 'password', 'Enter your Hugging Face token'],
    ['TRAINING_FOLDER', 'Training Folder Path', 'text', 'Enter training folder path'],
    ['DATASETS_FOLDER', 'Dataset Folder Path', 'text', 'Enter dataset folder path'],
    ['MODELS_PATH', 'Models Folder Path', 'text', 'Enter models folder path'],
  ];
  const inputs = {};
  const status = h('p', { class: 'muted', hidden: true });
  const button = h('button', { type: 'submit', class: 'btn btn-primary', disabled: true }, 'Save Settings');
  const form = h('form', { class: 'card settings-form', onSubmit: async (event) => {
    event.preventDefault();
    button.disabled = true;
    const body = {};
    for (const [key] of FIELDS) body[key] = inputs[key].value;
    try {
      await api('POST', '/api/settings', body);
      status.textContent = 'Settings saved successfully';
    } catch (error) {
      if (error.status === 401) return;
      status.textContent = 'Error saving settings';
    }
    status.hidden = false;
    button.disabled = false;
  } },
    FIELDS.map(([key, label, type, placeholder]) => {
      inputs[key] = h('input', { id: key, name: key, type, class: 'text-input', placeholder });
      return h('div', { class: 'field' }, h('label', { for: key, class: 'field-label' }, label), inputs[key]);
    }),
    h('div', { class: 'form-actions' }, button), status);
  main.append(pageHeader('Settings'), h('div', { class: 'page-body' }, form));
  api('GET', '/api/settings').then((settings) => {
    if (!scope.alive) return;
    for (const [key] of FIELDS) inputs[key].value = (settings && settings[key]) || '';
    button.disabled = false;
  }).catch(() => {});
});
